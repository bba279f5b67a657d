import { Writable } from 'node:stream';
import { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { DatabaseError } from 'pg';
import pino from 'pino';
import { QueryFailedError } from 'typeorm';
import { z } from 'zod';
import { ERROR_SERIALIZERS, redactErrorMessage, redactQuotedValues, serializeError, statementSummary } from '@linewatch/observability';

const PHONE = '+447700900999';
const NOTE = 'seen at the back of the Co-op with a holdall';

/** A pg error as the driver makes it, with the fields that quote row values. */
function pgError(message: string, code: string, fields: Partial<DatabaseError> = {}): DatabaseError {
  return Object.assign(new DatabaseError(message, 100, 'error'), { severity: 'ERROR', code, ...fields });
}

function queryFailed(driverError: DatabaseError): QueryFailedError {
  return new QueryFailedError(
    `WITH fresh AS (\n  INSERT INTO intel_event_ids (event_id, occurred_at)\n  SELECT * FROM unnest($1::uuid[], $2::timestamptz[])) INSERT INTO intel_events …`,
    [['5b1f…'], [JSON.stringify({ body: { msisdn: PHONE, note: NOTE } })]],
    driverError,
  );
}

/** What a pino logger with our serializers writes for one call. */
function logged(write: (logger: pino.Logger) => void): string {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  write(pino({ serializers: ERROR_SERIALIZERS }, sink));
  return lines.join('');
}

describe('serializeError', () => {
  const violation = pgError('new row for relation "intel_events" violates check constraint "probe"', '23514', {
    table: 'intel_events',
    constraint: 'probe',
    detail: `Failing row contains (…, {"body": {"msisdn": "${PHONE}", "note": "${NOTE}"}}).`,
    where: `SQL statement "INSERT … VALUES ('${PHONE}')"`,
  });

  it('keeps code, constraint, table and the statement first words of a failed TypeORM query', () => {
    const out = serializeError(queryFailed(violation)) as Record<string, unknown>;
    expect(out).toMatchObject({
      type: 'QueryFailedError',
      code: '23514',
      severity: 'ERROR',
      table: 'intel_events',
      constraint: 'probe',
      statement: 'WITH fresh AS ( INSERT INTO intel_event_ids',
      parameterCount: 2,
      message: 'new row for relation "intel_events" violates check constraint "probe"',
    });
    expect(String(out.stack)).toMatch(/^QueryFailedError: new row .*\n\s+at /);
  });

  it.each([
    ['the TypeORM error', () => queryFailed(violation)],
    ['the pg error', () => violation],
    [
      'kafkajs retries exceeded around it',
      () => new KafkaJSNumberOfRetriesExceeded(queryFailed(violation), { retryCount: 5, retryTime: 100 }),
    ],
    ['an AggregateError of it', () => new AggregateError([queryFailed(violation)], 'several failed')],
  ])('never writes parameters, detail or where: %s', (_name, make) => {
    for (const key of ['err', 'error'] as const) {
      const line = logged((logger) => logger.error({ [key]: make() }, 'batch failed'));
      expect(line).not.toContain(PHONE);
      expect(line).not.toContain('Co-op');
      expect(line).not.toContain('Failing row');
      expect(line).toContain('23514');
    }
  });

  it("takes pino-http's pre-serialized error back to the original", () => {
    const wrapped = pino.stdSerializers.wrapErrorSerializer(serializeError as (err: pino.SerializedError) => Record<string, unknown>);
    const out = wrapped(queryFailed(violation) as never);
    expect(out).toMatchObject({ type: 'QueryFailedError', code: '23514' });
    expect(JSON.stringify(out)).not.toMatch(/7700|Co-op|Failing row/);
  });

  it('follows kafkajs wrapping to the cause, keeping its own fields', () => {
    const out = serializeError(new KafkaJSNumberOfRetriesExceeded(queryFailed(violation), { retryCount: 5, retryTime: 100 })) as Record<
      string,
      unknown
    >;
    expect(out).toMatchObject({
      type: 'KafkaJSNumberOfRetriesExceeded',
      retriable: false,
      retryCount: 5,
      cause: { type: 'QueryFailedError', code: '23514' },
    });
    expect(String(out.stack)).not.toContain('Caused by');
  });

  it('keeps a kafkajs protocol error kind', () => {
    const error = new KafkaJSProtocolError({
      message: 'The coordinator is not aware of this member',
      type: 'UNKNOWN_MEMBER_ID',
      code: 25,
      retriable: false,
    } as never);
    expect(serializeError(error)).toMatchObject({ type: 'KafkaJSProtocolError', kind: 'UNKNOWN_MEMBER_ID', code: 25 });
  });

  it('logs a zod error as issue codes and paths, without the input it echoes', () => {
    const schema = z.object({ area: z.enum(['bath', 'paulton']), body: z.object({ msisdn: z.string().regex(/^\+\d+$/) }) });
    const result = schema.safeParse({ area: 'atlantis-07700', body: { msisdn: `x${PHONE}` } });
    expect(result.success).toBe(false);
    const line = logged((logger) => logger.warn({ err: result.error }, 'invalid'));
    expect(line).not.toContain('atlantis');
    expect(line).not.toContain(PHONE);
    expect(JSON.parse(line).err).toMatchObject({ issueCount: 2, issues: [{ path: 'area' }, { path: 'body.msisdn' }] });
  });

  it("keeps a configuration error's problems, the reason a reload was refused (multi-line message)", () => {
    const problems = [
      'ALERT_ROUTING_FILE (routing.json) team bath-npt, level 1, recipient officers: webhook refused: fd00:ec2::254 is private',
    ];
    const error = Object.assign(new Error(`Invalid configuration (1 problem):\n  - ${problems[0]}`), { code: 'CONFIG_INVALID', problems });
    const out = serializeError(error) as Record<string, unknown>;
    expect(out.message).toBe('Invalid configuration (1 problem):');
    expect(out.problems).toEqual(problems);
  });

  it('does not copy unknown properties, nor log a non-error object', () => {
    const error = Object.assign(new Error('handler failed'), { payload: { note: NOTE }, value: Buffer.from(PHONE) });
    expect(JSON.stringify(serializeError(error))).not.toMatch(/Co-op|7700/);
    expect(serializeError({ note: NOTE })).toEqual({ type: 'object', message: '(not an error: not logged)' });
  });
});

describe('redactErrorMessage', () => {
  it.each([
    ['invalid input syntax for type uuid: "07700 900999"', 'invalid input syntax for type uuid: "[redacted]"'],
    [
      'invalid input syntax for type timestamp with time zone: "yesterday at 9"',
      'invalid input syntax for type timestamp with time zone: "[redacted]"',
    ],
    ['invalid input value for enum line_state: "07700"', 'invalid input value for enum line_state: "[redacted]"'],
    ['value "07700900999" is out of range for type integer', 'value "[redacted]" is out of range for type integer'],
    ['date/time field value out of range: "2026-13-45"', 'date/time field value out of range: "[redacted]"'],
    ['invalid byte sequence for encoding "UTF8": 0x00', 'invalid byte sequence for encoding "UTF8": "[redacted]"'],
    [`Unexpected token 'x', "x{"note":"${NOTE}"}" is not valid JSON`, `Unexpected token 'x', "[redacted]" is not valid JSON`],
    [
      'duplicate key value violates unique constraint "intel_event_ids_pkey"',
      'duplicate key value violates unique constraint "intel_event_ids_pkey"',
    ],
    ['first line\nsecond line with data', 'first line'],
  ])('%s', (message, safe) => {
    expect(redactErrorMessage(message)).toBe(safe);
  });
});

describe('redactQuotedValues', () => {
  it('takes quoted values out of a whole text, every line kept', () => {
    const crash =
      'KafkaJSNonRetriableError\n  Caused by: QueryFailedError: invalid input syntax for type uuid: "07700 900999"\n    at f (x.js:1:1)';
    expect(redactQuotedValues(crash)).toBe(
      'KafkaJSNonRetriableError\n  Caused by: QueryFailedError: invalid input syntax for type uuid: "[redacted]"\n    at f (x.js:1:1)',
    );
  });
});

describe('statementSummary', () => {
  it.each([
    ['INSERT INTO intel_event_ids (event_id) SELECT * FROM unnest($1::uuid[])', 'INSERT INTO intel_event_ids'],
    ['  UPDATE lines\n SET state = $1 WHERE line_id = $2', 'UPDATE lines'],
    ["SELECT payload FROM intel_events WHERE note = 'x'", 'SELECT payload FROM intel_events'],
    ['COMMIT', 'COMMIT'],
  ])('%s', (sql, summary) => {
    expect(statementSummary(sql)).toBe(summary);
  });
});
