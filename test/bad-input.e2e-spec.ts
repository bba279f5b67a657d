/**
 * Bad input (issue #9, short version): the hostile corpus of libs/testing sent to ingest as JSON,
 * NDJSON and CSV — each rejected with `{ code, message, errors[] }` and nothing published — and
 * produced straight to Kafka as raw bytes, where each ends on the dead-letter topic with its code
 * while the partition goes on. Injection strings in text fields are data: accepted and stored
 * verbatim. Prototype keys never pollute the service.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { CSV_COLUMNS, HEADERS, eventToCsvRecord, type TopicNames } from '@linewatch/contracts';
import { KafkaPublisher, createKafka, readTopicSnapshot } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  aSighting,
  bearer,
  hostileEventCases,
  injectionEvents,
  invalidUtf8Event,
  isolatedTopics,
  serviceEnv,
  startService,
  testDatabaseConfig,
  testKafkaConfig,
  waitFor,
  type RunningService,
} from '@linewatch/testing';

const BASE_PORT = 26000;
const logger = createLogger('bad-input', 'silent');

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

describe('bad input', () => {
  const services: RunningService[] = [];
  let ingest: RunningService;
  let db: Pool;
  let topics: TopicNames;

  beforeAll(async () => {
    const isolated = await isolatedTopics('bad-input');
    topics = isolated.names;
    const env = serviceEnv('timescale', { KAFKA_TOPIC_PREFIX: isolated.prefix, TRACKER_GROUP_ID: `bad-input-${randomUUID()}` });
    services.push(...(await Promise.all([startService('ingest', env, BASE_PORT + 1), startService('tracker', env, BASE_PORT + 3)])));
    ingest = services[0];
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.end();
  });

  const post = async (body: Buffer | string, contentType = 'application/json'): Promise<Answer> => {
    const response = await fetch(`${ingest.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: await bearer(['ingest'], [], 'hostile-system') },
      body,
    });
    return { status: response.status, body: await response.json() };
  };

  const stored = async (eventIds: readonly string[]) =>
    (await db.query('SELECT event_id::text AS id, payload FROM intel_events WHERE event_id = ANY($1::uuid[])', [eventIds])).rows as {
      id: string;
      payload: Record<string, unknown>;
    }[];

  /** Every eventId on the intake topic now: nothing rejected may be there. */
  const published = async () =>
    new Set(
      (await readTopicSnapshot(createKafka(testKafkaConfig('bad-input-snapshot'), logger), topics.intelEvents)).map(
        (m) => m.headers[HEADERS.eventId] ?? (JSON.parse(m.value?.toString() || '{}') as { eventId?: string }).eventId,
      ),
    );

  const eventIdsIn = (bytes: Buffer) =>
    [...bytes.toString('utf8').matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)].map((m) => m[0]);

  describe('over HTTP', () => {
    const corpus = hostileEventCases();

    const single = corpus.filter((c) => c.bytes[0] !== 0x5b);

    it.each(single.map((c) => [c.name, c] as const))('rejects %s with its code, a message and field errors', async (_name, hostile) => {
      const { status, body } = await post(hostile.bytes);
      const code = hostile.overHttp ?? hostile.code;
      expect({ status, code: body.code }).toEqual({ status: code === 'MALFORMED_JSON' ? 400 : 422, code });
      expect(body).toMatchObject({ message: expect.any(String), errors: expect.any(Array) });
      expect(body.errors.length).toBeGreaterThanOrEqual(1);
      expect(body.message.length).toBeLessThan(500); // a 200 KB value is not echoed back
      expect(JSON.stringify(body)).toContain(hostile.mentions ?? '');
    });

    it('answers a JSON array of non-events per element (a batch), each rejected', async () => {
      const batches = corpus.filter((c) => c.bytes[0] === 0x5b);
      expect(batches.length).toBeGreaterThan(0);
      for (const hostile of batches) {
        const { status, body } = await post(hostile.bytes);
        expect(status).toBe(200);
        expect(body.results.map((r: { code: string }) => r.code)).toEqual(body.results.map(() => hostile.code));
      }
    });

    it('rejects bytes that are not UTF-8, a JSON null, and a body over the limit, each with a code', async () => {
      expect(await post(invalidUtf8Event())).toMatchObject({
        status: 400,
        body: { code: 'MALFORMED_JSON', message: expect.stringContaining('UTF-8') },
      });
      expect(await post('null')).toMatchObject({ status: 400, body: { code: 'MALFORMED_JSON', errors: [expect.anything()] } });
      const huge = Buffer.from(JSON.stringify({ ...aSighting(), body: { kind: 'other', note: 'x'.repeat(6 * 1024 * 1024) } }));
      expect(await post(huge)).toMatchObject({ status: 413, body: { code: 'BODY_TOO_LARGE', message: expect.any(String) } });
    });

    it('rejects each bad NDJSON line alone (invalid UTF-8 too) and takes the good ones', async () => {
      const good = aSighting();
      const lines = corpus.filter((c) => !c.bytes.includes(0x0a)).map((c) => c.bytes);
      const upload = Buffer.concat([
        ...[...lines, invalidUtf8Event()].flatMap((l) => [l, Buffer.from('\n')]),
        Buffer.from(JSON.stringify(good)),
      ]);
      const { status, body } = await post(upload, 'application/x-ndjson');
      expect(status).toBe(200);
      expect(body.summary).toEqual({ accepted: 1, duplicate: 0, rejected: lines.length + 1 });
      expect(body.rejected.find((r: { position: number }) => r.position === lines.length + 1)).toMatchObject({
        code: 'MALFORMED_JSON',
        message: expect.stringContaining('UTF-8'),
      });
      for (const rejection of body.rejected) expect(rejection.errors.length).toBeGreaterThanOrEqual(1);
    });

    it('rejects hostile CSV rows alone, and a CSV that is not UTF-8 as a whole', async () => {
      const row = (record: Record<string, string>) => CSV_COLUMNS.map((c) => `"${(record[c] ?? '').replace(/"/g, '""')}"`).join(',');
      const future = eventToCsvRecord(
        aSighting({ occurredAt: new Date(Date.now() + 86_400_000).toISOString() }) as Record<string, unknown>,
      );
      const ancient = eventToCsvRecord(aSighting({ occurredAt: '1970-01-01T00:00:00Z' }) as Record<string, unknown>);
      const proto = {
        ...eventToCsvRecord(aSighting() as Record<string, unknown>),
        body: '{"kind":"other","__proto__":{"polluted":"yes"}}',
      };
      const csv = [CSV_COLUMNS.join(','), row(future), row(ancient), row(proto), row({ ...proto, body: '[[[[[[[[' })].join('\r\n');
      const { status, body } = await post(csv, 'text/csv');
      expect(status).toBe(200);
      const byPosition = [...body.rejected].sort((a: { position: number }, b: { position: number }) => a.position - b.position);
      expect(byPosition.map((r: { code: string }) => r.code)).toEqual(['FUTURE_EVENT', 'ANCIENT_EVENT', 'INVALID_FIELDS', 'MALFORMED_CSV']);

      const bytes = Buffer.concat([Buffer.from(`${CSV_COLUMNS.join(',')}\r\n`), Buffer.from([0xff, 0xfe, 0x00, 0x41])]);
      expect(await post(bytes, 'text/csv')).toMatchObject({
        status: 400,
        body: { code: 'MALFORMED_CSV', message: expect.stringContaining('UTF-8') },
      });
    });

    it('stores SQL- and formula-injection strings verbatim, as data', async () => {
      const events = injectionEvents();
      const { status, body } = await post(JSON.stringify(events));
      expect(status).toBe(200);
      expect(body.summary).toEqual({ accepted: events.length, duplicate: 0, rejected: 0 });
      const ids = events.map((e) => e.eventId as string);
      const rows = await waitFor(
        async () => {
          const found = await stored(ids);
          return found.length === ids.length ? found : undefined;
        },
        { what: 'the injection events stored', timeoutMs: 60_000 },
      );
      for (const event of events) {
        const row = rows.find((r) => r.id === event.eventId)!;
        expect(row.payload.body).toMatchObject(event.body as object);
        expect(row.payload.source).toEqual(event.source);
      }
      expect((await db.query(`SELECT to_regclass('intel_events') IS NOT NULL AS present`)).rows[0].present).toBe(true);
    });

    it('never pollutes Object.prototype: after the prototype keys, a plain event is still accepted and stored as sent', async () => {
      for (const hostile of corpus.filter((c) => /proto|constructor/.test(c.name))) expect((await post(hostile.bytes)).status).toBe(422);
      const plain = aSighting();
      // A polluted prototype would add inherited keys that the strict schema refuses, or that end up stored.
      expect(await post(JSON.stringify(plain))).toMatchObject({ status: 202, body: { status: 'accepted' } });
      const [row] = await waitFor(
        async () => {
          const found = await stored([plain.eventId as string]);
          return found.length === 1 ? found : undefined;
        },
        { what: 'the plain event stored', timeoutMs: 60_000 },
      );
      expect(JSON.stringify(row.payload)).not.toContain('polluted');
    });

    it('published none of the rejected events', async () => {
      const rejectedIds = corpus.flatMap((c) => eventIdsIn(c.bytes));
      expect(rejectedIds.length).toBeGreaterThan(10);
      const onTopic = await published();
      expect(rejectedIds.filter((id) => onTopic.has(id))).toEqual([]);
    });
  });

  describe('straight through Kafka (a misbehaving producer)', () => {
    it('dead-letters each malformed message with its code, stores none of them, and applies the valid event after them', async () => {
      const lineId = `KAFKA-HOSTILE-${randomUUID().slice(0, 8)}`;
      const corpus = [
        ...hostileEventCases().map((c) => ({ name: c.name, bytes: c.bytes, code: c.code })),
        { name: 'invalid UTF-8', bytes: invalidUtf8Event(), code: 'MALFORMED_JSON' },
        { name: 'an empty message', bytes: Buffer.alloc(0), code: 'MALFORMED_JSON' },
        { name: 'binary garbage', bytes: Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x7b]), code: 'MALFORMED_JSON' },
      ];
      // 5x5x5-graded: valid, and must survive the tracker's second validation.
      const valid = aSighting({ lineId, grading: { system: '5x5x5', source: 'B', intelligence: '2', handling: '1' } });
      const producer = new KafkaPublisher(createKafka(testKafkaConfig('bad-input-producer'), logger));
      const marks = corpus.map((c, i) => ({ ...c, mark: `${i}` }));
      await producer.publish(topics.intelEvents, [
        ...marks.map((c) => ({ key: lineId, value: c.bytes, headers: { 'x-hostile-case': c.mark } })),
        { key: lineId, value: JSON.stringify(valid) },
      ]);
      await producer.disconnect();

      const [row] = await waitFor(
        async () => {
          const found = await stored([valid.eventId as string]);
          return found.length === 1 ? found : undefined;
        },
        { what: 'the valid event after the poison stored (partition not blocked)', timeoutMs: 60_000 },
      );
      expect(row.payload.grading).toMatchObject({ system: '3x5x2', original: { system: '5x5x5' } });

      const letters = await waitFor(
        async () => {
          const all = await readTopicSnapshot(createKafka(testKafkaConfig('bad-input-dlq'), logger), topics.intelEventsDlq);
          const ours = all.filter((m) => m.key?.toString() === lineId);
          return ours.length >= corpus.length ? ours : undefined;
        },
        { what: 'every hostile message dead-lettered', timeoutMs: 60_000, intervalMs: 1000 },
      );
      expect(letters).toHaveLength(corpus.length);
      for (const c of marks) {
        const letter = letters.find((m) => m.headers['x-hostile-case'] === c.mark);
        expect({ name: c.name, code: letter?.headers[HEADERS.dlqCode] }).toEqual({ name: c.name, code: c.code });
        expect(letter?.headers[HEADERS.dlqReason]?.length).toBeGreaterThan(0);
        expect(Buffer.compare(letter?.value ?? Buffer.alloc(0), c.bytes)).toBe(0); // the original bytes, kept
      }
      const ids = corpus.flatMap((c) => eventIdsIn(c.bytes));
      expect(await stored(ids)).toEqual([]);
    });
  });
});
