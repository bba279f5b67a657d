/**
 * What of an error may be written to a log. Errors from the database and from message handling
 * carry intelligence: TypeORM's QueryFailedError holds the failed statement's `parameters` (every
 * event's payload, numbers and notes) and copies pg's fields onto itself; pg's `detail` and
 * `where` quote row values ("Failing row contains (…)"), some messages quote the value that failed
 * to parse; zod's message echoes the input. pino's standard serializer copies every enumerable
 * property, so all of that reached the log. This one copies an allow-list only: the type, a
 * message with quoted values taken out, stack frames, codes, counts, names of tables and
 * constraints, and the statement's first words — never parameters, payloads or row values.
 */

export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  code?: string | number;
  /** The failed SQL statement's first words (`INSERT INTO intel_event_ids`), never its text or parameters. */
  statement?: string;
  parameterCount?: number;
  issues?: { code: string; path: string }[];
  issueCount?: number;
  /** A configuration error's problems (libs/config ConfigError). */
  problems?: string[];
  cause?: SerializedError;
  errors?: SerializedError[];
  [field: string]: unknown;
}

/** Scalar fields that name things or count, never hold data (pg, node system errors, kafkajs, HTTP). */
const SAFE_FIELDS = [
  'name',
  'code',
  'severity',
  'schema',
  'table',
  'column',
  'constraint',
  'dataType',
  'routine',
  'errno',
  'syscall',
  'address',
  'port',
  'status',
  'statusCode',
  'retriable',
  'retryCount',
  'retryTime',
  'groupId',
  'memberId',
  'topic',
  'partition',
  'broker',
] as const;

/** Nested errors worth following (kafkajs wraps the handler's error in `originalError`/`cause`). */
const NESTED_FIELDS = ['cause', 'originalError'] as const;

const MAX_DEPTH = 3;
const MAX_MESSAGE = 500;
const MAX_AGGREGATED = 5;
const MAX_ISSUES = 10;
const MAX_STACK_FRAMES = 15;
const REDACTED = '[redacted]';

/**
 * Messages that quote the value they failed on: PostgreSQL's data exceptions (class 22) and
 * JSON.parse's (Node 20+ quotes the start of its input). The quoted part is replaced.
 */
const VALUE_QUOTING_MESSAGES: readonly RegExp[] = [
  /(invalid input syntax for(?: type)? [\w ."]+?: )"(?:[^"]|"")*"/g,
  /(invalid input value for enum [\w."]+: )"(?:[^"]|"")*"/g,
  /(malformed (?:array|record|range) literal: )"(?:[^"]|"")*"/g,
  /((?:date\/time|interval) field value out of range: )"(?:[^"]|"")*"/g,
  /(time zone )"(?:[^"]|"")*"( not recognized)/g,
  /(value )"(?:[^"]|"")*"( is out of range for type)/g,
  /(invalid byte sequence for encoding "[\w-]+": )(?:0x[0-9a-f]{2} ?)+/gi,
  /(character with byte sequence )(?:0x[0-9a-f]{2} ?)+/gi,
  /(Unexpected token .{1,4}, )"[^]*?"( is not valid JSON)/g,
  /(, )"[^]*?"( is not valid JSON)/g,
];

/** Text with the values that error messages quote taken out (a whole text: a stack, a log message). */
export function redactQuotedValues(text: string): string {
  let safe = text;
  for (const pattern of VALUE_QUOTING_MESSAGES) {
    safe = safe.replace(
      pattern,
      (_match, before: string, after?: string) => `${before}"${REDACTED}"${typeof after === 'string' ? after : ''}`,
    );
  }
  return safe;
}

/** A message fit for a log: known value-quoting parts redacted, one bounded line. */
export function redactErrorMessage(message: string): string {
  const firstLine = redactQuotedValues(message).split('\n')[0] ?? '';
  return firstLine.length > MAX_MESSAGE ? `${firstLine.slice(0, MAX_MESSAGE)}…` : firstLine;
}

