import { describe, expect, it } from 'vitest';
import { parseEnvFile } from './env.ts';

describe('parseEnvFile', () => {
  it('reads KEY=VALUE lines, keeping = inside values and skipping blanks and comments', () => {
    expect(parseEnvFile('# addresses\nA=1\n\nB=x=y\n')).toEqual({ A: '1', B: 'x=y' });
  });
  it('names a malformed line', () => {
    expect(() => parseEnvFile('A=1\nnot a pair\n')).toThrow(/bad line .*not a pair/);
  });
});
