/** 32-bit FNV-1a of a string's UTF-16 code units from `basis`: two bases give 64 bits of an id, for ids in Redis. */
export function fnv1a(text: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
