import { join } from 'node:path';
import { loadAuthConfig } from '@linewatch/config';
import type { Role } from '@linewatch/contracts';
import { issueDevelopmentToken } from '@linewatch/tokens';
import { developmentSecret } from '../development-secret';
import { repoRoot } from '../repo-paths';

/** The environment with the local stack's signing key filled in when no key or JWKS is configured. */
export function authEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (!env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL)
    env.AUTH_JWT_SECRET = developmentSecret(env.LINEWATCH_DATA_DIR ?? join(repoRoot(), 'data'));
  return env;
}

/**
 * Who a development token is for when no --subject is given: `dev-` with its roles and areas
 * (dev-ingest, dev-officer-bath). Rate limits are per subject, so tokens for different roles and
 * areas get budgets of their own, and the same request always names the same subject.
 */
export function developmentSubject(roles: readonly string[], areas: readonly string[]): string {
  const parts = [...new Set(roles)].sort().concat([...new Set(areas)].sort());
  return ['dev', ...parts].join('-');
}

/** `linewatch token`: a development token signed with the local key. */
export async function developmentToken(request: {
  subject?: string;
  roles: readonly Role[];
  areas: readonly string[];
  ttlSeconds: number;
}): Promise<string> {
  return issueDevelopmentToken(loadAuthConfig(authEnvironment()), {
    subject: request.subject ?? developmentSubject(request.roles, request.areas),
    roles: request.roles,
    areas: request.areas,
    ttlSeconds: request.ttlSeconds,
    now: new Date(),
  });
}

/** A given token (--token or LINEWATCH_TOKEN), else a short development token for this command. */
export async function accessToken(given: string | undefined, roles: readonly Role[], subject: string): Promise<string> {
  const token = given ?? process.env.LINEWATCH_TOKEN;
  if (token) return token;
  return issueDevelopmentToken(loadAuthConfig(authEnvironment()), { subject, roles, ttlSeconds: 3600, now: new Date() });
}
