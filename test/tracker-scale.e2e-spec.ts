/**
 * Scale-out: two tracker instances in one consumer group share the partitions; killing one
 * (SIGKILL, mid-stream) moves its partitions to the other, and a restarted instance joins again.
 * Nothing is lost (every event stored, every line's timeline equal to a recomputation) and no
 * state change is emitted twice (per line, the changes form one chain; the relay is at least once,
 * so a redelivery after the kill carries the same changeId and is dropped by it).
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { HEADERS, stateChangeV1, type IntelEventInput, type IntelEventV1, type StateChangeV1, type TopicNames } from '@linewatch/contracts';
import { computeTimeline, lineEventsOf, DEFAULT_DORMANCY_POLICY, type LineEvent } from '@linewatch/domain';
import { KafkaBatchConsumer, KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  aRaid,
  aSighting,
  isolatedTopics,
  linesOfInput,
  publishLikeIngest,
  serviceEnv,
  startService,
  testDatabaseConfig,
  testKafkaConfig,
  waitFor,
  type DatabaseFlavour,
  type RunningService,
  DAY_MS,
} from '@linewatch/testing';

const logger = createLogger('e2e', 'silent');
const LINES = 150;
const EVENTS_PER_LINE = 8;

/** Random sightings and raids over the last 200 days, for LINES lines, shuffled (arrival order is not event order). */
function workload(tag: string): IntelEventInput[] {
  const now = Date.now();
  const at = () => new Date(now - Math.floor(Math.random() * 200 * DAY_MS)).toISOString();
  const lineIds = Array.from({ length: LINES }, (_, i) => `S${tag}-${String(i).padStart(3, '0')}`);
  const events: IntelEventInput[] = [];
  for (const lineId of lineIds) {
    for (let i = 0; i < EVENTS_PER_LINE; i++) {
      events.push(
        Math.random() < 0.8
          ? aSighting({ lineId, occurredAt: at() })
          : aRaid([lineId, lineIds[Math.floor(Math.random() * LINES)]], { occurredAt: at() }),
      );
    }
  }
  return events.sort(() => Math.random() - 0.5);
}

async function storedCount(service: RunningService): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const match = /linewatch_tracker_events_total\{[^}]*outcome="stored"[^}]*\} (\d+)/.exec(text);
  return match ? Number(match[1]) : 0;
}

