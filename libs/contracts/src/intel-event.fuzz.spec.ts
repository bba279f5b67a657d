/**
 * Property-based fuzzing of the intake schema: whatever arrives, validation answers — it never
 * throws — and its answer is one of two: a valid event that survives the trip through Kafka
 * (serialised and validated again by the tracker, unchanged), or a rejection with a code and at
 * least one field error. Valid events of every type and grading system are accepted.
 */
import fc from 'fast-check';
import {
  EARLIEST_EVENT_TIME,
  REJECTION_CODES,
  parseAndValidateIntelEvent,
  validateIntelEvent,
  type ValidationResult,
} from '@linewatch/contracts';
import { ARBITRARY_EVENTS_NOW, anyValidEvent, hostileEventCases, invalidUtf8Event, mutatedEvent } from '@linewatch/testing';

const context = { now: ARBITRARY_EVENTS_NOW, maxFutureSkewMs: 5 * 60 * 1000 };
const RUNS = { numRuns: 400 };

/** The property every answer must have. */
function wellFormed(result: ValidationResult): boolean {
  if (result.ok) {
    // What intake publishes, the tracker validates again: it must come back the same.
    const again = parseAndValidateIntelEvent(Buffer.from(JSON.stringify(result.event)), context);
    expect(again).toEqual({ ok: true, event: JSON.parse(JSON.stringify(result.event)) });
    return true;
  }
  expect(REJECTION_CODES).toContain(result.code);
  expect(result.message.length).toBeGreaterThan(0);
  expect(result.message.length).toBeLessThan(500);
  expect(result.errors.length).toBeGreaterThanOrEqual(1);
  for (const error of result.errors) expect(error).toEqual({ path: expect.any(String), message: expect.any(String) });
  return true;
}

describe('intake schema under fuzzing', () => {
  it('accepts every valid event of every type (both grading systems, offsets, late reports)', () => {
    expect(() =>
      fc.assert(
        fc.property(anyValidEvent, (event) => {
          const result = validateIntelEvent(event, context);
          if (!result.ok) throw new Error(`rejected ${JSON.stringify(event)}: ${JSON.stringify(result)}`);
          return wellFormed(result);
        }),
        RUNS,
      ),
    ).not.toThrow();
  });

  it('answers arbitrary JSON values without throwing: a round-tripping event or a rejection with field errors', () => {
    expect(() =>
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => wellFormed(validateIntelEvent(value, context))),
        RUNS,
      ),
    ).not.toThrow();
  });

  it('answers arbitrary objects (prototype keys, symbols of JS that JSON lacks) without throwing', () => {
    expect(() =>
      fc.assert(
        fc.property(fc.object({ key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'type', 'grading', 'body', 'x') }), (value) =>
          wellFormed(validateIntelEvent(value, context)),
        ),
        RUNS,
      ),
    ).not.toThrow();
  });

  it('answers every mutation of a valid event (a field removed, replaced by a hostile value, a key added)', () => {
    expect(() =>
      fc.assert(
        fc.property(mutatedEvent, (event) => wellFormed(validateIntelEvent(event, context))),
        { numRuns: 1000 },
      ),
    ).not.toThrow();
  });

  it('answers arbitrary bytes without throwing', () => {
    expect(() =>
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => wellFormed(parseAndValidateIntelEvent(bytes, context))),
        RUNS,
      ),
    ).not.toThrow();
  });

  it('never lets a prototype key through nor pollutes Object.prototype', () => {
    expect(() =>
      fc.assert(
        fc.property(anyValidEvent, fc.constantFrom('__proto__', 'constructor', 'prototype'), (event, key) => {
          const text = JSON.stringify(event);
          const hostile = `{"${key}":{"polluted":"yes","prototype":{"polluted":"yes"}},${text.slice(1)}`;
          const result = parseAndValidateIntelEvent(Buffer.from(hostile), context);
          expect(result).toMatchObject({ ok: false, errors: expect.arrayContaining([{ path: key, message: 'unknown field' }]) });
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        { numRuns: 100 },
      ),
    ).not.toThrow();
  });
});

describe('the hostile corpus', () => {
  it.each(hostileEventCases(ARBITRARY_EVENTS_NOW).map((c) => [c.name, c] as const))('rejects %s with its code', (_name, hostile) => {
    const result = parseAndValidateIntelEvent(hostile.bytes, context);
    expect(result).toMatchObject({ ok: false, code: hostile.code });
    wellFormed(result);
    expect(JSON.stringify(result)).toContain(hostile.mentions ?? '');
  });

  it('rejects invalid UTF-8 as MALFORMED_JSON', () => {
    expect(parseAndValidateIntelEvent(invalidUtf8Event(), context)).toMatchObject({ ok: false, code: 'MALFORMED_JSON' });
  });

  it('floors dates at 1990 and accepts the first instant of it', () => {
    expect(EARLIEST_EVENT_TIME).toBe('1990-01-01T00:00:00Z');
    const [event] = fc.sample(anyValidEvent, { numRuns: 1, seed: 1 });
    const { reportedAt: _late, ...onTime } = event;
    expect(validateIntelEvent({ ...onTime, occurredAt: '1990-01-01T00:00:00Z' }, context).ok).toBe(true);
    expect(validateIntelEvent({ ...onTime, occurredAt: '1989-12-31T23:59:59.999Z' }, context)).toMatchObject({
      ok: false,
      code: 'ANCIENT_EVENT',
      errors: [{ path: 'occurredAt', message: 'before 1990-01-01' }],
    });
  });
});
