const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const DURATION_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const SIZE = /^(\d+)(B|KiB|MiB|GiB|TiB)?$/;
const SIZE_BYTES = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 } as const;

/** "500ms", "30s", "15m", "6h", "7d" → milliseconds. */
export function parseDuration(text: string, name: string): number {
  const m = DURATION.exec(text.trim());
  if (!m) throw new Error(`${name}="${text}" is not a duration like 30s, 15m, 6h or 7d`);
  return Number(m[1]) * DURATION_MS[m[2] as keyof typeof DURATION_MS];
}

/** "1048576", "256KiB", "64MiB", "1GiB" → bytes. */
export function parseSize(text: string, name: string): number {
  const m = SIZE.exec(text.trim());
  if (!m) throw new Error(`${name}="${text}" is not a size like 262144, 256KiB, 64MiB or 1GiB`);
  return Number(m[1]) * SIZE_BYTES[(m[2] ?? 'B') as keyof typeof SIZE_BYTES];
}
