import { types } from 'node:util';
import type { ErrorItemV1 } from '@linewatch/contracts';
import { type ErrorCode, isErrorCode } from './error-status.map';

/**
 * The base of every error a service answers a request with: a code from ERROR_STATUS (which
 * gives its HTTP status, in the exception filter only), a message fit to show the caller, and
 * the problems it found. Use cases throw these; they never name an HTTP status.
 */
export class CodedError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly errors: readonly ErrorItemV1[] = [],
    /** Extra fields of the answer (e.g. `retryAfterSeconds`); never a stack or a path. */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * An error from a library below this one (which cannot import CodedError) that carries a code of
 * ERROR_STATUS: the body parser's errors as the service boot labels them, say.
 */
export function codedErrorOf(error: unknown): CodedError | null {
  if (error instanceof CodedError) return error;
  if (!(error instanceof Error || types.isNativeError(error))) return null;
  const { code, errors } = error as Error & { code?: unknown; errors?: unknown };
  if (!isErrorCode(code)) return null;
  return new CodedError(code, error.message, Array.isArray(errors) ? (errors as ErrorItemV1[]) : []);
}
