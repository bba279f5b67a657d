/**
 * The first end-to-end path: an event posted to `ingest` over HTTP travels
 * through the real broker to `tracker` and is stored — checked in the
 * database — on both database flavours. Events written straight to Kafka get
 * the same validation, and an invalid one is dead-lettered without blocking
 * its partition.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { HEADERS, type TopicNames } from '@linewatch/contracts';
import { KafkaBatchConsumer, KafkaPublisher, createKafka, type ConsumedMessage } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  aSighting,
  bearer,
  isolatedTopics,
  serviceEnv,
  startService,
  testDatabaseConfig,
  testKafkaConfig,
  waitFor,
  type DatabaseFlavour,
  type RunningService,
} from '@linewatch/testing';

const logger = createLogger('e2e', 'silent');

async function post(service: RunningService, body: unknown, contentType = 'application/json', authorization?: string) {
  const response = await fetch(`${service.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: authorization ?? (await bearer(['ingest'], [], 'records-system')) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as any };
}

describe.each<[DatabaseFlavour, number]>([
  ['timescale', 24000],
  ['postgres', 24100],
])('pipeline on %s', (flavour, basePort) => {
  const services: RunningService[] = [];
  let ingest: RunningService;
  let db: Pool;
  let topics: TopicNames;

  beforeAll(async () => {
    const isolated = await isolatedTopics(`pipeline-${flavour}`);
    topics = isolated.names;
    const env = serviceEnv(flavour, { TRACKER_GROUP_ID: `e2e-tracker-${flavour}-${randomUUID()}`, KAFKA_TOPIC_PREFIX: isolated.prefix });
    const started = await Promise.all([
      startService('tracker', env, basePort + 3),
      startService('ingest', env, basePort + 1),
      startService('alerter', env, basePort + 2),
      startService('api', env, basePort),
    ]);
    services.push(...started);
    ingest = started[1];
    db = new Pool({ connectionString: testDatabaseConfig(flavour).url, max: 2 });
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.end();
  });

  const stored = (eventId: string) =>
    waitFor(
      async () => {
        const { rows } = await db.query('SELECT event_id, type, area, line_ids, payload FROM intel_events WHERE event_id = $1', [eventId]);
        return rows[0];
      },
      { what: `event ${eventId} in the database`, timeoutMs: 60_000 },
    );

  it('every service reports ready with its dependencies and serves metrics', async () => {
    for (const service of services) {
      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(Object.keys(body.details)).toEqual(expect.arrayContaining(['kafka', 'database', 'redis']));
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toContain(`process_resident_memory_bytes{service="${service.name}"}`);
    }
  });

  it('stores a posted event once; posting it again answers duplicate', async () => {
    const event = aSighting({ area: 'bath' });
    const first = await post(ingest, event);
    const lineId = (event as { lineId: string }).lineId;
    // The answer names the line the event went to and how (issue 17: `given` when the sender named it).
    const landed = { lineId, how: 'given', lines: [{ lineId, how: 'given' }] };
    expect(first).toEqual({ status: 202, body: { index: 0, eventId: event.eventId, status: 'accepted', ...landed } });
    const row = await stored(event.eventId as string);
    expect(row).toMatchObject({ type: 'line.sighting', area: 'bath', line_ids: [(event as { lineId: string }).lineId] });
    expect(row.payload.body.msisdn).toBe('+447700900123');

    const second = await post(ingest, event);
    expect(second).toMatchObject({ status: 200, body: { index: 0, eventId: event.eventId, status: 'duplicate', lineId } });
  });

  it('answers a batch per event, with field-level errors for the rejected ones', async () => {
    const good = aSighting();
    const bad = aSighting({ grading: { source: '7', intelligence: 'B', handling: 'P' } });
    const { status, body } = await post(ingest, [good, bad]);
    expect(status).toBe(200);
    expect(body.summary).toEqual({ accepted: 1, duplicate: 0, rejected: 1 });
    expect(body.results[1]).toMatchObject({
      status: 'rejected',
      code: 'INVALID_GRADING',
      errors: [expect.objectContaining({ path: 'grading.source' })],
    });
    await stored(good.eventId as string);
  });

  it('denies intake without a token, with a bad token, or without the ingest role', async () => {
    const event = aSighting();
    expect(await post(ingest, event, 'application/json', '')).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(await post(ingest, event, 'application/json', 'Bearer not.a.token')).toMatchObject({ status: 401 });
    expect(await post(ingest, event, 'application/json', await bearer(['analyst']))).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
  });

  it('rejects malformed JSON and the wrong content type with stable codes', async () => {
    expect(await post(ingest, '{"eventId": ')).toMatchObject({ status: 400, body: { code: 'MALFORMED_JSON' } });
    expect(await post(ingest, 'eventId=1', 'text/plain')).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_CONTENT_TYPE' } });
  });

  it('validates events produced straight to Kafka: the invalid one is dead-lettered, the next one on its key is stored', async () => {
    if (flavour !== 'timescale') return; // one tracker group suffices for the direct path; both store from the same topic
    const kafka = createKafka(testKafkaConfig('e2e-direct-producer'), logger);
    const producer = new KafkaPublisher(kafka);
    const lineId = `DIRECT-${randomUUID().slice(0, 8)}`;
    const next = aSighting({ lineId });
    await producer.publish(topics.intelEvents, [
      { key: lineId, value: '{"type":"line.sighting", "eventId": "not-a-uuid"' },
      { key: lineId, value: JSON.stringify(next) },
    ]);
    await stored(next.eventId as string);

    const dead: ConsumedMessage[] = [];
    const consumer = new KafkaBatchConsumer(
      kafka,
      { groupId: `e2e-dlq-${randomUUID()}`, topics: [topics.intelEventsDlq], maxBatchSize: 100 },
      logger,
    );
    await consumer.start(async (messages) => void dead.push(...messages.filter((m) => m.key?.toString() === lineId)));
    const [letter] = await waitFor(() => (dead.length > 0 ? dead : undefined), { what: 'the dead letter', timeoutMs: 60_000 });
    await consumer.stop();
    await producer.disconnect();
    expect(letter.value?.toString()).toBe('{"type":"line.sighting", "eventId": "not-a-uuid"');
    expect(letter.headers[HEADERS.dlqCode]).toBe('MALFORMED_JSON');
    expect(letter.headers[HEADERS.dlqSourceTopic]).toBe(topics.intelEvents);
    expect(Number(letter.headers[HEADERS.dlqSourceOffset])).toBeGreaterThanOrEqual(0);
  });

  it('stops in an orderly way on SIGTERM: consumers drained, pools closed', async () => {
    const orderly = await Promise.all(services.map((s) => s.stop()));
    expect(orderly).toEqual(services.map(() => true));
  });
});
