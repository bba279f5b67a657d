import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@linewatch/contracts';
import { IS_PUBLIC } from '@linewatch/observability';
import type { Request, Response } from 'express';
import { bearerChallenge, bearerTokenOf } from './bearer.scheme';
import { AuthenticationError, type Principal } from './principal';
import { ROLES_KEY } from './roles.decorator';
import { TokenVerifier } from './token.verifier';

export type AuthenticatedRequest = Request & { principal?: Principal };

/**
 * Global guard: deny by default. A route opens only when it is @Public() or
 * names the roles that may call it; the caller must then present a valid
 * bearer token carrying one of those roles. A 401 says how to authenticate (`WWW-Authenticate`).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (allowed.length === 0) throw new ForbiddenException({ code: 'FORBIDDEN', message: 'no role may use this route' });

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const header = request.headers.authorization;
    const token = bearerTokenOf(header);
    if (!token) {
      // A header with another scheme or a malformed token is no bearer token at all (RFC 6750 §3.1: no error code).
      response.setHeader('www-authenticate', bearerChallenge(false));
      throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: 'send an access token: Authorization: Bearer <token>' });
    }
    let principal: Principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof AuthenticationError) {
        response.setHeader('www-authenticate', bearerChallenge(true));
        throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: error.message });
      }
      throw error;
    }
    if (!principal.roles.some((role) => allowed.includes(role))) {
      throw new ForbiddenException({ code: 'FORBIDDEN', message: `this route needs one of the roles: ${allowed.join(', ')}` });
    }
    request.principal = principal;
    return true;
  }
}
