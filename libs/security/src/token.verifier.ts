import type { AuthConfig } from '@linewatch/config';
import { ROLES, type Role } from '@linewatch/contracts';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { AuthenticationError, type Principal } from './principal';

/** Asymmetric algorithms accepted from an identity provider; `none` and HMAC never are. */
const JWKS_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
/** The local development key signs HS256 only. */
const LOCAL_ALGORITHMS = ['HS256'];
const CLOCK_TOLERANCE_S = 30;

/**
 * Verifies bearer tokens: signature with an allowed algorithm, issuer,
 * audience, expiry (required) — then reads roles and areas. Any failure is
 * an AuthenticationError with a reason fit to show the caller.
 */
export class TokenVerifier {
  private readonly key: Uint8Array | KeyLike | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(private readonly config: AuthConfig) {
    if (config.mode === 'jwks') {
      this.key = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
      this.algorithms = JWKS_ALGORITHMS;
    } else {
      this.key = new TextEncoder().encode(config.secret);
      this.algorithms = LOCAL_ALGORITHMS;
    }
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.key as Uint8Array, {
        algorithms: this.algorithms,
        issuer: this.config.issuer,
        audience: this.config.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_S,
      });
      const roles = (Array.isArray(payload.roles) ? payload.roles : []).filter((r): r is Role => (ROLES as readonly unknown[]).includes(r));
      if (roles.length === 0) throw new AuthenticationError('the token carries no LineWatch role');
      const areas = Array.isArray(payload.areas) ? payload.areas.filter((a): a is string => typeof a === 'string') : [];
      return { subject: String(payload.sub), roles, areas, tokenId: typeof payload.jti === 'string' ? payload.jti : undefined };
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      if (error instanceof errors.JWTExpired) throw new AuthenticationError('the token has expired');
      if (error instanceof errors.JWTClaimValidationFailed)
        throw new AuthenticationError(`the token's ${error.claim} claim is not accepted`);
      if (error instanceof errors.JOSEAlgNotAllowed)
        throw new AuthenticationError('the token is signed with an algorithm that is not allowed');
      throw new AuthenticationError('the token is not valid');
    }
  }
}
