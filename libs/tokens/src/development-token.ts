import { randomUUID } from 'node:crypto';
import type { AuthConfig } from '@linewatch/config';
import type { Role } from '@linewatch/contracts';
import { SignJWT } from 'jose';

export interface DevelopmentTokenRequest {
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly areas?: readonly string[];
  /** Lifetime in seconds. */
  readonly ttlSeconds: number;
  readonly now: Date;
}

/** A token signed with the local key, for development and tests; a real deployment uses its identity provider. */
export async function issueDevelopmentToken(config: AuthConfig, request: DevelopmentTokenRequest): Promise<string> {
  if (config.mode !== 'local-key') throw new Error('development tokens need the local signing key (AUTH_JWT_SECRET), not AUTH_JWKS_URL');
  const issuedAt = Math.floor(request.now.getTime() / 1000);
  return new SignJWT({ roles: [...request.roles], areas: [...(request.areas ?? [])] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.subject)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + request.ttlSeconds)
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(config.secret));
}
