import type { z } from 'zod';
import { INTEL_EVENT_TYPES, intelEventV1, type IntelEventV1 } from './intel-event.v1';

/** Stable rejection codes: clients and the dead-letter topic rely on them. */
export const REJECTION_CODES = [
  'MALFORMED_JSON',
  'MALFORMED_CSV',
  'NOT_AN_OBJECT',
  'UNKNOWN_TYPE',
  'INVALID_FIELDS',
  'INVALID_GRADING',
  'MISSING_GRADING',
  'IMPOSSIBLE_DATE',
  'FUTURE_EVENT',
  'ANCIENT_EVENT',
  'UNKNOWN_AREA',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly event: IntelEventV1 }
  | { readonly ok: false; readonly code: RejectionCode; readonly message: string; readonly errors: readonly FieldError[] };

export interface ValidationContext {
  /** The clock is an input: validation never reads it itself. */
  readonly now: Date;
  readonly maxFutureSkewMs: number;
  /** Configured area codes; when given, any other area is rejected. */
  readonly areas?: ReadonlySet<string>;
}

function reject(code: RejectionCode, message: string, errors: readonly FieldError[] = []): ValidationResult {
  return { ok: false, code, message, errors };
}

function pathOf(path: readonly PropertyKey[]): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
      .join('.')
      .replace(/\.\[/g, '[') || '(event)'
  );
}

const IMPOSSIBLE_DATE_MESSAGE = 'impossible calendar date';

/**
 * The earliest `occurredAt` (and `reportedAt`) accepted. County Lines intelligence is recorded
 * from the 2010s; a date before 1990 is a typing or conversion error (an epoch of 0, a two-digit
 * year), and accepting it would open a line decades in the past.
 */
export const EARLIEST_EVENT_TIME = '1990-01-01T00:00:00Z';

/** No event is nested deeper than 5 levels; anything far deeper is hostile or broken. */
export const MAX_EVENT_DEPTH = 16;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** How much of a client's value is echoed in a message (a 5 MB `type` is not repeated back). */
const ECHO_CHARS = 64;

function echo(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > ECHO_CHARS ? `${text.slice(0, ECHO_CHARS)}…` : text;
}

/**
 * What the schema cannot see, checked before it on every string and key: NUL (PostgreSQL text and
 * jsonb cannot hold U+0000, so an accepted event would fail to store and block its partition),
 * unpaired UTF-16 surrogates (not Unicode; jsonb refuses them too) and nesting deeper than
 * MAX_EVENT_DEPTH. Iterative, so a 10,000-deep value cannot overflow the stack.
 */
function textErrorsOf(input: object): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: input, path: [] }];
  const checkString = (text: string, path: readonly PropertyKey[], what: string) => {
    if (text.includes('\u0000')) errors.push({ path: pathOf(path), message: `${what} contains a NUL character (U+0000)` });
    else if (LONE_SURROGATE.test(text))
      errors.push({ path: pathOf(path), message: `${what} is not valid Unicode (an unpaired surrogate)` });
  };
  while (stack.length > 0 && errors.length < 20) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      checkString(value, path, 'the text');
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= MAX_EVENT_DEPTH) {
      errors.push({ path: pathOf(path), message: `nested deeper than ${MAX_EVENT_DEPTH} levels` });
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
      continue;
    }
    for (const key of Object.keys(value)) {
      checkString(key, [...path, key], 'the field name');
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return errors;
}

/**
 * One error per field. zod reports unknown keys on the object that holds them (path "(event)" or
 * "body"): name each key instead, so the client sees which field to remove. A non-existent date
 * also fails the ISO-8601 format; keep only the calendar error for it, since "expected an ISO-8601
 * date-time" is the wrong advice for a well-formed 2026-02-30.
 */
function fieldErrorsOf(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const impossibleDates = new Set(issues.filter((issue) => issue.message === IMPOSSIBLE_DATE_MESSAGE).map((issue) => pathOf(issue.path)));
  return issues.flatMap((issue): FieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'unknown field' }));
    }
    const path = pathOf(issue.path);
    if (impossibleDates.has(path) && issue.message !== IMPOSSIBLE_DATE_MESSAGE) return [];
    return [{ path, message: issue.message }];
  });
}

