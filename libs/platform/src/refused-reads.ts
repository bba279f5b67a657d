import { type Type } from '@nestjs/common';
import type { ErrorCode } from './error-status.map';
import type { Principal } from '@linewatch/security';

/** A read the platform refused before it reached its route, as the s.62 log records it. */
export interface RefusedRead {
  readonly method: string;
  /** The request target as sent, made printable (`/v1/lines/SEC%00x`): what was attempted. */
  readonly target: string;
  readonly code: ErrorCode;
  /** Where the refused text was (`(path)`, `(query).area`, `(header).x-justification`). */
  readonly where: readonly string[];
  /** The caller's X-Justification, clean UTF-8 as written, else escaped. */
  readonly justification: string | null;
}

/**
 * Implemented by a service that keeps the s.62 consultation log (the api): every read attempt by
 * an authenticated caller is a consultation, a refused one included — a probe is on the record.
 */
export interface RefusedReadRecorder {
  recordRefusedRead(principal: Principal, read: RefusedRead): Promise<void>;
}

export interface HttpPlatformOptions {
  /** The service's s.62 recorder of refused reads (resolved from the app's own module). */
  readonly refusedReads?: Type<RefusedReadRecorder>;
}
