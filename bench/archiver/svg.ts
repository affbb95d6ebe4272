/** A small line chart as SVG: no dependencies, one series per line, the x axis in days. */
export interface Series {
  label: string;
  color: string;
  points: { x: number; y: number }[];
}

export function lineChart(title: string, xLabel: string, yLabel: string, series: Series[]): string {
  const W = 720;
  const H = 400;
  const pad = { left: 70, right: 20, top: 40, bottom: 50 };
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1e-9, ...all.map((p) => p.x));
  const yMax = Math.max(1, ...all.map((p) => p.y)) * 1.15;
  const sx = (x: number) => pad.left + (x / xMax) * (W - pad.left - pad.right);
  const sy = (y: number) => H - pad.bottom - (y / yMax) * (H - pad.top - pad.bottom);
  const ticks = (max: number, n: number) => Array.from({ length: n + 1 }, (_, i) => (max * i) / n);
  const grid = ticks(yMax, 5)
    .map(
      (y) =>
        `<line x1="${pad.left}" x2="${W - pad.right}" y1="${sy(y)}" y2="${sy(y)}" stroke="#ddd"/><text x="${pad.left - 8}" y="${sy(y) + 4}" text-anchor="end" font-size="11">${y.toFixed(0)}</text>`,
    )
    .join('');
  const xTicks = ticks(xMax, 7)
    .map(
      (x) => `<text x="${sx(x)}" y="${H - pad.bottom + 16}" text-anchor="middle" font-size="11">${x.toFixed(1)}</text>`,
    )
    .join('');
  const lines = series
    .map((s, i) => {
      const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
      return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/><rect x="${W - 200}" y="${pad.top + i * 18}" width="12" height="3" fill="${s.color}"/><text x="${W - 182}" y="${pad.top + i * 18 + 5}" font-size="12">${s.label}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${title}</text>
${grid}${xTicks}
<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${H - pad.bottom}" stroke="#333"/>
<line x1="${pad.left}" x2="${W - pad.right}" y1="${H - pad.bottom}" y2="${H - pad.bottom}" stroke="#333"/>
<text x="${W / 2}" y="${H - 12}" text-anchor="middle" font-size="12">${xLabel}</text>
<text x="16" y="${H / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 16 ${H / 2})">${yLabel}</text>
${lines}
</svg>
`;
}
