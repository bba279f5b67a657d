import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The local stack's token signing key: made once, kept in <data>/auth/jwt-secret
 * (owner-only), shared by `npm start` and `linewatch token`. Deployments set
 * AUTH_JWT_SECRET or AUTH_JWKS_URL instead; there is no built-in default key.
 */
export function developmentSecret(dataDir: string, name = 'jwt-secret'): string {
  const dir = join(dataDir, 'auth');
  const file = join(dir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
