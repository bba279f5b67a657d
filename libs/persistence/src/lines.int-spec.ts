/**
 * The line-state tables on both database flavours: row locks (and SKIP LOCKED for the sweep),
 * timelines written and read back, the light line-event read agreeing with the domain's
 * mapping of whole events, and the outbox with its relay lease.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateIntelEvent, type IntelEventV1 } from '@linewatch/contracts';
import { DEFAULT_DORMANCY_POLICY, compactTimeline, computeTimeline, inEventTimeOrder, lineEventsOf } from '@linewatch/domain';
import { Database, IntelEventsRepository, LinesRepository, OutboxRepository } from '@linewatch/persistence';
import { aRaid, aSighting, aStateChange, eventsAcrossLines, testDatabaseConfig, waitFor, type DatabaseFlavour } from '@linewatch/testing';

const EXAMPLES = join(__dirname, '..', '..', 'contracts', 'examples');
const context = { now: new Date('2026-12-01T09:00:00Z'), maxFutureSkewMs: 60_000 };

function valid(input: unknown): IntelEventV1 {
  const result = validateIntelEvent(input, context);
  if (!result.ok) throw new Error(`invalid test event: ${result.message}`);
  return result.event;
}

const example = (name: string, lineId: string) => {
  const raw = JSON.parse(readFileSync(join(EXAMPLES, `${name}.valid.json`), 'utf8')) as Record<string, unknown>;
  return valid({ ...raw, eventId: randomUUID(), ...('lineIds' in raw ? { lineIds: [lineId, 'OTHER-1'] } : { lineId }) });
};

describe.each<DatabaseFlavour>(['timescale', 'postgres'])('line state on %s', (flavour) => {
  let db: Database;
  const events = new IntelEventsRepository();
  const lines = new LinesRepository();
  const outbox = new OutboxRepository();

  beforeAll(async () => {
    db = await Database.open(testDatabaseConfig(flavour), 'linewatch-test');
  });

  afterAll(async () => {
    await db?.close();
  });

  it('reads line events from stored events exactly as the domain maps the whole events', async () => {
    const lineId = `MAP-${randomUUID().slice(0, 8)}`;
    const stored = [
      'line.sighting',
      'envelope.grading-5x5x5',
      'line.number_changed',
      'enforcement.raid',
      'enforcement.arrest',
      'enforcement.seizure',
      'line.deactivated',
      'line.assessed',
      'safeguarding.referral',
    ].map((name) => example(name, lineId));
    await db.transaction((m) =>
      events.store(
        m,
        stored.map((event) => ({ event, kafkaPartition: 0, kafkaOffset: '0' })),
      ),
    );
    const read = await db.autocommit((q) => lines.lineEventsOf(q, [lineId]));
    const expected = stored.flatMap(lineEventsOf).filter((e) => e.lineId === lineId);
    expect(inEventTimeOrder(read)).toEqual(inEventTimeOrder(expected));
  });

  it.each([
    ['a fraction finer than a millisecond', '2026-11-30T21:15:00.123456Z'],
    ['an offset', '2026-11-30T21:15:00.5+01:00'],
    ['no fraction', '2026-11-30T21:15:00Z'],
    ['a fraction that rounds up but is cut', '2026-11-30T21:15:59.9999Z'],
  ])('reads an instant with %s as the domain maps the event (%s)', async (_what, occurredAt) => {
    const lineId = `INSTANT-${randomUUID().slice(0, 8)}`;
    const stored = [valid({ ...aSighting({ lineId }), occurredAt })];
    await db.transaction((m) => events.store(m, [{ event: stored[0], kafkaPartition: 0, kafkaOffset: '0' }]));
    const read = await db.autocommit((q) => lines.lineEventsOf(q, [lineId]));
    expect(read.map((e) => e.occurredAt.toISOString())).toEqual(stored.flatMap(lineEventsOf).map((e) => e.occurredAt.toISOString()));
  });

  it('reads several lines at once: an event naming two of them once for each, one naming a line second for that line only', async () => {
    const [a, b, other] = ['A', 'B', 'X'].map((s) => `MANY-${s}-${randomUUID().slice(0, 8)}`);
    const stored = eventsAcrossLines(a, b, other).map(valid);
    await db.transaction((m) =>
      events.store(
        m,
        stored.map((event) => ({ event, kafkaPartition: 0, kafkaOffset: '0' })),
      ),
    );
    const read = await db.autocommit((q) => lines.lineEventsOf(q, [a, b]));
    const expected = stored.flatMap(lineEventsOf).filter((e) => e.lineId === a || e.lineId === b);
    expect(expected).toHaveLength(4);
    const order = (list: typeof read) => [...list].sort((x, y) => `${x.eventId}${x.lineId}`.localeCompare(`${y.eventId}${y.lineId}`));
    expect(order(read)).toEqual(order(expected));
  });

  it('locks lines (creating new ones), saves a timeline and reads its periods back; the snapshot round-trips', async () => {
    const lineId = `SAVE-${randomUUID().slice(0, 8)}`;
    const first = await db.transaction((m) => lines.lock(m, [lineId]));
    expect(first.get(lineId)).toMatchObject({ lineId, state: null, snapshot: null, version: 0 });

    const sighting = valid(aSighting({ lineId, occurredAt: '2026-09-01T10:00:00Z' }));
    const raid = valid(aRaid([lineId], { occurredAt: '2026-11-01T10:00:00Z' }));
    const timeline = compactTimeline(computeTimeline(lineId, [sighting, raid].flatMap(lineEventsOf), context.now, DEFAULT_DORMANCY_POLICY));
    await db.transaction(async (m) => {
      await lines.lock(m, [lineId]);
      await lines.save(m, [{ timeline, latestEventAt: new Date(raid.occurredAt), nextCheckAt: null, periodsChanged: true }]);
    });
    const again = (await db.transaction((m) => lines.lock(m, [lineId]))).get(lineId);
    expect(again).toMatchObject({ state: 'disrupted', version: 1, latestEventAt: new Date(raid.occurredAt) });
    expect(again?.snapshot).toEqual(timeline);
    expect(await db.autocommit((q) => lines.periodsOf(q, lineId))).toEqual(timeline.periods);
    expect((await db.autocommit((q) => lines.periodsOf(q, lineId))).map((p) => p.state)).toEqual(['active', 'dormant', 'disrupted']);
  });

  it('finds lines due for the sweep by next check', async () => {
    const lineId = `DUE-${randomUUID().slice(0, 8)}`;
    const timeline = computeTimeline(lineId, [], context.now, DEFAULT_DORMANCY_POLICY);
    await db.transaction(async (m) => {
      await lines.lock(m, [lineId]);
      await lines.save(m, [{ timeline, latestEventAt: null, nextCheckAt: new Date('2026-01-01T00:00:00Z'), periodsChanged: false }]);
    });
    const due = await db.transaction((m) => lines.lockDue(m, new Date('2026-01-02T00:00:00Z'), 10_000));
    expect(due.map((d) => d.lineId)).toContain(lineId);
    const notYet = await db.transaction((m) => lines.lockDue(m, new Date('2025-12-31T00:00:00Z'), 10_000));
    expect(notYet.map((d) => d.lineId)).not.toContain(lineId);
  });

  it('keeps outbox entries per topic in order until marked published; one relay holds the lease', async () => {
    const topic = `test-${randomUUID()}`;
    const entries = Array.from({ length: 3 }, (_, i) => {
      const payload = aStateChange({ lineId: `OUT-${i}` });
      return { changeId: payload.changeId, lineId: payload.lineId, payload };
    });
    await db.transaction((m) => outbox.append(m, topic, entries));
    const pending = await db.autocommit((q) => outbox.pending(q, topic, 10));
    expect(pending.map((p) => p.changeId)).toEqual(entries.map((e) => e.changeId));
    await db.autocommit((q) => outbox.markPublished(q, [pending[0].seq]));
    expect((await db.autocommit((q) => outbox.pending(q, topic, 10))).map((p) => p.lineId)).toEqual(['OUT-1', 'OUT-2']);

    expect(await db.autocommit((q) => outbox.acquireLease(q, topic, 'relay-a', 60_000))).toBe(true);
    expect(await db.autocommit((q) => outbox.acquireLease(q, topic, 'relay-b', 60_000))).toBe(false);
    expect(await db.autocommit((q) => outbox.acquireLease(q, topic, 'relay-a', 60_000))).toBe(true); // renewed
    await db.autocommit((q) => outbox.releaseLease(q, topic, 'relay-a'));
    expect(await db.autocommit((q) => outbox.acquireLease(q, topic, 'relay-b', 1))).toBe(true);
    // An expired lease is taken over (the holder crashed).
    await waitFor(async () => (await db.autocommit((q) => outbox.acquireLease(q, topic, 'relay-a', 60_000))) || undefined, {
      what: 'the expired lease taken over',
    });
  });
});

describe('the sweep on PostgreSQL', () => {
  it('skips a line another transaction holds (two instances never sweep one line at once)', async () => {
    const a = await Database.open(testDatabaseConfig('postgres'), 'linewatch-test-a');
    const b = await Database.open(testDatabaseConfig('postgres'), 'linewatch-test-b');
    const lines = new LinesRepository();
    const lineId = `SKIP-${randomUUID().slice(0, 8)}`;
    try {
      const timeline = computeTimeline(lineId, [], context.now, DEFAULT_DORMANCY_POLICY);
      await a.transaction(async (m) => {
        await lines.lock(m, [lineId]);
        await lines.save(m, [{ timeline, latestEventAt: null, nextCheckAt: new Date('2000-01-01T00:00:00Z'), periodsChanged: false }]);
      });
      const now = new Date('2000-01-02T00:00:00Z');
      await a.transaction(async (held) => {
        expect((await lines.lockDue(held, now, 10_000)).map((l) => l.lineId)).toContain(lineId);
        const other = await b.transaction((m) => lines.lockDue(m, now, 10_000));
        expect(other.map((l) => l.lineId)).not.toContain(lineId);
      });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
