/**
 * fast-check generators of valid intelligence events, every type and grading system, for the
 * property tests of the intake schema (and mutations of them for fuzzing).
 */
import fc from 'fast-check';

/** The clock the generated events are valid against: no event is after it. */
export const ARBITRARY_EVENTS_NOW = new Date('2026-12-01T09:00:00Z');

const FLOOR_MS = Date.parse('1990-01-01T00:00:00Z');

const instant = fc.integer({ min: FLOOR_MS, max: ARBITRARY_EVENTS_NOW.getTime() }).chain((ms) =>
  fc.constantFrom(
    new Date(ms).toISOString(),
    new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    // The same instant with an offset: 21:15Z is 22:15+01:00.
    `${new Date(ms + 3_600_000).toISOString().slice(0, 19)}+01:00`,
  ),
);

/** Printable ASCII, some non-ASCII letters (one UTF-16 unit each, so lengths stay within the limits), tabs and newlines. */
const textUnit = fc.oneof(
  { weight: 8, arbitrary: fc.string({ minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('é', '€', 'ß', 'ł', '中', '’', '\t', '\n', '\r', '=', '@', "'", '"', ';') },
);
const text = (max: number, min = 0) => fc.string({ minLength: min, maxLength: max, unit: textUnit });
const lineId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/);
const area = fc.constantFrom('bath', 'keynsham', 'saltford', 'midsomer-norton', 'radstock', 'paulton', 'peasedown-st-john', 'chew-valley');
const msisdn = fc
  .integer({ min: 0, max: 999 })
  .chain((n) => fc.constantFrom(`07700 900${String(n).padStart(3, '0')}`, `+447700900${String(n).padStart(3, '0')}`));
const imei = fc.stringMatching(/^\d{15}$/);

const grading = fc.oneof(
  fc.record(
    {
      system: fc.constant('3x5x2'),
      source: fc.constantFrom('1', '2', '3'),
      intelligence: fc.constantFrom('A', 'B', 'C', 'D', 'E'),
      handling: fc.constantFrom('P', 'C'),
    },
    { requiredKeys: ['source', 'intelligence', 'handling'] },
  ),
  fc.record({
    system: fc.constant('5x5x5'),
    source: fc.constantFrom('A', 'B', 'C', 'D', 'E'),
    intelligence: fc.constantFrom('1', '2', '3', '4', '5'),
    handling: fc.constantFrom('1', '2', '3', '4', '5'),
  }),
);

const envelope = {
  eventId: fc.uuid({ version: 4 }),
  occurredAt: instant,
  area,
  grading,
  source: fc.record({ system: text(64, 1), reference: text(128, 1) }),
};

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Drops keys whose value is undefined (JSON has no undefined). */
const clean = (value: Record<string, unknown>) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

const bodies = {
  'line.sighting': fc.record(
    {
      kind: fc.constantFrom('bulk_text', 'test_purchase', 'call_data', 'intelligence_report', 'other'),
      brand: text(64, 1),
      msisdn,
      note: text(200),
    },
    { requiredKeys: ['kind'] },
  ),
  'line.number_changed': fc.record({
    newMsisdn: msisdn,
    previousMsisdn: optional(msisdn),
    imei: optional(imei),
    brand: optional(text(64, 1)),
  }),
  'enforcement.arrest': fc.record(
    {
      role: fc.constantFrom('holder', 'runner', 'other'),
      charged: fc.boolean(),
      ageBand: fc.constantFrom('under_18', '18_24', '25_plus', 'unknown'),
    },
    { requiredKeys: ['role'] },
  ),
  'enforcement.seizure': fc.record(
    {
      items: fc.array(
        fc.record(
          {
            kind: fc.constantFrom('handset', 'drugs', 'cash', 'weapon', 'other'),
            quantity: fc.double({ min: 0, max: 1e6, noNaN: true }),
            description: text(200),
          },
          { requiredKeys: ['kind'] },
        ),
        { minLength: 1, maxLength: 5 },
      ),
      msisdn,
      imei,
    },
    { requiredKeys: ['items'] },
  ),
  'line.deactivated': fc.record({ method: fc.constantFrom('court_order', 'network_operator', 'other'), msisdn: optional(msisdn) }),
  'line.assessed': fc.oneof(
    fc.record({ decision: fc.constantFrom('closure_type_1', 'closure_type_2', 'reopen'), rationale: text(300, 1) }),
    fc.record({
      decision: fc.constant('dormancy_override'),
      dormancyWindowDays: fc.integer({ min: 1, max: 365 }),
      rationale: text(300, 1),
    }),
  ),
};

const lineEvent = fc.oneof(
  ...(Object.keys(bodies) as (keyof typeof bodies)[]).map((type) =>
    fc.record({ ...envelope, type: fc.constant(type), lineId, body: bodies[type] as fc.Arbitrary<unknown> }),
  ),
);

const raid = fc.record({
  ...envelope,
  type: fc.constant('enforcement.raid'),
  lineIds: fc.array(lineId, { minLength: 1, maxLength: 4 }),
  body: fc.record(
    {
      place: fc.record({ description: text(200, 1), postcodeDistrict: optional(fc.constantFrom('BA1', 'BA2', 'BS39')) }),
      warrant: text(64),
      cuckooing: fc.boolean(),
      note: text(200),
    },
    { requiredKeys: ['place'] },
  ),
});

const referral = fc.record(
  {
    ...envelope,
    type: fc.constant('safeguarding.referral'),
    lineIds: fc.array(lineId, { maxLength: 3 }),
    body: fc.record(
      {
        subject: fc.constantFrom('child', 'adult'),
        exploitation: fc.uniqueArray(fc.constantFrom('criminal', 'sexual', 'cuckooing'), { minLength: 1 }),
        agency: text(64),
      },
      { requiredKeys: ['subject', 'exploitation'] },
    ),
  },
  { requiredKeys: ['eventId', 'occurredAt', 'area', 'grading', 'source', 'type', 'body'] },
);

/** Any valid event, as a client would send it (JSON-shaped; reportedAt, when present, not before occurredAt). */
export const anyValidEvent: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.oneof(lineEvent, raid, referral), fc.option(fc.integer({ min: 0, max: 30 * 86_400_000 })))
  .map(([event, lateBy]) => {
    const value = clean(event as Record<string, unknown>);
    if (lateBy !== null) {
      const reported = Math.min(Date.parse(value.occurredAt as string) + lateBy, ARBITRARY_EVENTS_NOW.getTime());
      value.reportedAt = new Date(reported).toISOString();
    }
    return value;
  });

