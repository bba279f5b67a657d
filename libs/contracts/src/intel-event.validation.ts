import type { z } from 'zod';
import {
  INTEL_EVENT_TYPES,
  intelEventSubmissionV1,
  intelEventV1,
  resolutionErrorOf,
  type IntelEventSubmission,
  type IntelEventV1,
} from './intel-event.v1';
import type { IdentifierKind } from './line-identifier.v1';
import { LINE_LINK_TYPES, lineLinkV1, type LineLinkV1 } from './line-link.v1';

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
  /** The number that names the line (`line.msisdn`, `lines[].msisdn`, an attachment's) is not a possible phone number. */
  'INVALID_MSISDN',
  /** The handset that names the line (`line.imei`, …) is not 15 digits with a valid (Luhn) check digit. */
  'INVALID_IMEI',
  /** A valid submission that names a line by number or handset only, given where a resolved event is required (`validateIntelEvent`). */
  'UNRESOLVED_LINE',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export interface Rejection {
  readonly ok: false;
  readonly code: RejectionCode;
  readonly message: string;
  readonly errors: readonly FieldError[];
}

/** The answer of a validation: the parsed (normalised) value, or a rejection with a code. */
export type Validated<T> = { readonly ok: true; readonly event: T } | Rejection;

export type ValidationResult = Validated<IntelEventV1>;
export type SubmissionValidationResult = Validated<IntelEventSubmission>;
export type LinkValidationResult = Validated<LineLinkV1>;

export interface ValidationContext {
  /** The clock is an input: validation never reads it itself. */
  readonly now: Date;
  readonly maxFutureSkewMs: number;
  /** Configured area codes; when given, any other area is rejected. */
  readonly areas?: ReadonlySet<string>;
}

function reject(code: RejectionCode, message: string, errors: readonly FieldError[] = []): Rejection {
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
 * A value met while walking an event: it knows its parent and key, so that a path is built only
 * for an error (building one for every node was a good share of the tracker's allocations).
 */
interface TextNode {
  readonly value: unknown;
  readonly parent: TextNode | null;
  readonly key: PropertyKey;
  readonly depth: number;
}

function pathTo(node: TextNode | null, last?: PropertyKey): string {
  const path: PropertyKey[] = last === undefined ? [] : [last];
  for (let at = node; at !== null && at.parent !== null; at = at.parent) path.push(at.key);
  return pathOf(path.reverse());
}

/** What is wrong with a string or key that the database could not store, or null. */
function textProblemOf(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000)';
  return LONE_SURROGATE.test(text) ? 'is not valid Unicode (an unpaired surrogate)' : null;
}

/**
 * What the schema cannot see, checked before it on every string and key: NUL (PostgreSQL text and
 * jsonb cannot hold U+0000, so an accepted event would fail to store and block its partition),
 * unpaired UTF-16 surrogates (not Unicode; jsonb refuses them too) and nesting deeper than
 * MAX_EVENT_DEPTH. Iterative, so a 10,000-deep value cannot overflow the stack.
 */
function textErrorsOf(input: object): FieldError[] {
  const errors: FieldError[] = [];
  const stack: TextNode[] = [{ value: input, parent: null, key: '', depth: 0 }];
  while (stack.length > 0 && errors.length < 20) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === 'string') {
      const problem = textProblemOf(value);
      if (problem !== null) errors.push({ path: pathTo(node), message: `the text ${problem}` });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (node.depth >= MAX_EVENT_DEPTH) {
      errors.push({ path: pathTo(node), message: `nested deeper than ${MAX_EVENT_DEPTH} levels` });
      continue;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i += 1) stack.push({ value: value[i], parent: node, key: i, depth: node.depth + 1 });
      continue;
    }
    for (const key of Object.keys(value)) {
      const problem = textProblemOf(key);
      if (problem !== null) errors.push({ path: pathTo(node, key), message: `the field name ${problem}` });
      stack.push({ value: (value as Record<string, unknown>)[key], parent: node, key, depth: node.depth + 1 });
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
  // Unknown fields last: zod reports them before a whole-object rule ("name the line"), and what is
  // missing is the better first advice (a raid sent with `lineId` is told about `lineIds` first).
  const ordered = [
    ...issues.filter((issue) => issue.code !== 'unrecognized_keys'),
    ...issues.filter((issue) => issue.code === 'unrecognized_keys'),
  ];
  return ordered.flatMap((issue): FieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'unknown field' }));
    }
    const path = pathOf(issue.path);
    if (impossibleDates.has(path) && issue.message !== IMPOSSIBLE_DATE_MESSAGE) return [];
    return [{ path, message: issue.message }];
  });
}

/** What differs between the contracts validated here: the schema, its types, and which paths hold an identifier naming a line. */
interface Contract<T> {
  readonly schema: z.ZodType<T>;
  readonly types: readonly string[];
  readonly identifierAt: (path: readonly PropertyKey[]) => IdentifierKind | null;
  /** A rule the schema leaves to after parsing (kept out of zod to keep the parse fast). */
  readonly afterParse?: (event: T) => FieldError | null;
}

