/**
 * The line tracker as a real process, on both database flavours: events produced to the real
 * broker become each line's state and timeline in the database, changes of the current state
 * reach `lines.state-changes.v1` once each, late reports rewrite history without false alerts,
 * lines go dormant on time without any new event, and `linewatch rebuild` recomputes silently.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { HEADERS, stateChangeV1, type IntelEventV1, type IntelEventInput, type StateChangeV1, type TopicNames } from '@linewatch/contracts';
import { computeTimeline, lineEventsOf, type LineEvent } from '@linewatch/domain';
import { KafkaBatchConsumer, KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  aRaid,
  aSighting,
  demoFeedSample,
  isolatedTopics,
  linesOfInput,
  publishLikeIngest,
  runCli,
  serviceEnv,
  startService,
  testDatabaseConfig,
  testKafkaConfig,
  waitFor,
  type DatabaseFlavour,
  type RunningService,
  DAY_MS,
  daysAgo,
} from '@linewatch/testing';

const logger = createLogger('e2e', 'silent');

/** The shipped areas, with Chew Valley's dormancy window cut to one day (an area's own window). */
function areasFile(): string {
  const shipped = JSON.parse(readFileSync(join(__dirname, '..', 'config', 'areas.json'), 'utf8')) as {
    areas: { code: string; dormancyWindowDays?: number }[];
  };
  const areas = shipped.areas.map((a) => (a.code === 'chew-valley' ? { ...a, dormancyWindowDays: 1 } : a));
  const file = join(mkdtempSync(join(tmpdir(), 'linewatch-tracker-')), 'areas.json');
  writeFileSync(file, JSON.stringify({ areas }));
  return file;
}

