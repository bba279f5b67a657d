import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { errorBodyV1, type ErrorBodyV1, type ErrorItemV1 } from '@linewatch/contracts';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { bearerChallenge } from '@linewatch/security';
import type { Request, Response } from 'express';
import { type Observable, throwError } from 'rxjs';
import { CodedError, codedErrorOf } from './coded.error';
import { isDependencyFailure } from './dependency-failure';
import { CODE_OF_STATUS, ERROR_STATUS, isErrorCode } from './error-status.map';

/** Seconds a client should wait before retrying when a dependency is down (the readiness probe's pace). */
export const DEPENDENCY_RETRY_AFTER_S = 5;

interface Answer {
  readonly status: number;
  readonly body: ErrorBodyV1;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Fields of Nest's own bodies (and of anything else) that never reach a caller. */
const NEVER_SHOWN = new Set(['statusCode', 'error', 'stack', 'path', 'timestamp']);

const INTERNAL: ErrorBodyV1 = { code: 'INTERNAL_ERROR', message: 'internal error (logged); try again later or report it', errors: [] };

/**
 * The one exception filter of every service: whatever was thrown — a CodedError, Nest's own
 * exceptions (a pipe's 400, an unknown route), a body-parser failure, a driver error — the answer
 * is `{ code, message, errors[] }` (libs/contracts, errorBodyV1) with the status ERROR_STATUS gives
 * the code. A dependency that cannot be reached is a 503 with `Retry-After`; anything unforeseen
 * a 500 whose details go to the log, never to the caller.
 */
@Catch()
@Injectable()
export class ErrorBodyFilter implements ExceptionFilter {
  constructor(
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Not a request (a Kafka consumer's handler): the error goes back to its transport unchanged.
    if (host.getType() !== 'http') return throwError(() => exception);
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const answer = this.answerTo(exception, request);
    if (response.headersSent) {
      // A streamed answer (an export, the live stream) failed part-way: all that is left is to cut it.
      this.logger.warn({ err: exception, code: answer.body.code }, 'response failed after its headers were sent');
      response.destroy();
      return;
    }
    const checked = errorBodyV1.safeParse(answer.body);
    const body = checked.success ? answer.body : INTERNAL;
    if (!checked.success) this.logger.error({ err: exception, issues: checked.error.issues }, 'an error answer broke the error contract');
    response.setHeader('cache-control', 'no-store');
    response.setHeader('x-content-type-options', 'nosniff');
    // A route's own content type (the acknowledgement page's text/html, set before it ran) must not label the error's JSON.
    response.setHeader('content-type', 'application/json; charset=utf-8');
    for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
    if (answer.status === HttpStatus.UNAUTHORIZED && !response.hasHeader('www-authenticate')) {
      response.setHeader('www-authenticate', bearerChallenge(false));
    }
    response.status(checked.success ? answer.status : HttpStatus.INTERNAL_SERVER_ERROR).json(body);
  }

  private answerTo(exception: unknown, request: Request): Answer {
    const coded = codedErrorOf(exception);
    if (coded) return fromCoded(coded);
    if (exception instanceof HttpException) return this.fromHttpException(exception, request);
    if (isDependencyFailure(exception)) {
      this.logger.warn({ err: exception, method: request.method }, 'a dependency is unavailable: answered 503');
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        body: {
          code: 'DEPENDENCY_UNAVAILABLE',
          message: `a service this one depends on (database, Kafka or Redis) is unavailable; retry in ${DEPENDENCY_RETRY_AFTER_S} s`,
          errors: [],
        },
        headers: { 'retry-after': String(DEPENDENCY_RETRY_AFTER_S) },
      };
    }
    // Errors Express or a library raised with an HTTP status of their own (http-errors), 4xx only.
    const status = (exception as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code = CODE_OF_STATUS[status] ?? 'INVALID_REQUEST';
      return { status, body: { code, message: defaultMessage(code), errors: [] } };
    }
    this.logger.error({ err: exception, method: request.method }, 'request failed');
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: INTERNAL };
  }