const IDENTIFIER_CODES: Record<IdentifierKind, RejectionCode> = { msisdn: 'INVALID_MSISDN', imei: 'INVALID_IMEI' };

/** `line.msisdn`, `line.imei`, `lines[i].msisdn`, `lines[i].imei`: identifiers that name the line. */
function lineIdentifierAt(path: readonly PropertyKey[]): IdentifierKind | null {
  const field = path[0] === 'line' && path.length === 2 ? path[1] : path[0] === 'lines' && path.length === 3 ? path[2] : null;
  return field === 'msisdn' || field === 'imei' ? field : null;
}

/** An attachment's `body.msisdn`, `body.imei`. */
function bodyIdentifierAt(path: readonly PropertyKey[]): IdentifierKind | null {
  const field = path[0] === 'body' && path.length === 2 ? path[1] : null;
  return field === 'msisdn' || field === 'imei' ? field : null;
}

const RESOLVED: Contract<IntelEventV1> = {
  schema: intelEventV1,
  types: INTEL_EVENT_TYPES,
  identifierAt: lineIdentifierAt,
  afterParse: resolutionErrorOf,
};
const SUBMISSION: Contract<IntelEventSubmission> = {
  schema: intelEventSubmissionV1,
  types: INTEL_EVENT_TYPES,
  identifierAt: lineIdentifierAt,
};
const LINK: Contract<LineLinkV1> = { schema: lineLinkV1, types: LINE_LINK_TYPES, identifierAt: bodyIdentifierAt };

function validateAgainst<T extends { readonly occurredAt: string; readonly reportedAt?: string; readonly area: string }>(
  contract: Contract<T>,
  input: unknown,
  context: ValidationContext,
  whenInvalid?: () => Rejection | null,
): Validated<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return reject('NOT_AN_OBJECT', 'an event must be a JSON object', [
      { path: '(event)', message: `expected an object, got ${Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input}` },
    ]);
  }
  const type = (input as { type?: unknown }).type;
  if (typeof type !== 'string' || !contract.types.includes(type)) {
    return reject('UNKNOWN_TYPE', `unknown event type ${echo(type)}; expected one of ${contract.types.join(', ')}`, [
      { path: 'type', message: 'unknown event type' },
    ]);
  }
  const textErrors = textErrorsOf(input);
  if (textErrors.length > 0) {
    return reject('INVALID_FIELDS', `${textErrors.length} field${textErrors.length === 1 ? '' : 's'} invalid`, textErrors);
  }
  const result = contract.schema.safeParse(input);
  if (!result.success) {
    const instead = whenInvalid?.();
    if (instead) return instead;
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
    const identifier = result.error.issues.map((issue) => contract.identifierAt(issue.path)).find((kind) => kind !== null);
    if (identifier) {
      const what =
        identifier === 'msisdn' ? 'the number naming the line is not a valid phone number' : 'the IMEI naming the line is not valid';
      return reject(IDENTIFIER_CODES[identifier], what, errors);
    }
    return reject('INVALID_FIELDS', `${errors.length} field${errors.length === 1 ? '' : 's'} invalid`, errors);
  }
  const event = result.data;
  const afterParse = contract.afterParse?.(event) ?? null;
  if (afterParse !== null) return reject('INVALID_FIELDS', '1 field invalid', [afterParse]);
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

/**
 * Validates a decoded RESOLVED event (every line named by id): what the tracker reads off the
 * topic and what every v1 client has always sent. A valid submission naming a line by number or
 * handset only is refused as UNRESOLVED_LINE: resolve it first (`validateIntelSubmission`,
 * `resolveIntelEvent`). `parseAndValidate` also decodes bytes.
 */
export function validateIntelEvent(input: unknown, context: ValidationContext): ValidationResult {
  return validateAgainst(RESOLVED, input, context, () =>
    intelEventSubmissionV1.safeParse(input).success
      ? reject('UNRESOLVED_LINE', 'the event names its line by number or handset: it must be resolved to a line first', [
          { path: 'lineId', message: 'not resolved yet' },
        ])
      : null,
  );
}

/**
 * Validates what a client submits: a v1 event, or one naming its line(s) by number or handset
 * (`line`, a raid's `lines`) instead of or beside ids. Identifiers come back normalised (E.164,
 * 15-digit IMEI); `resolveIntelEvent` then makes the resolved event.
 */
export function validateIntelSubmission(input: unknown, context: ValidationContext): SubmissionValidationResult {
  return validateAgainst(SUBMISSION, input, context);
}

/** Validates a link decision (`line.merged`, `line.unmerged`, `line.identifier_attached`): same envelope rules. */
export function validateLineLink(input: unknown, context: ValidationContext): LinkValidationResult {
  return validateAgainst(LINK, input, context);
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

/** `parseAndValidateIntelEvent` for submissions (a direct Kafka producer's identifier-only event). */
export function parseAndValidateIntelSubmission(bytes: Uint8Array, context: ValidationContext): SubmissionValidationResult {
  let decoded: unknown;
  try {
    decoded = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return reject('MALFORMED_JSON', `not valid UTF-8 JSON: ${detail}`, [{ path: '(event)', message: detail }]);
  }
  return validateIntelSubmission(decoded, context);
}
