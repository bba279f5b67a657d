/**
 * The token of an `Authorization: Bearer <token>` header, or null. The scheme is matched without
 * regard to case (RFC 7235 §2.1: `bearer` and `BEARER` are Bearer); the token is RFC 6750's b64token.
 */
const BEARER = /^bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

export function bearerTokenOf(header: string | undefined): string | null {
  return BEARER.exec(header ?? '')?.[1] ?? null;
}

/** The realm every LineWatch service names in `WWW-Authenticate` (RFC 6750 §3). */
export const AUTH_REALM = 'linewatch';

/**
 * `WWW-Authenticate` for a 401: the bare challenge when no bearer token was sent, and
 * `error="invalid_token"` when one was sent and did not verify (RFC 6750 §3.1).
 */
export function bearerChallenge(tokenGiven: boolean): string {
  return tokenGiven ? `Bearer realm="${AUTH_REALM}", error="invalid_token"` : `Bearer realm="${AUTH_REALM}"`;
}