type Path = readonly (string | number)[];

function pathsOf(value: unknown, path: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [path];
  const children = Array.isArray(value)
    ? value.flatMap((item, i) => pathsOf(item, [...path, i]))
    : Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...path, key]));
  return path.length === 0 ? children : [path, ...children];
}

function setAt(root: Record<string, unknown>, path: Path, replace: (old: unknown) => unknown | typeof REMOVE): Record<string, unknown> {
  const copy = structuredClone(root);
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  const next = replace(parent[last]);
  if (next === REMOVE) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    // defineProperty: a "__proto__" key stays a key, as JSON.parse would make it.
    Object.defineProperty(parent, last, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

const REMOVE = Symbol('remove');

/** Hostile values a mutation puts in place of a field. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', 'x'.repeat(5000), '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z', "'; DROP TABLE x; --"),
  fc.constantFrom(Number.MAX_VALUE, -1, 0.5, -0, 1e21, true, null, [], {}),
);

/** A valid event with one field removed, replaced by a hostile value, or an unknown/prototype key added. */
export const mutatedEvent: fc.Arbitrary<Record<string, unknown>> = anyValidEvent.chain((event) => {
  const paths = pathsOf(event);
  return fc.oneof(
    fc.constantFrom(...paths).map((path) => setAt(event, path, () => REMOVE)),
    fc.tuple(fc.constantFrom(...paths), hostileValue).map(([path, value]) => setAt(event, path, () => value)),
    fc
      .tuple(
        fc.constantFrom<Path>([], ['body'], ['grading'], ['source']),
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'toString'),
        hostileValue,
      )
      .map(([at, key, value]) => setAt(event, [...at, key], () => value)),
  );
});
