import { describe, expect, it } from 'vitest';
import { TAG_LENGTH, terminalTag } from './terminal-tag.ts';

describe('terminalTag', () => {
  it('is 10 characters of base64 for any id, the same for the same id', () => {
    for (const id of ['', '0', 't-1', 'ü€😀', 'x'.repeat(500)]) {
      expect(terminalTag(id)).toMatch(/^[A-Za-z0-9+/]{10}$/);
      expect(terminalTag(id)).toBe(terminalTag(`${id}`));
    }
    expect(TAG_LENGTH).toBe(10);
  });

  it('tells 200,000 terminal ids apart', () => {
    const tags = new Set(Array.from({ length: 200_000 }, (_, i) => terminalTag(String(i))));
    expect(tags.size).toBe(200_000);
  });
});
