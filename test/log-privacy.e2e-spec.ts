/**
 * Police data never reaches the logs (issue 15, defect 9). A real tracker's transaction fails on
 * the real database with an event's payload among the statement's parameters — a CHECK constraint
 * that refuses this one event, so pg's own `detail` quotes the failing row too — and the tracker's
 * log must name the failure (its SQLSTATE, the constraint, the statement) without any of the
 * event's contents. Before the error serializer, kafkajs' "Error when calling eachBatch" line held
 * the whole QueryFailedError: its `parameters`, `detail` and `query`.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { TopicNames } from '@linewatch/contracts';
import { KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  aSighting,
  isolatedTopics,
  publishLikeIngest,
  serviceEnv,
  startService,
  testDatabaseConfig,
  testKafkaConfig,
  waitFor,
  type RunningService,
} from '@linewatch/testing';

const PORT = 26703;
const CHECK_VIOLATION = '23514';

describe('error logs carry no intelligence', () => {
  const marker = randomUUID().slice(0, 8);
  const note = `holdall behind the Co-op ${marker}`;
  const constraint = `log_privacy_probe_${randomUUID().slice(0, 8)}`;
  let tracker: RunningService;
  let db: Pool;
  let topics: TopicNames;
  let producer: KafkaPublisher;

  beforeAll(async () => {
    db = new Pool({ connectionString: testDatabaseConfig('postgres').url, max: 1 });
    // NOT VALID: only new rows are checked, and only this suite's event carries the marker.
    await db.query(`ALTER TABLE intel_events ADD CONSTRAINT ${constraint} CHECK (payload::text NOT LIKE '%${marker}%') NOT VALID`);
    const isolated = await isolatedTopics('log-privacy');
    topics = isolated.names;
    tracker = await startService(
      'tracker',
      serviceEnv('postgres', { KAFKA_TOPIC_PREFIX: isolated.prefix, TRACKER_GROUP_ID: `e2e-log-privacy-${randomUUID()}` }),
      PORT,
    );
    producer = new KafkaPublisher(createKafka(testKafkaConfig('e2e-log-privacy'), createLogger('e2e', 'silent')));
  });

  afterAll(async () => {
    await db?.query(`ALTER TABLE intel_events DROP CONSTRAINT IF EXISTS ${constraint}`);
    await producer?.disconnect();
    await tracker?.stop();
    await db?.end();
  });

  it('a failed transaction is logged with its code and statement, not its parameters, payloads or row values', async () => {
    const event = aSighting({ body: { kind: 'bulk_text', brand: 'Jay', msisdn: '07700 900999', note } });
    await publishLikeIngest(producer, topics.intelEvents, [event]);

    const failure = await waitFor(() => tracker.output.find((line) => line.includes(CHECK_VIOLATION) && line.includes(constraint)), {
      what: 'the tracker to log the failed transaction',
      timeoutMs: 60_000,
    });
    const leaksIn = (lines: readonly string[]) =>
      lines.filter((line) => [marker, '7700900999', '07700 900999', 'Co-op', 'Failing row'].some((value) => line.includes(value)));
    expect(leaksIn([failure])).toEqual([]);
    const logged = JSON.parse(failure) as { error?: Record<string, unknown>; err?: Record<string, unknown> };
    expect(logged.error ?? logged.err).toMatchObject({ type: 'QueryFailedError', code: CHECK_VIOLATION, constraint, table: 'intel_events' });
    expect(String((logged.error ?? logged.err)?.statement)).toMatch(/INSERT INTO intel_event_ids/);

    // The event is stored once the constraint is gone: the tracker kept retrying, nothing was lost.
    await db.query(`ALTER TABLE intel_events DROP CONSTRAINT ${constraint}`);
    await waitFor(async () => (await db.query('SELECT 1 FROM intel_events WHERE event_id = $1', [event.eventId])).rowCount === 1, {
      what: 'the event stored after the constraint is dropped',
      timeoutMs: 60_000,
    });

    expect(leaksIn(tracker.output)).toEqual([]);
  });
});
