/**
 * Line identity kept by the real tracker, through the real broker, on both database flavours
 * (issue 17): events naming numbers become intervals; a number change ends one and starts the
 * next; a late number change moves interval ends; a merge makes the survivor's timeline the union
 * (one alert, since its current state changes), the alias resolves and one s.62 combination entry
 * is written; an unmerge restores both lines exactly; a refused link is dead-lettered with its code;
 * a new line sharing a brand with a line raided days before is suggested as its replacement.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import {
  stateChangeV1,
  type IntelEventInput,
  type IntelEventV1,
  type LineLinkInput,
  type StateChangeV1,
  type TopicNames,
} from '@linewatch/contracts';
import { computeTimeline, deriveLineId, lineEventsOf, type LineEvent } from '@linewatch/domain';
import { KafkaBatchConsumer, KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  aRaid,
  aSighting,
  isolatedTopics,
  publishLikeIngest,
  runCli,
  serviceEnv,
  startService,
  testDatabaseConfig,
  testKafkaConfig,
  waitFor,
  type DatabaseFlavour,
  type RunningService,
  daysAgo,
} from '@linewatch/testing';

const logger = createLogger('e2e', 'silent');
const unique = () => randomUUID().slice(0, 8).toUpperCase();
/** A fresh UK mobile number in the Ofcom drama range (07700 900000–900999), as E.164. */
let numberSeq = Math.floor(Math.random() * 900);
const aNumber = () => `+447700900${String(numberSeq++ % 1000).padStart(3, '0')}`;

const grading = { source: '1', intelligence: 'B', handling: 'P' } as const;
const numberChange = (lineId: string, occurredAt: string, newMsisdn: string, extra: Record<string, string> = {}): IntelEventInput =>
  ({
    eventId: randomUUID(),
    type: 'line.number_changed',
    occurredAt,
    area: 'paulton',
    grading,
    source: { system: 'e2e', reference: 'NC' },
    lineId,
    body: { newMsisdn, ...extra },
  }) as IntelEventInput;
const link = (type: LineLinkInput['type'], lineId: string, body: Record<string, string>): LineLinkInput =>
  ({
    eventId: randomUUID(),
    type,
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
    area: 'paulton',
    grading: { source: '1', intelligence: 'A', handling: 'P' },
    source: { system: 'linewatch-api', reference: `${type} e2e` },
    lineId,
    body: { decidedBy: 'analyst-e2e', justification: `e2e ${type}`, ...body },
  }) as LineLinkInput;

