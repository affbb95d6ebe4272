import { fnv1a } from '@fraud-operator/transactions/fnv1a';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Characters of a terminal's tag: 60 bits of its id, in the card's string next to each of its entries. */
export const TAG_LENGTH = 10;

/**
 * A terminal's tag: 60 bits of two FNV-1a hashes of its id, as 10 characters of base64's alphabet (ASCII, so one
 * byte each on the wire). The card's string counts a pair by the tag, so two terminals of one card tagged alike
 * within its 30-day window would share a count: among 100 terminals, a chance of about 4e-15.
 */
export function terminalTag(terminalId: string): string {
  const a = fnv1a(terminalId, 0x811c9dc5);
  const b = fnv1a(terminalId, 0x050c5d1f);
  let out = '';
  for (let i = 0; i < 5; i++) out += ALPHABET[(a >>> (6 * i)) & 63];
  for (let i = 0; i < 5; i++) out += ALPHABET[(b >>> (6 * i)) & 63];
  return out;
}
