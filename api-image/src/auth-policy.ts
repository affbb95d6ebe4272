// Pure authorization decisions: which scopes a token grants, and whether a route's needs are met.

export const SCOPES = { write: 'transactions:write', read: 'verdicts:read' } as const;

export interface Principal {
  subject: string;
  scopes: ReadonlySet<string>;
}

/** OAuth `scope` (space-separated string, RFC 8693) or `scp` (array, as some issuers send). */
export function scopesOf(payload: Record<string, unknown>): Set<string> {
  const scopes = new Set<string>();
  if (typeof payload.scope === 'string') for (const s of payload.scope.split(' ')) if (s !== '') scopes.add(s);
  if (Array.isArray(payload.scp)) for (const s of payload.scp) if (typeof s === 'string' && s !== '') scopes.add(s);
  return scopes;
}

export type Decision = { allowed: true } | { allowed: false; missing: string[] };

export function authorize(principal: Principal, required: readonly string[]): Decision {
  const missing = required.filter((s) => !principal.scopes.has(s));
  return missing.length === 0 ? { allowed: true } : { allowed: false, missing };
}

export type BearerResult = { token: string } | { error: string };

const MAX_TOKEN_CHARS = 8192;

/** Extracts the token of an `Authorization: Bearer <token>` header (scheme case-insensitive). */
export function bearerToken(header: string | undefined): BearerResult {
  if (header === undefined || header === '') return { error: 'missing Authorization header' };
  const match = /^Bearer +([A-Za-z0-9._~+/=-]+) *$/i.exec(header);
  if (!match?.[1]) return { error: 'Authorization header is not "Bearer <token>"' };
  if (match[1].length > MAX_TOKEN_CHARS) return { error: 'token too long' };
  return { token: match[1] };
}