describe.each<[DatabaseFlavour, number]>([
  ['timescale', 27400],
  ['postgres', 27500],
])('line identity on %s', (flavour, basePort) => {
  let tracker: RunningService;
  let db: Pool;
  let topics: TopicNames;
  let env: NodeJS.ProcessEnv;
  let producer: KafkaPublisher;
  let consumer: KafkaBatchConsumer;
  const changes: StateChangeV1[] = [];
  const deadLetters: { key: string; reason: string | undefined; value: string }[] = [];

  beforeAll(async () => {
    const isolated = await isolatedTopics(`identity-${flavour}`);
    topics = isolated.names;
    env = serviceEnv(flavour, {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      TRACKER_GROUP_ID: `e2e-identity-${flavour}-${randomUUID()}`,
      TRACKER_RELAY_INTERVAL_MS: '200',
    });
    tracker = await startService('tracker', env, basePort + 3);
    db = new Pool({ connectionString: testDatabaseConfig(flavour).url, max: 2 });
    const kafka = createKafka(testKafkaConfig(`e2e-identity-${flavour}`), logger);
    producer = new KafkaPublisher(kafka);
    consumer = new KafkaBatchConsumer(
      kafka,
      { groupId: `e2e-identity-out-${randomUUID()}`, topics: [topics.lineStateChanges, topics.intelEventsDlq], maxBatchSize: 500 },
      logger,
    );
    await consumer.start(async (messages) => {
      for (const m of messages) {
        const value = m.value?.toString() ?? '';
        if (m.topic === topics.lineStateChanges) changes.push(stateChangeV1.parse(JSON.parse(value)));
        else deadLetters.push({ key: m.key?.toString() ?? '', reason: JSON.stringify(m.headers), value });
      }
    });
  });

  afterAll(async () => {
    await consumer?.stop();
    await producer?.disconnect();
    await tracker?.stop();
    await db?.end();
  });

  const produce = (...events: IntelEventInput[]) => publishLikeIngest(producer, topics.intelEvents, events);
  /** Link decisions as the api publishes them: once per line the decision concerns (both lines of a merge). */
  const decide = (decision: LineLinkInput) => {
    const lines = decision.type === 'line.merged' ? [decision.lineId, (decision.body as { into: string }).into] : [decision.lineId];
    return producer.publish(
      topics.intelEvents,
      lines.map((key) => ({ key, value: JSON.stringify(decision) })),
    );
  };
  const intervals = (lineId: string) =>
    db
      .query(`SELECT kind, value, valid_from, valid_to FROM line_identifiers WHERE line_id = $1 ORDER BY valid_from, value`, [lineId])
      .then((r) => r.rows.map((x) => [x.value, x.valid_from.toISOString(), x.valid_to?.toISOString() ?? null]));
  const waitForIntervals = (lineId: string, expected: unknown[]) =>
    waitFor(async () => (JSON.stringify(await intervals(lineId)) === JSON.stringify(expected) ? true : undefined), {
      what: `intervals of ${lineId}: ${JSON.stringify(expected)}`,
      timeoutMs: 60_000,
    });
  const periods = (lineId: string) =>
    db
      .query('SELECT state, valid_from, valid_to, cause_event_id FROM line_state_periods WHERE line_id = $1 ORDER BY seq', [lineId])
      .then((r) => r.rows.map((p) => ({ state: p.state, from: p.valid_from, to: p.valid_to, cause: p.cause_event_id })));
  const lineRow = (lineId: string) => db.query('SELECT state, merged_into FROM lines WHERE line_id = $1', [lineId]).then((r) => r.rows[0]);
  const storedTimeline = async (lineIds: string[], root: string) => {
    const { rows } = await db.query('SELECT payload FROM intel_events WHERE line_ids && $1::text[]', [lineIds]);
    const events: LineEvent[] = rows
      .flatMap((r) => lineEventsOf(r.payload as IntelEventV1))
      .filter((e) => lineIds.includes(e.lineId))
      .map((e) => ({ ...e, lineId: root }));
    return computeTimeline(root, events, new Date(), { defaultDays: 28, byArea: {} }).periods.map((p) => ({
      state: p.state,
      from: p.from,
      to: p.to,
      cause: p.cause.eventId,
    }));
  };
  const combinations = (subject: string) =>
    db
      .query(
        `SELECT actor, justification, details FROM disclosure_log WHERE action = 'combination' AND subject_id = $1 ORDER BY entry_id`,
        [subject],
      )
      .then((r) => r.rows);

  it('keeps a line’s number intervals: named numbers attach, a number change ends one, a late one moves the ends', async () => {
    const lineId = `ID-${unique()}`;
    const [first, second, third] = [aNumber(), aNumber(), aNumber()];
    const [t10, t6, t2] = [daysAgo(10), daysAgo(6), daysAgo(2)];
    await produce(aSighting({ lineId, occurredAt: t10, body: { kind: 'bulk_text', brand: 'Jay', msisdn: first } }));
    await waitForIntervals(lineId, [[first, t10, null]]);

    await produce(numberChange(lineId, t2, second));
    await waitForIntervals(lineId, [
      [first, t10, t2],
      [second, t2, null],
    ]);

    // Reported late: the number had already changed once, six days ago.
    await produce(numberChange(lineId, t6, third, { previousMsisdn: first }));
    await waitForIntervals(lineId, [
      [first, t10, t6],
      [third, t6, t2],
      [second, t2, null],
    ]);
    const brands = await db.query(`SELECT brand_key, written_as, disclosable FROM line_brands WHERE line_id = $1`, [lineId]);
    expect(brands.rows).toEqual([{ brand_key: 'jay', written_as: ['Jay'], disclosable: true }]);
  });

  it('merges B into A: A’s timeline is the union (one alert), B resolves to A, one combination entry; unmerge restores both', async () => {
    const [a, b] = [`MA-${unique()}`, `MB-${unique()}`];
    const [numberA, numberB] = [aNumber(), aNumber()];
    await produce(
      aSighting({ lineId: a, occurredAt: daysAgo(20), body: { kind: 'bulk_text', brand: 'Kay', msisdn: numberA } }),
      aRaid([a], { occurredAt: daysAgo(15) }),
      aSighting({ lineId: b, occurredAt: daysAgo(3), body: { kind: 'test_purchase', msisdn: numberB } }),
    );
    await waitFor(async () => ((await lineRow(a))?.state === 'disrupted' && (await lineRow(b))?.state === 'active') || undefined, {
      what: 'A disrupted, B active',
      timeoutMs: 60_000,
    });
    const [periodsA, periodsB] = [await periods(a), await periods(b)];
    const [intervalsA, intervalsB] = [await intervals(a), await intervals(b)];
    await waitFor(() => changes.find((c) => c.lineId === a && c.to === 'disrupted'), { what: 'A’s disruption told' });
    const toldBefore = changes.filter((c) => c.lineId === a).length;

    const merge = link('line.merged', b, { into: a });
    await decide(merge);
    await waitFor(async () => ((await lineRow(b))?.merged_into === a ? true : undefined), { what: 'B merged into A', timeoutMs: 60_000 });
    await waitFor(async () => ((await lineRow(a))?.state === 'active' ? true : undefined), { what: 'A active from B’s sighting' });
    expect(await periods(a)).toEqual(await storedTimeline([a, b], a));
    expect(await periods(b)).toEqual([]);
    expect((await db.query(`SELECT root_id FROM line_aliases WHERE alias_id = $1`, [b])).rows).toEqual([{ root_id: a }]);
    expect((await intervals(a)).map((i) => i[0]).sort()).toEqual([numberA, numberB].sort());
    expect(await intervals(b)).toEqual([]);
    const resurfaced = await waitFor(() => changes.find((c) => c.lineId === a && c.kind === 'resurfaced'), { what: 'A resurfaced told' });
    expect(resurfaced).toMatchObject({ from: 'disrupted', to: 'active' });
    // The merge arrived twice (keyed by each line, as the api publishes it): applied, and told, once.
    expect(changes.filter((c) => c.lineId === a)).toHaveLength(toldBefore + 1);
    const merged = await combinations(a);
    expect(merged).toEqual([
      expect.objectContaining({
        actor: 'analyst-e2e',
        justification: 'e2e line.merged',
        details: expect.objectContaining({ decision: 'merge', lines: [b, a], eventId: merge.eventId }),
      }),
    ]);

    // A new event on B's id goes to A now.
    const late = aSighting({ lineId: b, occurredAt: daysAgo(1), body: { kind: 'test_purchase' } });
    await produce(late);
    await waitFor(
      async () =>
        (await periods(a)).length > 0 && JSON.stringify(await periods(a)) === JSON.stringify(await storedTimeline([a, b], a))
          ? true
          : undefined,
      {
        what: 'A’s timeline with B’s new event',
      },
    );
    expect(await periods(b)).toEqual([]);

    await decide(link('line.unmerged', b, { mergeEventId: merge.eventId }));
    await waitFor(async () => ((await lineRow(b))?.merged_into === null ? true : undefined), { what: 'B unmerged', timeoutMs: 60_000 });
    await waitFor(async () => ((await lineRow(a))?.state === 'disrupted' ? true : undefined), { what: 'A disrupted again' });
    expect(await periods(a)).toEqual(periodsA);
    expect(await periods(b)).toEqual(await storedTimeline([b], b));
    expect((await periods(b))[0]).toEqual(periodsB[0]);
    expect(await intervals(a)).toEqual(intervalsA);
    expect(await intervals(b)).toEqual(intervalsB);
    expect((await db.query(`SELECT 1 FROM line_aliases WHERE alias_id = $1`, [b])).rowCount).toBe(0);
    expect((await combinations(b)).map((c) => c.details.decision)).toEqual(['unmerge']);
    expect(changes.filter((c) => c.lineId === a).length).toBeGreaterThan(toldBefore);
  });

  it('attaches a number to a line from an instant (an analyst’s decision): an interval, and one combination entry naming it', async () => {
    const lineId = `AT-${unique()}`;
    const number = aNumber();
    await produce(aSighting({ lineId, occurredAt: daysAgo(5), body: { kind: 'bulk_text', brand: 'Jay' } }));
    await waitFor(async () => ((await lineRow(lineId))?.state === 'active' ? true : undefined), { what: 'line active' });
    const attach = link('line.identifier_attached', lineId, { msisdn: number });
    await decide(attach);
    await waitForIntervals(lineId, [[number, attach.occurredAt, null]]);
    expect(await combinations(lineId)).toEqual([
      expect.objectContaining({
        actor: 'analyst-e2e',
        details: expect.objectContaining({ decision: 'attach', identifier: { kind: 'msisdn', value: number }, eventId: attach.eventId }),
      }),
    ]);
  });

  it('resolves an identifier-only event from a direct producer: to the line holding the number, else to a new line derived from it', async () => {
    const lineId = `DP-${unique()}`;
    const [held, unknown] = [aNumber(), aNumber()];
    const t8 = daysAgo(8);
    await produce(aSighting({ lineId, occurredAt: t8, body: { kind: 'bulk_text', msisdn: held } }));
    await waitForIntervals(lineId, [[held, t8, null]]);
    const byNumber = { ...aSighting({ occurredAt: daysAgo(1), body: { kind: 'test_purchase' } }), line: { msisdn: held } } as Record<
      string,
      unknown
    >;
    delete byNumber.lineId;
    const fresh = { ...aSighting({ occurredAt: daysAgo(1), body: { kind: 'test_purchase' } }), line: { msisdn: unknown } } as Record<
      string,
      unknown
    >;
    delete fresh.lineId;
    await producer.publish(topics.intelEvents, [
      { key: held, value: JSON.stringify(byNumber) },
      { key: unknown, value: JSON.stringify(fresh) },
    ]);
    const payloadOf = (eventId: unknown) =>
      waitFor(async () => (await db.query(`SELECT payload FROM intel_events WHERE event_id = $1`, [eventId])).rows[0]?.payload, {
        what: `event ${String(eventId)} stored`,
        timeoutMs: 60_000,
      });
    expect(await payloadOf(byNumber.eventId)).toMatchObject({ lineId, line: { msisdn: held, resolution: { lineId, how: 'held' } } });
    const created = await payloadOf(fresh.eventId);
    expect(created).toMatchObject({ lineId: deriveLineId({ kind: 'msisdn', value: unknown }), line: { resolution: { how: 'new' } } });
    await waitForIntervals(created.lineId, [[unknown, fresh.occurredAt, null]]);
  });

  it('attributes an identifier-only event to the line a by-id event of the same slice gave the number (not to a new line)', async () => {
    const lineId = `DS-${unique()}`;
    const number = aNumber();
    const named = aSighting({ lineId, occurredAt: daysAgo(3), body: { kind: 'bulk_text', msisdn: number } });
    const byNumber = { ...aSighting({ occurredAt: daysAgo(2), body: { kind: 'test_purchase' } }), line: { msisdn: number } } as Record<
      string,
      unknown
    >;
    delete byNumber.lineId;
    // One send, one key, one partition: the consumer gets both in one slice, the by-id event first.
    await producer.publish(topics.intelEvents, [
      { key: lineId, value: JSON.stringify(named) },
      { key: lineId, value: JSON.stringify(byNumber) },
    ]);
    const payload = await waitFor(
      async () => (await db.query(`SELECT payload FROM intel_events WHERE event_id = $1`, [byNumber.eventId])).rows[0]?.payload,
      { what: 'the identifier-only event stored', timeoutMs: 60_000 },
    );
    expect(payload).toMatchObject({ lineId, line: { msisdn: number, resolution: { lineId, how: 'held' } } });
  });

  it('dead-letters a refused link with its code (a merge into itself) and records nothing of it', async () => {
    const lineId = `SELF-${unique()}`;
    const self = link('line.merged', lineId, { into: lineId });
    await decide(self);
    const dead = await waitFor(() => deadLetters.find((d) => d.value.includes(self.eventId)), { what: 'the refused merge dead-lettered' });
    expect(dead.reason).toContain('MERGE_INTO_ITSELF');
    expect((await db.query(`SELECT 1 FROM line_link_decisions WHERE event_id = $1`, [self.eventId])).rowCount).toBe(0);
  });

  it('suggests a new line sharing a brand with a line raided days before, in a neighbouring area', async () => {
    const brand = `Brand ${unique()}`;
    const [old, fresh] = [`OLD-${unique()}`, `NEW-${unique()}`];
    await produce(
      aSighting({ lineId: old, area: 'midsomer-norton', occurredAt: daysAgo(9), body: { kind: 'bulk_text', brand } }),
      aRaid([old], { area: 'midsomer-norton', occurredAt: daysAgo(6) }),
    );
    await waitFor(async () => ((await lineRow(old))?.state === 'disrupted' ? true : undefined), { what: 'old line disrupted' });
    await produce(
      aSighting({ lineId: fresh, area: 'paulton', occurredAt: daysAgo(2), body: { kind: 'bulk_text', brand: brand.toUpperCase() } }),
    );
    const suggestion = await waitFor(
      async () => (await db.query(`SELECT * FROM line_replacement_suggestions WHERE line_id = $1`, [fresh])).rows[0],
      { what: 'a replacement suggestion', timeoutMs: 60_000 },
    );
    expect(suggestion).toMatchObject({
      replaces: old,
      status: 'open',
      reasons: { area: 'paulton', sameArea: false, matchingAreas: ['midsomer-norton'] },
    });
    expect(suggestion.reasons.ending.kind).toBe('disrupted');
    expect(suggestion.reasons.daysBetween).toBeCloseTo(4, 0);
  });

  it('suggests from the other side and on a brand learnt later: a raid reported after the new line, a new line named only afterwards', async () => {
    const suggestionsFor = (lineId: string) =>
      db
        .query(`SELECT replaces, reasons FROM line_replacement_suggestions WHERE line_id = $1 ORDER BY replaces`, [lineId])
        .then((r) => r.rows);
    // (1) The new lines appear first (two in one slice: one read for both), the raid on the old line is reported late.
    const brand = `Brand ${unique()}`;
    const [old, first, second] = [`OLD-${unique()}`, `NEW-${unique()}`, `NEW-${unique()}`];
    await produce(aSighting({ lineId: old, area: 'paulton', occurredAt: daysAgo(9), body: { kind: 'bulk_text', brand } }));
    await waitFor(async () => ((await lineRow(old))?.state === 'active' ? true : undefined), { what: 'old line active' });
    await produce(
      aSighting({ lineId: first, area: 'paulton', occurredAt: daysAgo(3), body: { kind: 'bulk_text', brand } }),
      aSighting({
        lineId: second,
        area: 'paulton',
        occurredAt: daysAgo(2),
        body: { kind: 'bulk_text', brand: ` ${brand.toLowerCase()} ` },
      }),
    );
    await waitFor(
      async () => ((await lineRow(second))?.state === 'active' && (await lineRow(first))?.state === 'active' ? true : undefined),
      {
        what: 'both new lines active',
      },
    );
    expect(await suggestionsFor(first)).toEqual([]); // the old line had not ended when they appeared
    await produce(aRaid([old], { area: 'paulton', occurredAt: daysAgo(6) }));
    for (const [fresh, days] of [
      [first, 3],
      [second, 4],
    ] as const) {
      const [suggestion] = await waitFor(async () => ((await suggestionsFor(fresh)).length > 0 ? suggestionsFor(fresh) : undefined), {
        what: `${fresh} suggested as a replacement of ${old} after the late raid`,
        timeoutMs: 60_000,
      });
      expect(suggestion).toMatchObject({ replaces: old, reasons: { sameArea: true, ending: { kind: 'disrupted' } } });
      expect(suggestion.reasons.daysBetween).toBeCloseTo(days, 0);
    }

    // (2) A new line first reported without a brand is suggested once an event names its brand.
    const later = `NEW-${unique()}`;
    await produce(aSighting({ lineId: later, area: 'paulton', occurredAt: daysAgo(1), body: { kind: 'test_purchase' } }));
    await waitFor(async () => ((await lineRow(later))?.state === 'active' ? true : undefined), { what: 'unnamed new line active' });
    expect(await suggestionsFor(later)).toEqual([]);
    await produce(aSighting({ lineId: later, area: 'paulton', occurredAt: daysAgo(0.5), body: { kind: 'bulk_text', brand } }));
    const [named] = await waitFor(async () => ((await suggestionsFor(later)).length > 0 ? suggestionsFor(later) : undefined), {
      what: 'the new line suggested once its brand is known',
      timeoutMs: 60_000,
    });
    expect(named).toMatchObject({ replaces: old, reasons: { brands: [brand.toLowerCase()], ending: { kind: 'disrupted' } } });
  });

  it('rebuild recomputes identity like timelines', async () => {
    const lineId = `RB-${unique()}`;
    const n = aNumber();
    await produce(aSighting({ lineId, occurredAt: daysAgo(4), body: { kind: 'bulk_text', msisdn: n } }));
    await waitFor(async () => ((await intervals(lineId)).length === 1 ? true : undefined), { what: 'interval stored' });
    const before = await intervals(lineId);
    await db.query(`DELETE FROM line_identifiers WHERE line_id = $1`, [lineId]);
    const result = await runCli(['rebuild', '--line', lineId], env);
    expect(result.code).toBe(0);
    expect(await intervals(lineId)).toEqual(before);
  });
});
