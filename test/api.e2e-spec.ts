/**
 * The intelligence API over the running stack (tracker + api, real broker and database): lines
 * in the caller's scope with filters and pages, one line with its timeline, events and the state
 * as at a past date; officers see only their areas (not found otherwise) and no handling-code C
 * details; every role × route allowed or denied; every read logged with its justification.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { liveStreamKey, type IntelEventInput, type Role, type TopicNames } from '@linewatch/contracts';
import { KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  aSighting,
  bearer,
  isolatedTopics,
  publishLikeIngest,
  serviceEnv,
  startService,
  testDatabaseConfig,
  testKafkaConfig,
  testRedisConfig,
  waitFor,
  type RunningService,
} from '@linewatch/testing';

const logger = createLogger('e2e', 'silent');
const DAY = 24 * 60 * 60 * 1000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const BASE_PORT = 25100;

describe('intelligence API', () => {
  let tracker: RunningService;
  let api: RunningService;
  let db: Pool;
  let topics: TopicNames;
  let producer: KafkaPublisher;
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const bathLine = `APIB-${tag}`;
  const paultonLine = `APIP-${tag}`;
  const secretEvent = aSighting({
    lineId: bathLine,
    area: 'bath',
    occurredAt: ago(5),
    grading: { source: '1', intelligence: 'B', handling: 'C' },
    source: { system: 'records', reference: `IR-HIDDEN-${tag}` },
  });

  beforeAll(async () => {
    const isolated = await isolatedTopics('api');
    topics = isolated.names;
    const env = serviceEnv('timescale', { KAFKA_TOPIC_PREFIX: isolated.prefix, TRACKER_GROUP_ID: `e2e-api-${randomUUID()}` });
    [tracker, api] = await Promise.all([startService('tracker', env, BASE_PORT + 3), startService('api', env, BASE_PORT)]);
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
    producer = new KafkaPublisher(createKafka(testKafkaConfig('e2e-api'), logger));
    const events: IntelEventInput[] = [
      aSighting({ lineId: bathLine, area: 'bath', occurredAt: ago(60) }), // active 60 days ago, dormant from 32 days ago
      secretEvent, // active again 5 days ago
      aSighting({ lineId: paultonLine, area: 'paulton', occurredAt: ago(3) }),
    ];
    await publishLikeIngest(producer, topics.intelEvents, events);
    await waitFor(
      async () =>
        (await db.query('SELECT count(*)::int AS n FROM lines WHERE line_id = ANY($1) AND state IS NOT NULL', [[bathLine, paultonLine]]))
          .rows[0].n === 2 || undefined,
      { what: 'both lines tracked', timeoutMs: 60_000 },
    );
  });

  afterAll(async () => {
    await producer?.disconnect();
    await Promise.all([tracker?.stop(), api?.stop()]);
    await db?.end();
  });

  const get = async (path: string, roles: Role[] | null, areas: string[] = [], headers: Record<string, string> = {}) => {
    const response = await fetch(`${api.url}${path}`, {
      headers: {
        ...(roles ? { authorization: await bearer(roles, areas, `${roles.join('+')}-${areas.join('+') || 'all'}`) } : {}),
        ...headers,
      },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (await response.json().catch(() => null)) as any };
  };

  it.each<[string, Role[] | null, number]>([
    ['no token', null, 401],
    ['ingest', ['ingest'], 403],
    ['partner', ['partner'], 403],
    ['officer', ['officer'], 200],
    ['analyst', ['analyst'], 200],
    ['admin', ['admin'], 200],
  ])('GET /v1/lines as %s answers %i', async (_who, roles, status) => {
    expect((await get('/v1/lines?limit=5', roles, ['bath'])).status).toBe(status);
  });

  it.each<[string, Role[] | null, number]>([
    ['no token', null, 401],
    ['ingest', ['ingest'], 403],
    ['partner', ['partner'], 403],
    ['analyst', ['analyst'], 200],
    ['admin', ['admin'], 200],
  ])('GET /v1/lines/:id as %s answers %i', async (_who, roles, status) => {
    expect((await get(`/v1/lines/${paultonLine}`, roles)).status).toBe(status);
  });

  it('shows an analyst every line, and an officer of Bath only Bath (a Paulton line by id is not found)', async () => {
    const all = await get(`/v1/lines?limit=500`, ['analyst']);
    const ids = (all.body.lines as { lineId: string }[]).map((l) => l.lineId);
    expect(ids).toEqual(expect.arrayContaining([bathLine, paultonLine]));

    const bath = await get(`/v1/lines?limit=500`, ['officer'], ['bath']);
    const seen = bath.body.lines as { lineId: string; areas: string[] }[];
    expect(seen.map((l) => l.lineId)).toContain(bathLine);
    expect(seen.map((l) => l.lineId)).not.toContain(paultonLine);
    expect(seen.every((l) => l.areas.includes('bath'))).toBe(true);

    expect(await get(`/v1/lines/${paultonLine}`, ['officer'], ['bath'])).toMatchObject({ status: 404, body: { code: 'LINE_NOT_FOUND' } });
    expect(await get(`/v1/lines/NO-SUCH-LINE`, ['officer'], ['bath'])).toMatchObject({ status: 404, body: { code: 'LINE_NOT_FOUND' } });
    expect((await get(`/v1/lines/${paultonLine}`, ['officer'], ['paulton'])).status).toBe(200);
    expect((await get(`/v1/lines?limit=500`, ['officer'], [])).body.lines).toEqual([]);
  });

  it('filters by state and area, and pages with after', async () => {
    const active = await get(`/v1/lines?state=active&area=paulton&limit=500`, ['analyst']);
    expect((active.body.lines as { lineId: string; state: string }[]).every((l) => l.state === 'active')).toBe(true);
    expect((active.body.lines as { lineId: string }[]).map((l) => l.lineId)).toContain(paultonLine);
    const first = await get(`/v1/lines?limit=1`, ['analyst']);
    const second = await get(`/v1/lines?limit=1&after=${encodeURIComponent(first.body.next)}`, ['analyst']);
    expect(second.body.lines[0].lineId > first.body.lines[0].lineId).toBe(true);
    expect(await get(`/v1/lines?state=asleep`, ['analyst'])).toMatchObject({ status: 400, body: { code: 'INVALID_QUERY' } });
  });

  it('gives one line with its timeline and the state as at a past date', async () => {
    const { body } = await get(`/v1/lines/${bathLine}?asAt=${encodeURIComponent(ago(20))}`, ['analyst']);
    expect(body.periods.map((p: { state: string }) => p.state)).toEqual(['active', 'dormant', 'active']);
    expect(body.asAt).toMatchObject({ state: 'dormant' });
    expect(body.state).toBe('active');
    const before = await get(`/v1/lines/${bathLine}?asAt=${encodeURIComponent(ago(90))}`, ['analyst']);
    expect(before.body.asAt).toMatchObject({ state: null });
  });

  it('withholds handling-code C details from officers, not from analysts', async () => {
    const officer = await get(`/v1/lines/${bathLine}`, ['officer'], ['bath']);
    const hidden = (officer.body.events as { eventId: string }[]).find((e) => e.eventId === secretEvent.eventId);
    expect(hidden).toMatchObject({ withheld: expect.stringContaining('contact the intelligence unit') });
    expect(JSON.stringify(officer.body)).not.toContain(`IR-HIDDEN-${tag}`);
    expect(hidden).not.toHaveProperty('body');
    expect(hidden).not.toHaveProperty('source');
    const analyst = await get(`/v1/lines/${bathLine}`, ['analyst']);
    expect(JSON.stringify(analyst.body)).toContain(`IR-HIDDEN-${tag}`);
  });

  it('logs every read with who, what and the justification given', async () => {
    const justification = `case ${tag}: briefing for the Bath neighbourhood team`;
    await get(`/v1/lines/${bathLine}`, ['analyst'], [], { 'x-justification': justification });
    const { rows } = await db.query(
      `SELECT actor, action, subject_type, subject_id, justification FROM disclosure_log WHERE subject_id = $1 AND justification = $2`,
      [bathLine, justification],
    );
    expect(rows).toEqual([{ actor: 'analyst-all', action: 'consultation', subject_type: 'line', subject_id: bathLine, justification }]);
    const listed = await db.query(`SELECT count(*)::int AS n FROM disclosure_log WHERE subject_type = 'lines' AND actor = 'officer-bath'`);
    expect(listed.rows[0].n).toBeGreaterThan(0);
  });

  it('lets an admin show who looked at which line and why, and verify the log; nobody else', async () => {
    const justification = `review ${tag}`;
    await get(`/v1/lines/${paultonLine}`, ['officer'], ['paulton'], { 'x-justification': justification });
    const { status, body } = await get(`/v1/audit?subjectType=line&subjectId=${paultonLine}`, ['admin']);
    expect(status).toBe(200);
    expect(body.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: 'officer-paulton',
          action: 'consultation',
          justification,
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
      ]),
    );
    expect((await get('/v1/audit', ['analyst'])).status).toBe(403);
    expect((await get('/v1/audit', ['officer'], ['paulton'])).status).toBe(403);
    expect(await get('/v1/audit/verify', ['admin'])).toMatchObject({ status: 200, body: { intact: true } });
  });

  describe('live stream', () => {
    // Closed whatever happens in a test: an open stream would keep jest from exiting.
    const streams: { close(): void }[] = [];
    let redis: Redis;
    beforeAll(() => {
      redis = new Redis(testRedisConfig().url);
    });
    afterEach(() => streams.splice(0).forEach((stream) => stream.close()));
    afterAll(() => redis?.disconnect());

    interface Sse {
      readonly events: { id: string; event: string; data: Record<string, unknown> }[];
      close(): void;
    }
    /** A server-sent events client over fetch: collects events until closed. */
    async function openStream(roles: Role[], areas: string[], lastEventId?: string): Promise<Sse> {
      const controller = new AbortController();
      const response = await fetch(`${api.url}/v1/stream`, {
        headers: {
          authorization: await bearer(roles, areas, `sse-${areas.join('+') || 'all'}`),
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const events: Sse['events'] = [];
      const reader = response.body!.getReader();
      let buffer = '';
      void (async () => {
        for (;;) {
          const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (done || !value) return;
          buffer += Buffer.from(value).toString('utf8');
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const field = (name: string) =>
              block
                .split('\n')
                .find((l) => l.startsWith(`${name}: `))
                ?.slice(name.length + 2);
            const data = field('data');
            if (data)
              events.push({ id: field('id') ?? '', event: field('event') ?? '', data: JSON.parse(data) as Record<string, unknown> });
          }
        }
      })();
      const stream = { events, close: () => controller.abort() };
      streams.push(stream);
      return stream;
    }
    const produce = (...events: IntelEventInput[]) => publishLikeIngest(producer, topics.intelEvents, events);

    it('streams state changes in the caller scope only, and resumes from Last-Event-ID', async () => {
      const bathOfficer = await openStream(['officer'], ['bath']);
      const analyst = await openStream(['analyst'], []);
      const paulton = `SSEP-${tag}`;
      const bath = `SSEB-${tag}`;
      await produce(aSighting({ lineId: paulton, area: 'paulton', occurredAt: ago(1) }));
      await waitFor(() => analyst.events.find((e) => e.data.lineId === paulton), {
        what: 'the Paulton change on the analyst stream',
        timeoutMs: 60_000,
      });
      await produce(aSighting({ lineId: bath, area: 'bath', occurredAt: ago(1) }));
      const seen = await waitFor(() => bathOfficer.events.find((e) => e.data.lineId === bath), {
        what: 'the Bath change on the Bath officer stream',
        timeoutMs: 60_000,
      });
      expect(seen).toMatchObject({ event: 'state-change', data: { kind: 'new', to: 'active' } });
      // Bath's change came after Paulton's: had the officer been sent Paulton's, it would be here by now.
      expect(bathOfficer.events.some((e) => e.data.lineId === paulton)).toBe(false);

      // The analyst drops off after the Bath change, misses one, and comes back with Last-Event-ID.
      const last = (
        await waitFor(() => analyst.events.find((e) => e.data.lineId === bath), { what: 'the Bath change on the analyst stream' })
      ).id;
      analyst.close();
      bathOfficer.close();
      const missed = `SSEM-${tag}`;
      await produce(aSighting({ lineId: missed, area: 'keynsham', occurredAt: ago(1) }));
      // In the stream before the analyst comes back: only the catch-up can deliver it.
      await waitFor(
        async () =>
          (await redis.xrange(liveStreamKey(topics.intelEvents.replace('intel.events.v1', '')), '-', '+')).some(([, f]) =>
            f.join(' ').includes(missed),
          ) || undefined,
        { what: 'the missed change in the live stream', timeoutMs: 60_000 },
      );
      const back = await openStream(['analyst'], [], last);
      await waitFor(() => back.events.find((e) => e.data.lineId === missed), { what: 'the missed change after resuming' });
      expect(back.events.some((e) => e.data.lineId === bath)).toBe(false);
      back.close();
    });
  });
});
