import { describe, expect, it } from 'vitest';
import { authorize, bearerToken, SCOPES, scopesOf } from './auth-policy.ts';

describe('scopesOf', () => {
  it('reads a space-separated scope string and an scp array', () => {
    expect([...scopesOf({ scope: 'verdicts:read  transactions:write' })].sort()).toEqual([
      'transactions:write',
      'verdicts:read',
    ]);
    expect([...scopesOf({ scp: ['verdicts:read', 3, ''] })]).toEqual(['verdicts:read']);
  });
  it('grants nothing for odd claim types', () => {
    expect(scopesOf({ scope: ['transactions:write'], scp: 'verdicts:read' }).size).toBe(0);
  });
});

describe('authorize', () => {
  const principal = { subject: 'c1', scopes: new Set([SCOPES.read]) };
  it('allows when every required scope is granted', () => {
    expect(authorize(principal, [SCOPES.read])).toEqual({ allowed: true });
  });
  it('names the missing scopes', () => {
    expect(authorize(principal, [SCOPES.read, SCOPES.write])).toEqual({ allowed: false, missing: [SCOPES.write] });
  });
  it('does not match scope prefixes', () => {
    expect(authorize({ subject: 'c', scopes: new Set(['transactions']) }, [SCOPES.write]).allowed).toBe(false);
  });
});

describe('bearerToken', () => {
  it('takes the token of a Bearer header, any case', () => {
    expect(bearerToken('bearer abc.def.ghi')).toEqual({ token: 'abc.def.ghi' });
    expect(bearerToken('Bearer abc.def.ghi')).toEqual({ token: 'abc.def.ghi' });
  });
  it('refuses a missing header, another scheme, or junk', () => {
    expect(bearerToken(undefined)).toHaveProperty('error');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toHaveProperty('error');
    expect(bearerToken('Bearer a b')).toHaveProperty('error');
    expect(bearerToken(`Bearer ${'a'.repeat(9000)}`)).toHaveProperty('error');
  });
});
