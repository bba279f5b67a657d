import { HttpStatus } from '@nestjs/common';

/**
 * Every error code a LineWatch service answers with, and its HTTP status: the one place a code
 * meets a status (the exception filter reads it; use cases only throw a CodedError with the code).
 * A code not listed here cannot be thrown as a CodedError (the type refuses it).
 */
export const ERROR_STATUS = {
  // The request itself
  INVALID_REQUEST: HttpStatus.BAD_REQUEST,
  INVALID_QUERY: HttpStatus.BAD_REQUEST,
  INVALID_PARAMETER: HttpStatus.BAD_REQUEST,
  INVALID_CHARACTERS: HttpStatus.BAD_REQUEST,
  INVALID_JUSTIFICATION: HttpStatus.BAD_REQUEST,
  MALFORMED_REQUEST: HttpStatus.BAD_REQUEST,
  MALFORMED_JSON: HttpStatus.BAD_REQUEST,
  MALFORMED_CSV: HttpStatus.BAD_REQUEST,
  BATCH_SIZE: HttpStatus.BAD_REQUEST,
  BODY_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  HEADERS_TOO_LARGE: 431, // Request Header Fields Too Large (not in Nest's HttpStatus)
  UNSUPPORTED_CONTENT_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  ROUTE_NOT_FOUND: HttpStatus.NOT_FOUND,
  METHOD_NOT_ALLOWED: HttpStatus.METHOD_NOT_ALLOWED,
  // Who is asking
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  INVALID_LINK: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  // What the request is about
  LINE_NOT_FOUND: HttpStatus.NOT_FOUND,
  ALERT_NOT_FOUND: HttpStatus.NOT_FOUND,
  SILENCE_NOT_FOUND: HttpStatus.NOT_FOUND,
  EVENT_NOT_FOUND: HttpStatus.NOT_FOUND,
  TEAM_NOT_FOUND: HttpStatus.NOT_FOUND,
  ALERT_NOT_OPEN: HttpStatus.CONFLICT,
  INVALID_ASSESSMENT: HttpStatus.BAD_REQUEST,
  INVALID_REVIEW: HttpStatus.BAD_REQUEST,
  // Closure check-backs (docs/api.md)
  INVALID_CHECK_BACK: HttpStatus.BAD_REQUEST,
  CHECK_BACK_NOT_FOUND: HttpStatus.NOT_FOUND,
  NO_TYPE_1_CLOSURE: HttpStatus.CONFLICT,
  CHECK_BACK_NOT_OPEN: HttpStatus.CONFLICT,
  INVALID_SILENCE: HttpStatus.BAD_REQUEST,
  UNKNOWN_AREA: HttpStatus.BAD_REQUEST,
  EXPORT_RANGE: HttpStatus.BAD_REQUEST,
  EXPORT_AREA: HttpStatus.BAD_REQUEST,
  // Line identity: lookups and analysts' link decisions (the codes intake refuses identifiers with)
  INVALID_MSISDN: HttpStatus.BAD_REQUEST,
  INVALID_IMEI: HttpStatus.BAD_REQUEST,
  INVALID_LINK_DECISION: HttpStatus.BAD_REQUEST,
  MERGE_INTO_ITSELF: HttpStatus.CONFLICT,
  MERGE_INTO_OWN_ALIAS: HttpStatus.CONFLICT,
  ALREADY_MERGED: HttpStatus.CONFLICT,
  ALREADY_UNMERGED: HttpStatus.CONFLICT,
  UNMERGE_BEFORE_MERGE: HttpStatus.CONFLICT,
  MERGE_NOT_FOUND: HttpStatus.NOT_FOUND,
  SUGGESTION_NOT_FOUND: HttpStatus.NOT_FOUND,
  SUGGESTION_NOT_OPEN: HttpStatus.CONFLICT,
  // Disposal and erasure (issue 19)
  DISPOSAL_PENDING: HttpStatus.CONFLICT,
  NO_DISPOSAL_HOLD: HttpStatus.CONFLICT,
  TOMBSTONE_NOT_FOUND: HttpStatus.NOT_FOUND,
  // The service and what it stands on
  NOT_READY: HttpStatus.SERVICE_UNAVAILABLE,
  DEPENDENCY_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  PUBLISH_FAILED: HttpStatus.SERVICE_UNAVAILABLE,
  INTERNAL_ERROR: HttpStatus.INTERNAL_SERVER_ERROR,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_STATUS, code);
}

/** The code a bare status gets when nothing more specific said what went wrong (Nest's own exceptions). */
export const CODE_OF_STATUS: Readonly<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'INVALID_REQUEST',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHENTICATED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'ROUTE_NOT_FOUND',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'METHOD_NOT_ALLOWED',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'BODY_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'UNSUPPORTED_CONTENT_TYPE',
  [431]: 'HEADERS_TOO_LARGE',
  [HttpStatus.TOO_MANY_REQUESTS]: 'RATE_LIMITED',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'DEPENDENCY_UNAVAILABLE',
};