/** Validates a decoded event; `parseAndValidate` also decodes bytes. */
export function validateIntelEvent(input: unknown, context: ValidationContext): ValidationResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return reject('NOT_AN_OBJECT', 'an event must be a JSON object', [
      { path: '(event)', message: `expected an object, got ${Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input}` },
    ]);
  }
  const type = (input as { type?: unknown }).type;
  if (typeof type !== 'string' || !(INTEL_EVENT_TYPES as readonly string[]).includes(type)) {
    return reject('UNKNOWN_TYPE', `unknown event type ${echo(type)}; expected one of ${INTEL_EVENT_TYPES.join(', ')}`, [
      { path: 'type', message: 'unknown event type' },
    ]);
  }
  const textErrors = textErrorsOf(input);
  if (textErrors.length > 0) {
    return reject('INVALID_FIELDS', `${textErrors.length} field${textErrors.length === 1 ? '' : 's'} invalid`, textErrors);
  }
  const result = intelEventV1.safeParse(input);
  if (!result.success) {
    const errors = fieldErrorsOf(result.error.issues);
    const first = result.error.issues[0];
    const topField = String(first?.path[0] ?? '');
    if (topField === 'grading') {
      const missing = (input as { grading?: unknown }).grading === undefined;
      return reject(
        missing ? 'MISSING_GRADING' : 'INVALID_GRADING',
        missing ? 'grading is required (3x5x2)' : 'grading is not a valid 3x5x2 or 5x5x5 grading',
        errors,
      );
    }
    if (result.error.issues.some((issue) => issue.message === IMPOSSIBLE_DATE_MESSAGE)) {
      return reject('IMPOSSIBLE_DATE', 'a date in the event does not exist in the calendar', errors);
    }
    return reject('INVALID_FIELDS', `${errors.length} field${errors.length === 1 ? '' : 's'} invalid`, errors);
  }
  const event = result.data;
  const limit = context.now.getTime() + context.maxFutureSkewMs;
  for (const field of ['occurredAt', 'reportedAt'] as const) {
    const value = event[field];
    if (value !== undefined && Date.parse(value) > limit) {
      return reject('FUTURE_EVENT', `${field} is in the future beyond the allowed clock skew of ${context.maxFutureSkewMs} ms`, [
        { path: field, message: 'in the future' },
      ]);
    }
  }
  const floor = Date.parse(EARLIEST_EVENT_TIME);
  for (const field of ['occurredAt', 'reportedAt'] as const) {
    const value = event[field];
    if (value !== undefined && Date.parse(value) < floor) {
      return reject('ANCIENT_EVENT', `${field} is before ${EARLIEST_EVENT_TIME.slice(0, 10)}: surely a typing or conversion error`, [
        { path: field, message: `before ${EARLIEST_EVENT_TIME.slice(0, 10)}` },
      ]);
    }
  }
  if (event.reportedAt !== undefined && Date.parse(event.reportedAt) < Date.parse(event.occurredAt)) {
    return reject('INVALID_FIELDS', 'reportedAt is before occurredAt', [{ path: 'reportedAt', message: 'before occurredAt' }]);
  }
  if (context.areas && !context.areas.has(event.area)) {
    return reject('UNKNOWN_AREA', `unknown area ${echo(event.area)}`, [{ path: 'area', message: 'not a configured area' }]);
  }
  return { ok: true, event };
}

/** Decodes UTF-8 JSON bytes, then validates. Invalid UTF-8 is malformed JSON. */
export function parseAndValidateIntelEvent(bytes: Uint8Array, context: ValidationContext): ValidationResult {
  let decoded: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    decoded = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return reject('MALFORMED_JSON', `not valid UTF-8 JSON: ${detail}`, [{ path: '(event)', message: detail }]);
  }
  return validateIntelEvent(decoded, context);
}