describe.each<[DatabaseFlavour, number]>([
  ['timescale', 24500],
  ['postgres', 24600],
])('tracker on %s', (flavour, basePort) => {
  let tracker: RunningService;
  let db: Pool;
  let topics: TopicNames;
  let env: NodeJS.ProcessEnv;
  let producer: KafkaPublisher;
  let changesConsumer: KafkaBatchConsumer;
  const changes: { change: StateChangeV1; header: string | undefined }[] = [];

  beforeAll(async () => {
    const isolated = await isolatedTopics(`tracker-${flavour}`);
    topics = isolated.names;
    env = serviceEnv(flavour, {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      TRACKER_GROUP_ID: `e2e-tracker-${flavour}-${randomUUID()}`,
      TRACKER_SWEEP_INTERVAL_MS: '500',
      TRACKER_RELAY_INTERVAL_MS: '200',
      AREAS_FILE: areasFile(),
    });
    tracker = await startService('tracker', env, basePort + 3);
    db = new Pool({ connectionString: testDatabaseConfig(flavour).url, max: 2 });
    const kafka = createKafka(testKafkaConfig(`e2e-tracker-${flavour}`), logger);
    producer = new KafkaPublisher(kafka);
    changesConsumer = new KafkaBatchConsumer(
      kafka,
      { groupId: `e2e-changes-${randomUUID()}`, topics: [topics.lineStateChanges], maxBatchSize: 500 },
      logger,
    );
    await changesConsumer.start(async (messages) => {
      for (const m of messages)
        changes.push({ change: stateChangeV1.parse(JSON.parse(m.value?.toString() ?? '')), header: m.headers[HEADERS.changeId] });
    });
  });

  afterAll(async () => {
    await changesConsumer?.stop();
    await producer?.disconnect();
    await tracker?.stop();
    await db?.end();
  });

  /** Produced as ingest does: one message per line the event names, keyed by it. */
  const produce = (...events: IntelEventInput[]) => publishLikeIngest(producer, topics.intelEvents, events);

  const lineRow = (lineId: string) =>
    db
      .query('SELECT state, state_since, area, areas, next_check_at, version FROM lines WHERE line_id = $1', [lineId])
      .then((r) => r.rows[0]);
  const periods = (lineId: string) =>
    db
      .query('SELECT state, valid_from, valid_to, transition, cause_event_id FROM line_state_periods WHERE line_id = $1 ORDER BY seq', [
        lineId,
      ])
      .then(
        (r) => r.rows as { state: string; valid_from: Date; valid_to: Date | null; transition: string; cause_event_id: string | null }[],
      );
  const stored = (eventId: string) =>
    waitFor(async () => (await db.query('SELECT 1 FROM intel_events WHERE event_id = $1', [eventId])).rowCount === 1 || undefined, {
      what: `event ${eventId} stored`,
      timeoutMs: 60_000,
    });
  const changesOf = (lineId: string) => changes.filter((c) => c.change.lineId === lineId).map((c) => c.change);
  const outboxOf = (lineId: string) =>
    db
      .query('SELECT payload FROM line_state_changes_outbox WHERE line_id = $1 ORDER BY seq', [lineId])
      .then((r) => r.rows.map((x) => x.payload as StateChangeV1));
  const waitForChanges = (lineId: string, count: number) =>
    waitFor(() => (changesOf(lineId).length >= count ? changesOf(lineId) : undefined), {
      what: `${count} change(s) of ${lineId} on the topic`,
      timeoutMs: 60_000,
    });

  /** The stored timeline equals a recomputation from the stored events (the tracker's clock is later than ours). */
  async function expectStoredEqualsFromScratch(lineId: string, now: Date): Promise<void> {
    const { rows } = await db.query('SELECT payload FROM intel_events WHERE line_ids && $1::text[]', [[lineId]]);
    const events: LineEvent[] = rows.flatMap((r) => lineEventsOf(r.payload as IntelEventV1));
    const expected = computeTimeline(lineId, events, now, { defaultDays: 28, byArea: { 'chew-valley': 1 } });
    const got = await periods(lineId);
    expect({
      lineId,
      periods: got.map((p) => ({ state: p.state, from: p.valid_from, to: p.valid_to, cause: p.cause_event_id, kind: p.transition })),
    }).toEqual({
      lineId,
      periods: expected.periods.map((p) => ({ state: p.state, from: p.from, to: p.to, cause: p.cause.eventId, kind: p.cause.kind })),
    });
    expect((await lineRow(lineId)).state).toBe(expected.state);
  }

  it('makes a new line active, then disrupted by a raid naming two lines; a redelivered event changes nothing', async () => {
    const sighting = aSighting({ occurredAt: daysAgo(2) });
    const lineId = (sighting as { lineId: string }).lineId;
    const other = `OTHER-${randomUUID().slice(0, 8)}`;
    await produce(sighting);
    const [first] = await waitForChanges(lineId, 1);
    expect(first).toMatchObject({
      lineId,
      from: null,
      to: 'active',
      kind: 'new',
      at: new Date(sighting.occurredAt).toISOString(),
      late: false,
      trigger: 'events',
    });
    expect(first.cause).toEqual({
      eventId: sighting.eventId,
      kind: 'new',
      type: 'line.sighting',
      grading: { source: '2', intelligence: 'B', handling: 'P' },
    });
    expect(changes.find((c) => c.change.changeId === first.changeId)?.header).toBe(first.changeId);

    const raid = aRaid([lineId, other], { occurredAt: daysAgo(1) });
    await produce(raid, sighting);
    const both = await waitForChanges(lineId, 2);
    expect(both[1]).toMatchObject({ from: 'active', to: 'disrupted', kind: 'disrupted', late: false });
    expect((await waitForChanges(other, 1))[0]).toMatchObject({ from: null, to: 'disrupted', kind: 'disrupted' });
    expect(await lineRow(lineId)).toMatchObject({ state: 'disrupted', areas: ['paulton'] });

    // The raid arrived twice (once per line) and the sighting again: nothing new on the topic, nothing new in the outbox.
    const marker = aSighting({ lineId: other, occurredAt: daysAgo(0.5) });
    await produce(marker);
    await waitForChanges(other, 2); // disrupted → resurfaced: everything before it was handled
    expect(changesOf(lineId)).toHaveLength(2);
    expect(await outboxOf(lineId)).toHaveLength(2);
    await expectStoredEqualsFromScratch(lineId, new Date());
  });

  it('corrects history for a late report in the middle of a dormant period without raising a change', async () => {
    const lineId = `LATE-${randomUUID().slice(0, 8)}`;
    const early = aSighting({ lineId, occurredAt: daysAgo(100) });
    const recent = aSighting({ lineId, occurredAt: daysAgo(10) });
    await produce(early, recent);
    await stored(recent.eventId as string);
    // active (100 days ago) → dormant (72 days ago) → active (10 days ago): the first change the tracker saw is all anyone was told.
    const before = await waitFor(async () => ((await periods(lineId)).length === 3 ? periods(lineId) : undefined), {
      what: 'three periods',
    });
    expect(before.map((p) => p.state)).toEqual(['active', 'dormant', 'active']);
    const told = await waitForChanges(lineId, 1);

    const late = aSighting({ lineId, occurredAt: daysAgo(50), reportedAt: new Date().toISOString() });
    await produce(late);
    const after = await waitFor(async () => ((await periods(lineId)).length === 5 ? periods(lineId) : undefined), { what: 'five periods' });
    expect(after.map((p) => p.state)).toEqual(['active', 'dormant', 'active', 'dormant', 'active']);
    expect(after[2].cause_event_id).toBe(late.eventId);
    expect(await outboxOf(lineId)).toHaveLength(told.length);
    await expectStoredEqualsFromScratch(lineId, new Date());
  });

  it('flags a change of the current state caused by a late report as late', async () => {
    const lineId = `REACT-${randomUUID().slice(0, 8)}`;
    const first = aSighting({ lineId, occurredAt: daysAgo(40) });
    await produce(first);
    await waitFor(async () => ((await lineRow(lineId))?.state === 'dormant' ? true : undefined), { what: 'dormant after 28 days' });
    // Sighted 20 days ago, before the 28 days ran out: the line was never dormant at all.
    const late = aSighting({ lineId, occurredAt: daysAgo(20) });
    await produce(late);
    const [, reactivated] = await waitForChanges(lineId, 2);
    expect(reactivated).toMatchObject({
      from: 'dormant',
      to: 'active',
      kind: 'reactivated',
      late: true,
      at: new Date(first.occurredAt).toISOString(),
    });
    // The current period is the one the first sighting began; it is what an officer told "dormant" sees change.
    expect(reactivated.cause).toMatchObject({ eventId: first.eventId, kind: 'new' });
    expect((await periods(lineId)).map((p) => p.state)).toEqual(['active']);
  });

  it('makes a line dormant on time with no new event (Chew Valley: a one-day window), once', async () => {
    const lineId = `QUIET-${randomUUID().slice(0, 8)}`;
    const sightedAt = Date.now() - DAY_MS + 3_000; // dormant three seconds from now
    await produce(aSighting({ lineId, area: 'chew-valley', occurredAt: new Date(sightedAt).toISOString() }));
    const [, dormant] = await waitForChanges(lineId, 2);
    expect(dormant).toMatchObject({
      from: 'active',
      to: 'dormant',
      kind: 'went_dormant',
      trigger: 'dormancy_sweep',
      at: new Date(sightedAt + DAY_MS).toISOString(),
    });
    expect(dormant.cause).toEqual({ eventId: null, kind: 'went_dormant', type: null, grading: null });
    // Found within a sweep interval of falling due (0.5 s here; 15 s by default).
    expect(new Date(dormant.detectedAt).getTime() - (sightedAt + DAY_MS)).toBeLessThan(5_000);
    expect(await lineRow(lineId)).toMatchObject({ state: 'dormant', next_check_at: null });
    // Nothing left for the sweep to find: it cannot fire again.
    expect(await outboxOf(lineId)).toHaveLength(2);
  });

  it('keeps every line of the demo feed equal to a recomputation from its events', async () => {
    const tag = randomUUID().slice(0, 6).toUpperCase();
    const feed = demoFeedSample(`D${tag}`);
    // Arrival order is not event order: shuffle, then let the tracker sort it out.
    const shuffled = [...feed].sort(() => Math.random() - 0.5);
    for (let i = 0; i < shuffled.length; i += 100) await produce(...shuffled.slice(i, i + 100));
    await waitFor(
      async () =>
        (await db.query('SELECT count(*)::int AS n FROM intel_events WHERE event_id = ANY($1::uuid[])', [feed.map((e) => e.eventId)]))
          .rows[0].n === feed.length || undefined,
      { what: `all ${feed.length} demo events stored`, timeoutMs: 90_000 },
    );
    const lineIds = [...new Set(feed.flatMap(linesOfInput))].sort();
    const now = new Date();
    for (const lineId of lineIds) await expectStoredEqualsFromScratch(lineId, now);
    // The topic says, per line, one chain of changes: each starts where the one before ended (none twice).
    await waitFor(
      async () =>
        (await db.query(`SELECT count(*)::int AS n FROM line_state_changes_outbox WHERE published_at IS NULL`)).rows[0].n === 0 ||
        undefined,
      {
        what: 'the outbox relayed',
      },
    );
    for (const lineId of lineIds) {
      const outbox = await outboxOf(lineId);
      const seen = await waitForChanges(lineId, outbox.length);
      expect(seen.map((c) => c.changeId)).toEqual(outbox.map((c) => c.changeId));
      seen.forEach((change, i) => expect(change.from).toBe(i === 0 ? null : seen[i - 1].to));
    }
  });

  it('rebuild recomputes after a window change, reports what changed, and raises no alerts', async () => {
    const lineId = `REBUILD-${randomUUID().slice(0, 8)}`;
    const sighting = aSighting({ lineId, occurredAt: daysAgo(10) });
    await produce(sighting);
    await waitForChanges(lineId, 1);
    expect((await lineRow(lineId)).state).toBe('active');
    const cliEnv = { ...env, DORMANCY_WINDOW_DAYS: '7' };

    const dry = await runCli(['rebuild', '--line', lineId, '--dry-run'], cliEnv);
    expect(dry.stderr).toBe('');
    expect(dry.stdout).toContain(`${lineId}: state active → dormant; periods 1 → 2`);
    expect(dry.stdout).toContain('dry run');
    expect((await lineRow(lineId)).state).toBe('active');

    const real = await runCli(['rebuild', '--line', lineId], cliEnv);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('1 line(s) recomputed, 1 changed; no alerts raised');
    expect((await periods(lineId)).map((p) => p.state)).toEqual(['active', 'dormant']);
    expect(await lineRow(lineId)).toMatchObject({ state: 'dormant' });
    expect(await outboxOf(lineId)).toHaveLength(1);

    const again = await runCli(['rebuild', '--line', lineId], cliEnv);
    expect(again.stdout).toContain('1 line(s) recomputed, 0 changed');
  });

  it('stops in an orderly way: the batch in hand finished, the relay lease released', async () => {
    expect(await tracker.stop()).toBe(true);
    const pid = tracker.process.pid;
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbox_relay_leases WHERE holder LIKE $1`, [`%-${pid}-%`]);
    expect(rows[0].n).toBe(0);
  });
});
