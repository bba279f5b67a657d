import { type CanActivate, type DynamicModule, type ExecutionContext, Inject, Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AuthConfig } from '@linewatch/config';
import { REDIS } from '@linewatch/messaging';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { TokenVerifier, bearerTokenOf } from '@linewatch/security';
import type { Request, Response } from 'express';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { CodedError } from './coded.error';

export const RATE_LIMIT_OPTIONS = Symbol('RATE_LIMIT_OPTIONS');
const RATE_LIMIT_VERIFIER = Symbol('RATE_LIMIT_VERIFIER');

export interface RateLimitOptions {
  readonly service: string;
  /** Requests per minute per caller; 0: off. */
  readonly perMinute: number;
  /** Keeps the counters of environments sharing one Redis apart (the Kafka topic prefix). */
  readonly namespace: string;
}

/** Probes and scrapes are never limited: an orchestrator must always see the service. */
const EXEMPT = /^\/(health|metrics)(\/|$|\?)/;

/**
 * Requests per minute per caller, counted in Redis so that every replica of a service shares the
 * count (rate-limiter-flexible's fixed window, one atomic Redis call a request). The caller is
 * the subject of a token that verifies, else the client address: a stolen or guessed token cannot
 * spend someone else's allowance, and unauthenticated attempts (token guessing) are limited too.
 * It runs before the auth guard, so it verifies the token itself (HS256 or a cached JWKS key:
 * microseconds). With Redis down it lets requests through: Redis holds throttles, which are
 * disposable, and intake must not stop with them.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiterRedis | null;
  private warnedAt = 0;

  constructor(
    @Inject(RATE_LIMIT_OPTIONS) private readonly options: RateLimitOptions,
    @Inject(REDIS) redis: Redis,
    @Inject(RATE_LIMIT_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.limiter =
      options.perMinute > 0
        ? new RateLimiterRedis({
            storeClient: redis,
            keyPrefix: `linewatch:${options.namespace}rate:${options.service}`,
            points: options.perMinute,
            duration: 60,
            rejectIfRedisNotReady: true,
          })
        : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.limiter || context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (EXEMPT.test(request.originalUrl ?? request.url)) return true;
    const caller = await this.callerOf(request);
    try {
      const state = await this.limiter.consume(caller);
      context.switchToHttp().getResponse<Response>().setHeader('ratelimit-remaining', String(state.remainingPoints));
      return true;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        const retryAfter = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
        context.switchToHttp().getResponse<Response>().setHeader('retry-after', String(retryAfter));
        throw new CodedError('RATE_LIMITED', `more than ${this.options.perMinute} requests a minute; try again in ${retryAfter} s`, [], {
          retryAfterSeconds: retryAfter,
        });
      }
      // Redis unreachable: let the request through, and say so now and then (not per request).
      if (Date.now() - this.warnedAt > 60_000) {
        this.warnedAt = Date.now();
        this.logger.warn({ err: outcome }, 'rate limit not applied: Redis unavailable');
      }
      return true;
    }
  }

  private async callerOf(request: Request): Promise<string> {
    const token = bearerTokenOf(request.headers.authorization);
    if (token) {
      try {
        return `sub:${(await this.verifier.verify(token)).subject}`;
      } catch {
        // An invalid token counts against the address it came from.
      }
    }
    return `ip:${request.ip ?? request.socket.remoteAddress ?? 'unknown'}`;
  }
}

/**
 * The rate-limit guard as a global guard. Imported before the SecurityModule, so that it runs
 * before the auth guard (global guards run in the order their modules are registered).
 */
@Module({})
export class RateLimitModule {
  static forRoot(options: RateLimitOptions, auth: AuthConfig): DynamicModule {
    return {
      module: RateLimitModule,
      providers: [
        { provide: RATE_LIMIT_OPTIONS, useValue: options },
        { provide: RATE_LIMIT_VERIFIER, useValue: new TokenVerifier(auth) },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