/** The first words of a SQL statement, up to the first table named: enough to tell which one failed. */
export function statementSummary(sql: string): string {
  const words = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .split(' ');
  // Through the word after the first FROM/INTO/UPDATE/TABLE (the table), at most eight words.
  const tableAt = words.findIndex((word) => /^(from|into|update|table|join)$/i.test(word));
  const end = tableAt === -1 ? 4 : Math.min(tableAt + 2, 8);
  return words
    .slice(0, end)
    .map((word) => (/^\$\d+|^'/.test(word) ? '…' : word))
    .join(' ')
    .slice(0, 120);
}

function isErrorLike(value: unknown): value is Error & Record<string, unknown> {
  return (
    value instanceof Error ||
    (typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string' && 'stack' in value)
  );
}

function typeOf(error: Error): string {
  const constructorName = (error as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof constructorName === 'string' && constructorName !== 'Object' && constructorName !== ''
    ? constructorName
    : error.name || 'Error';
}

function isZodError(error: Record<string, unknown>): error is Record<string, unknown> & { issues: { code?: unknown; path?: unknown }[] } {
  return Array.isArray(error.issues) && (error.name === 'ZodError' || error.name === '$ZodError');
}

function stackFrames(stack: unknown): string[] {
  if (typeof stack !== 'string') return [];
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, MAX_STACK_FRAMES);
}

function serialize(error: Error & Record<string, unknown>, depth: number, seen: Set<unknown>): SerializedError {
  seen.add(error);
  const type = typeOf(error);
  const out: SerializedError = { type, message: redactErrorMessage(String(error.message ?? '')) };
  const driver = isErrorLike(error.driverError) ? (error.driverError as Record<string, unknown>) : undefined;
  for (const field of SAFE_FIELDS) {
    const value = error[field] ?? driver?.[field];
    if (value === undefined || value === null) continue;
    if (typeof value === 'number' || typeof value === 'boolean') (out as Record<string, unknown>)[field] = value;
    else if (typeof value === 'string') out[field] = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  }
  // kafkajs' protocol error name (UNKNOWN_MEMBER_ID), body-parser's failure kind (entity.too.large).
  if (typeof error.type === 'string') out.kind = error.type.slice(0, 80);
  if (isZodError(error)) {
    out.message = `${error.issues.length} invalid field(s)`;
    out.issueCount = error.issues.length;
    out.issues = error.issues.slice(0, MAX_ISSUES).map((issue) => ({
      code: String(issue.code ?? 'unknown'),
      path: Array.isArray(issue.path) ? issue.path.map((segment) => String(segment).slice(0, 40)).join('.') : '',
    }));
  }
  // A configuration error lists what is wrong with the operator's own settings (libs/config's
  // ConfigError): names, files and addresses, never police data — the reason a reload was refused.
  if (error.code === 'CONFIG_INVALID' && Array.isArray(error.problems)) {
    out.problems = error.problems.slice(0, MAX_ISSUES).map((problem) => {
      const text = redactQuotedValues(String(problem));
      return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
    });
  }
  if (typeof error.query === 'string') out.statement = statementSummary(error.query);
  if (Array.isArray(error.parameters)) out.parameterCount = error.parameters.length;
  const frames = stackFrames(error.stack);
  if (frames.length > 0) out.stack = [`${type}: ${out.message}`, ...frames].join('\n');
  if (depth < MAX_DEPTH) {
    for (const field of NESTED_FIELDS) {
      const nested = error[field];
      if (isErrorLike(nested) && !seen.has(nested)) {
        out.cause = serialize(nested, depth + 1, seen);
        break;
      }
    }
    if (Array.isArray(error.errors)) {
      out.errors = error.errors
        .filter(isErrorLike)
        .slice(0, MAX_AGGREGATED)
        .map((nested) => serialize(nested, depth + 1, seen));
    }
  }
  return out;
}

/**
 * pino serializer for `err` and `error`: an error becomes its loggable summary; a string is
 * treated as a message; anything else (an object that is not an error) is logged by type only,
 * since what it holds is unknown.
 */
export function serializeError(value: unknown): unknown {
  // pino-http runs pino's standard serializer first (every property copied) and hands us its result: use the original.
  const raw = typeof value === 'object' && value !== null ? (value as { raw?: unknown }).raw : undefined;
  if (isErrorLike(raw)) return serialize(raw, 0, new Set());
  if (isErrorLike(value)) return serialize(value, 0, new Set());
  if (typeof value === 'string') return redactErrorMessage(value);
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return value;
  return { type: typeof value, message: '(not an error: not logged)' };
}

/** The serializers every service's logger uses (pino and pino-http). */
export const ERROR_SERIALIZERS = { err: serializeError, error: serializeError } as const;