describe.each<[DatabaseFlavour, number]>([
  ['timescale', 24700],
  ['postgres', 24800],
])('two trackers on %s', (flavour, basePort) => {
  let db: Pool;
  let topics: TopicNames;
  let env: NodeJS.ProcessEnv;
  let producer: KafkaPublisher;
  let changesConsumer: KafkaBatchConsumer;
  const running: RunningService[] = [];
  const seen: { change: StateChangeV1; header: string | undefined }[] = [];

  beforeAll(async () => {
    const isolated = await isolatedTopics(`scale-${flavour}`);
    topics = isolated.names;
    env = serviceEnv(flavour, {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      TRACKER_GROUP_ID: `e2e-scale-${flavour}-${randomUUID()}`,
      TRACKER_SESSION_TIMEOUT_MS: '6000',
      TRACKER_RELAY_INTERVAL_MS: '200',
      TRACKER_RELAY_LEASE_MS: '3000',
      TRACKER_MAX_BATCH: '50',
    });
    db = new Pool({ connectionString: testDatabaseConfig(flavour).url, max: 2 });
    const kafka = createKafka(testKafkaConfig(`e2e-scale-${flavour}`), logger);
    producer = new KafkaPublisher(kafka);
    changesConsumer = new KafkaBatchConsumer(
      kafka,
      { groupId: `e2e-scale-changes-${randomUUID()}`, topics: [topics.lineStateChanges], maxBatchSize: 500 },
      logger,
    );
    await changesConsumer.start(async (messages) => {
      for (const m of messages)
        seen.push({ change: stateChangeV1.parse(JSON.parse(m.value?.toString() ?? '')), header: m.headers[HEADERS.changeId] });
    });
  });

  afterAll(async () => {
    await changesConsumer?.stop();
    await producer?.disconnect();
    await Promise.all(running.map((s) => s.stop()));
    await db?.end();
  });

  const produce = (events: readonly IntelEventInput[]) => publishLikeIngest(producer, topics.intelEvents, events);

  it('share the partitions, survive a SIGKILL and a restart, lose nothing and emit no change twice', async () => {
    const [a, b] = await Promise.all([startService('tracker', env, basePort + 3), startService('tracker', env, basePort + 13)]);
    running.push(a, b);
    const events = workload(randomUUID().slice(0, 6).toUpperCase());
    const third = Math.ceil(events.length / 3);

    await produce(events.slice(0, third));
    // Both instances own partitions and store events: the work is split.
    await waitFor(async () => ((await storedCount(a)) > 0 && (await storedCount(b)) > 0) || undefined, {
      what: 'both instances storing events',
      timeoutMs: 60_000,
    });

    // Kill one mid-stream: no orderly shutdown, its batch in hand and its relay lease are abandoned.
    const produced = produce(events.slice(third, 2 * third));
    a.process.kill('SIGKILL');
    await a.stop();
    await produced;

    // The survivor takes over the dead instance's partitions: everything so far gets stored.
    const allStored = (list: readonly IntelEventInput[]) => {
      const ids = list.map((e) => e.eventId as string);
      return waitFor(
        async () =>
          (await db.query('SELECT count(*)::int AS n FROM intel_events WHERE event_id = ANY($1::uuid[])', [ids])).rows[0].n ===
            ids.length || undefined,
        { what: `all ${ids.length} events stored`, timeoutMs: 120_000, intervalMs: 500 },
      );
    };
    await allStored(events.slice(0, 2 * third));

    // A restarted instance joins the group again and takes a share.
    const c = await startService('tracker', env, basePort + 23);
    running.push(c);
    await produce(events.slice(2 * third));
    await allStored(events);
    const lineIds = [...new Set(events.flatMap(linesOfInput))];
    await waitFor(
      async () =>
        (
          await db.query(
            'SELECT count(*)::int AS n FROM line_state_changes_outbox WHERE line_id = ANY($1::text[]) AND published_at IS NULL',
            [lineIds],
          )
        ).rows[0].n === 0 || undefined,
      { what: 'every change relayed', timeoutMs: 60_000, intervalMs: 500 },
    );

    const now = new Date();
    const { rows } = await db.query('SELECT payload FROM intel_events WHERE line_ids && $1::text[]', [lineIds]);
    const byLine = new Map<string, LineEvent[]>();
    for (const row of rows)
      for (const e of lineEventsOf(row.payload as IntelEventV1)) byLine.set(e.lineId, [...(byLine.get(e.lineId) ?? []), e]);
    const periods = await db.query(
      'SELECT line_id, state, valid_from, valid_to FROM line_state_periods WHERE line_id = ANY($1::text[]) ORDER BY line_id, seq',
      [lineIds],
    );
    const outbox = await db.query('SELECT line_id, payload FROM line_state_changes_outbox WHERE line_id = ANY($1::text[]) ORDER BY seq', [
      lineIds,
    ]);
    // Relayed means Kafka acknowledged them; this test's own consumer may still be fetching the
    // last ones. Wait until it has each of them (a change lost on the way times out here, named).
    await waitFor(
      () => {
        const consumed = new Set(seen.map((s) => s.change.changeId));
        const missing = outbox.rows.map((r) => (r.payload as StateChangeV1).changeId).filter((id) => !consumed.has(id));
        return missing.length === 0 || undefined;
      },
      { what: `this test's consumer to have every one of the ${outbox.rows.length} relayed changes`, timeoutMs: 60_000, intervalMs: 200 },
    );

    for (const lineId of lineIds) {
      // Nothing lost: the stored timeline is the one its events give.
      const expected = computeTimeline(lineId, byLine.get(lineId) ?? [], now, DEFAULT_DORMANCY_POLICY);
      const stored = periods.rows.filter((p) => p.line_id === lineId).map((p) => ({ state: p.state, from: p.valid_from, to: p.valid_to }));
      expect({ lineId, stored }).toEqual({ lineId, stored: expected.periods.map((p) => ({ state: p.state, from: p.from, to: p.to })) });

      // Nothing twice: the outbox holds one chain of changes per line, each starting where the last ended …
      const written = outbox.rows.filter((r) => r.line_id === lineId).map((r) => r.payload as StateChangeV1);
      written.forEach((change, i) =>
        expect({ lineId, i, from: change.from }).toEqual({ lineId, i, from: i === 0 ? null : written[i - 1].to }),
      );
      expect(written.at(-1)?.to).toBe(expected.state);
      // … and the topic carries exactly those, once each after dropping redeliveries by changeId.
      const delivered = [...new Map(seen.filter((s) => s.change.lineId === lineId).map((s) => [s.change.changeId, s.change])).values()];
      expect(delivered.map((d) => d.changeId)).toEqual(written.map((w) => w.changeId));
    }
    expect(seen.every((s) => s.header === s.change.changeId)).toBe(true);
    const redelivered = seen.filter((s) => lineIds.includes(s.change.lineId)).length - outbox.rows.length;
    // At least once: only the kill can cause a redelivery, of at most one relay batch.
    expect(redelivered).toBeGreaterThanOrEqual(0);
    expect(redelivered).toBeLessThanOrEqual(500);
  });
});