  private fromHttpException(exception: HttpException, request: Request): Answer {
    const status = exception.getStatus();
    const given = exception.getResponse();
    if (typeof given === 'object' && given !== null && isCodeLike((given as { code?: unknown }).code)) {
      const { code, message, errors, ...rest } = given as { code: string; message?: unknown; errors?: unknown };
      const extra = Object.fromEntries(Object.entries(rest).filter(([key]) => !NEVER_SHOWN.has(key)));
      return { status, body: { ...extra, code, message: textOf(message) ?? defaultMessage(code), errors: itemsOf(errors) } };
    }
    if (status === HttpStatus.NOT_FOUND) {
      // Nest's "Cannot GET /path" names the path: never echoed. A path some other method serves is a 405.
      const allowed = this.methodsServing(request.path);
      if (allowed.length > 0) {
        return {
          status: HttpStatus.METHOD_NOT_ALLOWED,
          body: { code: 'METHOD_NOT_ALLOWED', message: `${request.method} is not served here; use ${allowed.join(', ')}`, errors: [] },
          headers: { allow: allowed.join(', ') },
        };
      }
      return { status, body: { code: 'ROUTE_NOT_FOUND', message: defaultMessage('ROUTE_NOT_FOUND'), errors: [] } };
    }
    if (status >= 500) {
      const health = healthOf(given);
      if (health) return { status, body: health };
      this.logger.error({ err: exception, method: request.method }, 'request failed');
      return { status, body: { ...INTERNAL, code: CODE_OF_STATUS[status] ?? 'INTERNAL_ERROR' } };
    }
    const code = CODE_OF_STATUS[status] ?? 'INVALID_REQUEST';
    // Nest's pipes say what failed ("Validation failed (uuid is expected)"): safe to pass on.
    const message = textOf((given as { message?: unknown } | null)?.message) ?? textOf(given) ?? defaultMessage(code);
    return { status, body: { code, message, errors: [{ path: '(request)', message }] } };
  }

  /** The methods Express routes the path for (none: it is not a route at all). */
  private methodsServing(path: string): string[] {
    const router = (this.adapterHost.httpAdapter?.getInstance() as { router?: { stack?: RouterLayer[] } } | undefined)?.router;
    const methods = new Set<string>();
    for (const layer of router?.stack ?? []) {
      // Wildcard routes are Nest's middleware (applied to every path), not routes of the service.
      if (!layer.route || layer.route.path.includes('*') || !layer.match(path)) continue;
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') methods.add(method.toUpperCase());
    }
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }
}

interface RouterLayer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
  match(path: string): boolean;
}

function fromCoded(error: CodedError): Answer {
  const { retryAfterSeconds } = error.details as { retryAfterSeconds?: unknown };
  return {
    status: ERROR_STATUS[error.code],
    body: { ...error.details, code: error.code, message: error.message || defaultMessage(error.code), errors: [...error.errors] },
    headers: typeof retryAfterSeconds === 'number' ? { 'retry-after': String(retryAfterSeconds) } : undefined,
  };
}

/** Terminus's 503 body (`{ status: 'error', error: { kafka: { message } } }`) as errors[]: what is not ready. */
function healthOf(given: unknown): ErrorBodyV1 | null {
  const failing = (given as { status?: unknown; error?: unknown } | null)?.error;
  if ((given as { status?: unknown } | null)?.status !== 'error' || typeof failing !== 'object' || failing === null) return null;
  const errors = Object.entries(failing).map(([name, detail]) => ({
    path: name,
    message: textOf((detail as { message?: unknown })?.message) ?? 'down',
  }));
  // Terminus's own fields stay beside the shape: orchestrators and dashboards read `info`/`error` per dependency.
  const { status, info, details } = given as { status: string; info?: unknown; details?: unknown };
  return {
    code: 'NOT_READY',
    message: `not ready: ${errors.map((e) => e.path).join(', ')}`,
    errors,
    status,
    info,
    error: failing,
    details,
  };
}

/** A code of ERROR_STATUS, or one a route named itself in the same form (UPPER_SNAKE). */
function isCodeLike(code: unknown): code is string {
  return isErrorCode(code) || (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code));
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string') && value.length > 0) return value.join('; ');
  return undefined;
}

function itemsOf(value: unknown): ErrorItemV1[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((item): item is { path?: unknown; message?: unknown } => typeof item === 'object' && item !== null)
    .map((item) => ({ path: String(item.path ?? '(request)'), message: String(item.message ?? '') }));
}

function defaultMessage(code: string): string {
  switch (code) {
    case 'ROUTE_NOT_FOUND':
      return 'no such route (see /docs for this service’s routes)';
    case 'UNAUTHENTICATED':
      return 'send an access token: Authorization: Bearer <token>';
    case 'BODY_TOO_LARGE':
      return 'the body is larger than this service accepts';
    case 'UNSUPPORTED_CONTENT_TYPE':
      return 'this content type is not accepted here';
    default:
      return code.toLowerCase().replaceAll('_', ' ');
  }
}
