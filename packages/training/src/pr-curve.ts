import { forEachThreshold, rankScores } from './ranked-scores.ts';

/** Pure: the precision-recall curve of scores (descending thresholds, ties together) as SVG, for the model report. */
export function prCurveSvg(curves: { name: string; scores: ArrayLike<number>; labels: ArrayLike<number> }[]): string {
  const W = 480;
  const H = 360;
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  const paths = curves.map((c, ci) => {
    const ranked = rankScores(c.scores, c.labels);
    const positives = ranked.frauds.length;
    const pts: string[] = [];
    let lastX = Number.NaN;
    let lastY = Number.NaN;
    forEachThreshold(ranked, (_, tp, fp, lowest) => {
      const x = 40 + (tp / Math.max(1, positives)) * (W - 60);
      const y = H - 40 - (tp / (tp + fp)) * (H - 60);
      // Points closer than half a pixel to the previous one add nothing to the picture (millions of thresholds).
      if (!lowest && Math.abs(x - lastX) < 0.5 && Math.abs(y - lastY) < 0.5) return true;
      lastX = x;
      lastY = y;
      pts.push(`${x.toFixed(1)},${y.toFixed(1)}`);
      return true;
    });
    const color = colors[ci % colors.length];
    return `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts.join(' ')}"/><text x="${W - 150}" y="${30 + 16 * ci}" fill="${color}" font-size="12">${c.name}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<line x1="40" y1="${H - 40}" x2="${W - 20}" y2="${H - 40}" stroke="black"/><line x1="40" y1="20" x2="40" y2="${H - 40}" stroke="black"/>
<text x="${W / 2}" y="${H - 10}" font-size="12" text-anchor="middle">recall</text>
<text x="12" y="${H / 2}" font-size="12" transform="rotate(-90 12 ${H / 2})" text-anchor="middle">precision</text>
${paths.join('\n')}
</svg>
`;
}
