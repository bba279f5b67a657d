import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { TokenVerifier, bearerTokenOf, type AuthenticatedRequest, type Principal } from '@linewatch/security';
import type { NextFunction, Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { CodedError } from './coded.error';
import { type HttpPlatformOptions, type RefusedReadRecorder } from './refused-reads';
import { findInBody, findInHeaders, findInUrl, sanitisedHeaderValue, sanitisedTarget, type TextFinding } from './request-text.check';

export const HTTP_PLATFORM_OPTIONS = Symbol('HTTP_PLATFORM_OPTIONS');
export const HTTP_PLATFORM_VERIFIER = Symbol('HTTP_PLATFORM_VERIFIER');

const CHECKS_OWN_TEXT = 'linewatch:checks-own-text';
/**
 * A route whose body is validated item by item by a contract that already refuses NUL and
 * unpaired surrogates with its own codes (ingest's events: one bad event must not sink the batch).
 */
export const ChecksOwnBodyText = (): MethodDecorator & ClassDecorator => SetMetadata(CHECKS_OWN_TEXT, true);

const READS = new Set(['GET', 'HEAD']);

/**
 * Refuses a request holding text no service takes (see request-text.check.ts) with
 * 400 INVALID_CHARACTERS, and — for a read by an authenticated caller — puts the attempt on the
 * s.62 record first (through the service's RefusedReadRecorder, if it keeps the log).
 */
@Injectable()
export class RequestRefusals {
  constructor(
    @Inject(HTTP_PLATFORM_OPTIONS) private readonly options: HttpPlatformOptions,
    @Inject(HTTP_PLATFORM_VERIFIER) private readonly verifier: TokenVerifier,
    private readonly moduleRef: ModuleRef,
  ) {}

  async refuse(request: AuthenticatedRequest, findings: readonly TextFinding[]): Promise<never> {
    if (READS.has(request.method) && this.options.refusedReads) {
      const principal = request.principal ?? (await this.callerOf(request));
      if (principal) {
        const recorder = this.moduleRef.get<RefusedReadRecorder>(this.options.refusedReads, { strict: false });
        await recorder.recordRefusedRead(principal, {
          method: request.method,
          target: sanitisedTarget(request.originalUrl ?? request.url),
          code: 'INVALID_CHARACTERS',
          where: findings.map((f) => f.path),
          justification: sanitisedHeaderValue(request.headers['x-justification'] as string | undefined),
        });
      }
    }
    throw new CodedError('INVALID_CHARACTERS', findings.map((f) => f.message).join('; '), findings);
  }

  /** Before routing the guard has not run yet: an invalid token simply means nobody to record. */
  private async callerOf(request: Request): Promise<Principal | null> {
    const token = bearerTokenOf(request.headers.authorization);
    if (!token) return null;
    try {
      return await this.verifier.verify(token);
    } catch {
      return null;
    }
  }
}

/**
 * The path, the query and the headers, checked on the raw bytes before Express decodes any of it
 * (so before routing: a path Express could not decode would otherwise never reach a route).
 */
@Injectable()
export class RequestTextMiddleware {
  constructor(private readonly refusals: RequestRefusals) {}

  async use(request: Request, _response: Response, next: NextFunction): Promise<void> {
    const findings = [...findInUrl(request.originalUrl ?? request.url), ...findInHeaders(request.rawHeaders)];
    if (findings.length > 0) await this.refusals.refuse(request, findings);
    next();
  }
}

/** The parsed JSON body, checked once the route and the caller are known (after the guards). */
@Injectable()
export class RequestBodyTextInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly refusals: RequestRefusals,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (
      context.getType() === 'http' &&
      !this.reflector.getAllAndOverride<boolean>(CHECKS_OWN_TEXT, [context.getHandler(), context.getClass()])
    ) {
      const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
      const findings = findInBody(request.body);
      if (findings.length > 0) await this.refusals.refuse(request, findings);
    }
    return next.handle();
  }
}

/** Responses of these services are private data: never cached by a browser or a proxy, never type-sniffed. */
export function privateResponses(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('cache-control', 'no-store');
  response.setHeader('x-content-type-options', 'nosniff');
  next();
}
