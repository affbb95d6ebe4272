// Mints a local token for curl: `npx node api-image/src/mint-token.ts [--scope 'transactions:write verdicts:read']
// [--sub me] [--ttl 3600] [--dir .stack/api-auth]`. Prints the token; the API trusts it when started with
// JWT_KEY_FILE=<dir>/jwks.json, JWT_ISSUER and JWT_AUDIENCE as below (defaults printed to stderr).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SCOPES } from './auth-policy.ts';

const STACK_DIR = process.env.FRAUD_STACK_DIR ?? join(import.meta.dirname, '..', '..', '.stack');

import { localSigningKey, mintToken } from './token.ts';

export const LOCAL_ISSUER = 'https://fraud-operator.local/issuer';
export const LOCAL_AUDIENCE = 'fraud-api';

const { values } = parseArgs({
  options: {
    scope: { type: 'string', default: `${SCOPES.write} ${SCOPES.read}` },
    sub: { type: 'string', default: 'local-client' },
    ttl: { type: 'string', default: '3600' },
    dir: { type: 'string', default: join(STACK_DIR, 'api-auth') },
    iss: { type: 'string', default: LOCAL_ISSUER },
    aud: { type: 'string', default: LOCAL_AUDIENCE },
  },
});
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl <= 0 || ttl > 86_400) {
  process.stderr.write(`--ttl ${values.ttl}: must be whole seconds from 1 to 86400\n`);
  process.exit(2);
}
const { key, jwksFile } = await localSigningKey(values.dir);
const token = await mintToken(key, {
  issuer: values.iss,
  audience: values.aud,
  subject: values.sub,
  scopes: values.scope.split(' ').filter((s) => s !== ''),
  ttlSeconds: ttl,
});
process.stderr.write(
  `JWT_KEY_FILE=${jwksFile} JWT_ISSUER=${values.iss} JWT_AUDIENCE=${values.aud} JWT_ALGORITHMS=${key.alg}\n`,
);
process.stdout.write(`${token}\n`);
