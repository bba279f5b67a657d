/**
 * The intelligence API over the running stack (tracker, alerter and api; real broker, database
 * and a webhook receiver): lines in the caller's scope with filters and pages, one line with its
 * timeline, events and the state as at a past date; officers see only their areas' lines and
 * alerts (not found otherwise) and no handling-code C details; the alert inbox and
 * acknowledgement; areas and teams; MoPI review dates; analysts' assessments becoming events the
 * tracker applies; every read logged with its justification. (Every role × route: authorisation.)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { alertListV1, liveItemV1, liveStreamKey, type IntelEventInput, type Role, type TopicNames } from '@linewatch/contracts';
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
  DAY_MS,
  daysAgo,
} from '@linewatch/testing';

const logger = createLogger('e2e', 'silent');
const BASE_PORT = 25100;
const HOOK_PORT = BASE_PORT + 80;

/** Every team gets its alerts by webhook to the test's receiver. */
function routingFile(): string {
  const teams = ['bath-npt', 'keynsham-npt', 'somer-valley-npt', 'chew-valley-npt'].map((id) => ({
    id,
    name: `${id} (test)`,
    levels: [
      {
        level: 1,
        name: 'neighbourhood officers',
        afterMinutes: 0,
        recipients: [{ id: 'officers', name: `Officers ${id}`, webhookUrl: `http://127.0.0.1:${HOOK_PORT}/hooks/${id}` }],
      },
    ],
  }));
  const file = join(mkdtempSync(join(tmpdir(), 'linewatch-api-')), 'alert-routing.json');
  writeFileSync(file, JSON.stringify({ digestWaitSeconds: 1, teams }));
  return file;
}

describe('intelligence API', () => {
  let tracker: RunningService;
  let alerter: RunningService;
  let api: RunningService;
  let hooks: Server;
  let env: NodeJS.ProcessEnv;
  let db: Pool;
  let topics: TopicNames;
  let producer: KafkaPublisher;
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const bathLine = `APIB-${tag}`;
  const paultonLine = `APIP-${tag}`;
  const secretEvent = aSighting({
    lineId: bathLine,
    area: 'bath',
    occurredAt: daysAgo(5),
    grading: { source: '1', intelligence: 'B', handling: 'C' },
    source: { system: 'records', reference: `IR-HIDDEN-${tag}` },
  });

  beforeAll(async () => {
    const isolated = await isolatedTopics('api');
    topics = isolated.names;
    hooks = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(204).end());
    });
    await new Promise<void>((resolve) => hooks.listen(HOOK_PORT, '127.0.0.1', resolve));
    env = serviceEnv('timescale', {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      TRACKER_GROUP_ID: `e2e-api-${randomUUID()}`,
      ALERTER_GROUP_ID: `e2e-api-alerter-${randomUUID()}`,
      TRACKER_RELAY_INTERVAL_MS: '200',
      ALERT_ROUTING_FILE: routingFile(),
    });
    [tracker, alerter, api] = await Promise.all([
      startService('tracker', env, BASE_PORT + 3),
      startService('alerter', env, BASE_PORT + 2),
      startService('api', env, BASE_PORT),
    ]);
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
    producer = new KafkaPublisher(createKafka(testKafkaConfig('e2e-api'), logger));
    const events: IntelEventInput[] = [
      aSighting({ lineId: bathLine, area: 'bath', occurredAt: daysAgo(60) }), // active 60 days ago, dormant from 32 days ago
      secretEvent, // active again 5 days ago
      aSighting({ lineId: paultonLine, area: 'paulton', occurredAt: daysAgo(3) }),
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
    await Promise.all([tracker?.stop(), alerter?.stop(), api?.stop()]);
    await db?.end();
    hooks?.closeAllConnections();
    await new Promise<void>((resolve) => hooks?.close(() => resolve()));
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
  const post = async (path: string, roles: Role[], areas: string[], body: unknown) => {
    const response = await fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: await bearer(roles, areas, `${roles.join('+')}-${areas.join('+') || 'all'}`),
      },
      body: JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (await response.json().catch(() => null)) as any };
  };
  const alertsOf = (lineId: string) =>
    waitFor(
      async () => {
        const { rows } = await db.query('SELECT alert_id, status FROM alerts WHERE line_id = $1 ORDER BY raised_at', [lineId]);
        return rows.length > 0 ? (rows as { alert_id: string; status: string }[]) : undefined;
      },
      { what: `an alert for ${lineId}`, timeoutMs: 60_000 },
    );

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
    const { body } = await get(`/v1/lines/${bathLine}?asAt=${encodeURIComponent(daysAgo(20))}`, ['analyst']);
    expect(body.periods.map((p: { state: string }) => p.state)).toEqual(['active', 'dormant', 'active']);
    expect(body.asAt).toMatchObject({ state: 'dormant' });
    expect(body.state).toBe('active');
    const before = await get(`/v1/lines/${bathLine}?asAt=${encodeURIComponent(daysAgo(90))}`, ['analyst']);
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

  it('tells callers who they are, which areas there are and which team covers each', async () => {
    expect(await get('/v1/me', ['officer'], ['bath'])).toMatchObject({
      status: 200,
      body: { subject: 'officer-bath', roles: ['officer'], areas: ['bath'] },
    });
    const { body } = await get('/v1/areas', ['partner']);
    expect(body.areas).toEqual(
      expect.arrayContaining([{ code: 'paulton', name: 'Paulton', team: { teamId: 'somer-valley-npt', name: 'somer-valley-npt (test)' } }]),
    );
    const officer = await get('/v1/teams', ['officer'], ['bath']);
    const bathTeam = (officer.body.teams as { teamId: string; areas: string[]; levels: { recipients: unknown }[] }[]).find(
      (t) => t.teamId === 'bath-npt',
    );
    expect(bathTeam).toMatchObject({ areas: ['bath'], levels: [{ recipients: 1 }] }); // how many, not who
    const admin = await get('/v1/teams', ['admin']);
    expect(JSON.stringify(admin.body)).toContain(`http://127.0.0.1:${HOOK_PORT}/hooks/bath-npt`);
  });

  describe('alerts', () => {
    it('lists alerts in the caller scope: an officer of Bath never sees, reads or acknowledges a Paulton alert', async () => {
      const [paultonAlert] = await alertsOf(paultonLine);
      const [bathAlert] = await alertsOf(bathLine);
      const analyst = await get(`/v1/alerts?limit=500`, ['analyst']);
      expect((analyst.body.alerts as { alertId: string }[]).map((a) => a.alertId)).toEqual(
        expect.arrayContaining([paultonAlert.alert_id, bathAlert.alert_id]),
      );
      // Every alert is the one contract (alert-view.v1); its change typed at the top level, late a boolean.
      const list = alertListV1.parse(analyst.body);
      expect(list.alerts.find((a) => a.alertId === paultonAlert.alert_id)).toMatchObject({
        lineId: paultonLine,
        kind: 'new',
        change: { from: null, to: 'active', late: false, at: expect.any(String) },
      });
      const bath = await get(`/v1/alerts?limit=500`, ['officer'], ['bath']);
      const seen = bath.body.alerts as { alertId: string; areas: string[] }[];
      expect(seen.map((a) => a.alertId)).toContain(bathAlert.alert_id);
      expect(seen.map((a) => a.alertId)).not.toContain(paultonAlert.alert_id);
      expect(seen.every((a) => a.areas.includes('bath'))).toBe(true);

      expect(await get(`/v1/alerts/${paultonAlert.alert_id}`, ['officer'], ['bath'])).toMatchObject({
        status: 404,
        body: { code: 'ALERT_NOT_FOUND' },
      });
      expect(await post(`/v1/alerts/${paultonAlert.alert_id}/acknowledge`, ['officer'], ['bath'], {})).toMatchObject({
        status: 404,
        body: { code: 'ALERT_NOT_FOUND' },
      });
      expect(await get(`/v1/alerts?lineId=${paultonLine}`, ['officer'], ['bath'])).toMatchObject({ status: 200, body: { alerts: [] } });
      expect((await get(`/v1/alerts/${paultonAlert.alert_id}`, ['officer'], ['paulton'])).body).toMatchObject({
        alertId: paultonAlert.alert_id,
        lineId: paultonLine,
        teamId: 'somer-valley-npt',
      });
      // The probe is in the log too.
      const probe = await db.query(
        `SELECT details FROM disclosure_log WHERE actor = 'officer-bath' AND subject_type = 'alert' AND subject_id = $1`,
        [paultonAlert.alert_id],
      );
      expect(probe.rows).toEqual([{ details: expect.objectContaining({ found: false }) }]);
    });

    it('acknowledges from the inbox: open alerts filter, then acknowledged by whom; pages with after', async () => {
      const [alert] = await alertsOf(bathLine);
      const open = await get(`/v1/alerts?status=open&lineId=${bathLine}`, ['officer'], ['bath']);
      expect((open.body.alerts as { alertId: string }[]).map((a) => a.alertId)).toContain(alert.alert_id);
      const ack = await post(`/v1/alerts/${alert.alert_id}/acknowledge`, ['officer'], ['bath'], { note: 'seen at briefing' });
      expect(ack).toMatchObject({ status: 200, body: { status: 'acknowledged', acknowledgedBy: 'officer-bath' } });
      const after = await get(`/v1/alerts?status=open&lineId=${bathLine}`, ['officer'], ['bath']);
      expect((after.body.alerts as { alertId: string }[]).map((a) => a.alertId)).not.toContain(alert.alert_id);
      expect(await get(`/v1/alerts?status=acknowledged&lineId=${bathLine}`, ['officer'], ['bath'])).toMatchObject({
        body: { alerts: [expect.objectContaining({ alertId: alert.alert_id, acknowledgedBy: 'officer-bath' })] },
      });
      const first = await get(`/v1/alerts?limit=1`, ['analyst']);
      const second = await get(`/v1/alerts?limit=1&after=${first.body.next}`, ['analyst']);
      expect(second.body.alerts[0].alertId).not.toBe(first.body.alerts[0].alertId);
      expect(new Date(second.body.alerts[0].raisedAt) <= new Date(first.body.alerts[0].raisedAt)).toBe(true);
      expect(await get(`/v1/alerts?after=garbage`, ['analyst'])).toMatchObject({ status: 400 });
    });
  });

  describe('review dates (MoPI)', () => {
    const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

    /** Every line due by `by` (all pages: the test database holds other suites' lines too). */
    const allDue = async (by?: string) => {
      const lines: { lineId: string; reviewDueAt: string }[] = [];
      let after: string | null = null;
      do {
        const query = new URLSearchParams({ limit: '500', ...(by ? { by } : {}), ...(after ? { after } : {}) });
        const page = await get(`/v1/reviews/due?${query}`, ['analyst']);
        lines.push(...page.body.lines);
        after = page.body.next;
      } while (after);
      return lines;
    };

    it('lists lines due for review and records a review that moves the date', async () => {
      const ids = (await allDue(inDays(400))).map((l) => l.lineId);
      expect(ids).toEqual(expect.arrayContaining([bathLine, paultonLine])); // first record + 365 days
      expect((await allDue()).map((l) => l.lineId)).not.toContain(paultonLine);

      const next = inDays(30);
      const review = await post(`/v1/lines/${paultonLine}/reviews`, ['analyst'], [], {
        decision: 'retain',
        rationale: 'still active: intelligence relevant to current operation',
        nextReviewAt: next,
      });
      expect(review).toMatchObject({ status: 201, body: { decision: 'retain', reviewedBy: 'analyst-all' } });
      expect((await get(`/v1/lines/${paultonLine}`, ['analyst'])).body).toMatchObject({
        reviewDueAt: next,
        reviews: [expect.objectContaining({ decision: 'retain', reviewedBy: 'analyst-all' })],
      });
      const soon = await allDue(inDays(31));
      expect(soon).toEqual(expect.arrayContaining([expect.objectContaining({ lineId: paultonLine, reviewDueAt: next })]));
      const log = await db.query(
        `SELECT action FROM disclosure_log WHERE subject_type = 'line' AND subject_id = $1 AND action = 'alteration'`,
        [paultonLine],
      );
      expect(log.rows.length).toBeGreaterThan(0);

      expect(await post(`/v1/lines/${paultonLine}/reviews`, ['analyst'], [], { decision: 'retain', rationale: 'x' })).toMatchObject({
        status: 400,
        body: { code: 'INVALID_REVIEW' },
      });
      expect(
        await post(`/v1/lines/${paultonLine}/reviews`, ['analyst'], [], {
          decision: 'retain',
          rationale: 'past date',
          nextReviewAt: daysAgo(1),
        }),
      ).toMatchObject({ status: 400, body: { code: 'INVALID_REVIEW' } });
      expect(
        await post(`/v1/lines/NO-SUCH-LINE/reviews`, ['analyst'], [], { decision: 'retain', rationale: 'nothing here' }),
      ).toMatchObject({
        status: 404,
      });
    });
  });

  describe('assessments', () => {
    it('turns a Type 1 closure into a line.assessed event the tracker applies: the line is closed', async () => {
      const lineId = `ASSESS-${tag}`;
      await publishLikeIngest(producer, topics.intelEvents, [aSighting({ lineId, area: 'keynsham', occurredAt: daysAgo(2) })]);
      await waitFor(async () => (await get(`/v1/lines/${lineId}`, ['analyst'])).body?.state === 'active' || undefined, {
        what: `${lineId} active`,
        timeoutMs: 60_000,
      });
      const answer = await post(`/v1/lines/${lineId}/assessments`, ['analyst'], [], {
        decision: 'closure_type_1',
        rationale: 'line holder charged; number checked out of use',
        occurredAt: daysAgo(1),
      });
      expect(answer).toMatchObject({ status: 202, body: { status: 'accepted', eventId: expect.any(String) } });
      const closed = await waitFor(
        async () => {
          const line = (await get(`/v1/lines/${lineId}`, ['analyst'])).body;
          return line?.state === 'closed' ? line : undefined;
        },
        { what: `${lineId} closed`, timeoutMs: 60_000 },
      );
      expect(closed.periods.at(-1)).toMatchObject({ state: 'closed', closureType: 1, cause: { eventId: answer.body.eventId } });
      expect(closed.events[0]).toMatchObject({
        eventId: answer.body.eventId,
        type: 'line.assessed',
        area: 'keynsham',
        source: { system: 'linewatch-api', reference: 'assessment by analyst-all' },
      });
      const log = await db.query(`SELECT actor, justification FROM disclosure_log WHERE action = 'collection' AND subject_id = $1`, [
        lineId,
      ]);
      expect(log.rows).toEqual([{ actor: 'analyst-all', justification: expect.stringContaining('closure_type_1') }]);
    });

    it('refuses an incomplete assessment or one for an unknown line, naming the problem', async () => {
      expect(
        await post(`/v1/lines/${bathLine}/assessments`, ['analyst'], [], { decision: 'dormancy_override', rationale: 'seasonal line' }),
      ).toMatchObject({
        status: 400,
        body: { code: 'INVALID_ASSESSMENT', errors: [expect.objectContaining({ path: 'body.dormancyWindowDays' })] },
      });
      expect(
        await post(`/v1/lines/${bathLine}/assessments`, ['analyst'], [], {
          decision: 'closure_type_2',
          rationale: 'x',
          occurredAt: 'yesterday',
        }),
      ).toMatchObject({ status: 400, body: { code: 'INVALID_ASSESSMENT' } });
      expect(
        await post(`/v1/lines/NO-SUCH-LINE/assessments`, ['analyst'], [], { decision: 'reopen', rationale: 'new intel' }),
      ).toMatchObject({
        status: 404,
        body: { code: 'LINE_NOT_FOUND' },
      });
    });
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
    async function openStream(roles: Role[], areas: string[], lastEventId?: string, baseUrl = api.url): Promise<Sse> {
      const controller = new AbortController();
      const response = await fetch(`${baseUrl}/v1/stream`, {
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
      await produce(aSighting({ lineId: paulton, area: 'paulton', occurredAt: daysAgo(1) }));
      await waitFor(() => analyst.events.find((e) => e.data.lineId === paulton), {
        what: 'the Paulton change on the analyst stream',
        timeoutMs: 60_000,
      });
      await produce(aSighting({ lineId: bath, area: 'bath', occurredAt: daysAgo(1) }));
      // The line's alert (the alerter's, on the same stream) may come before or after its change: the relay
      // announces a change once Kafka has it, and the alerter may raise from Kafka first.
      const seen = await waitFor(() => bathOfficer.events.find((e) => e.event === 'state-change' && e.data.lineId === bath), {
        what: 'the Bath change on the Bath officer stream',
        timeoutMs: 60_000,
      });
      expect(seen).toMatchObject({ event: 'state-change', data: { kind: 'new', to: 'active' } });
      // Both item types are their contracts (live-item.v1): the change as published, the alert's whole view.
      const alertItem = await waitFor(() => bathOfficer.events.find((e) => e.event === 'alert' && e.data.lineId === bath), {
        what: 'the Bath alert on the Bath officer stream',
        timeoutMs: 60_000,
      });
      expect(liveItemV1.parse({ type: seen.event, data: seen.data })).toMatchObject({ type: 'state-change' });
      expect(liveItemV1.parse({ type: alertItem.event, data: alertItem.data })).toMatchObject({
        type: 'alert',
        data: { lineId: bath, status: 'raised', change: { from: null, to: 'active', late: false } },
      });
      // Bath's change came after Paulton's: had the officer been sent Paulton's, it would be here by now.
      expect(bathOfficer.events.some((e) => e.data.lineId === paulton)).toBe(false);

      // The analyst drops off after the Bath change, misses one, and comes back with Last-Event-ID.
      const last = (
        await waitFor(() => analyst.events.find((e) => e.event === 'state-change' && e.data.lineId === bath), {
          what: 'the Bath change on the analyst stream',
        })
      ).id;
      analyst.close();
      bathOfficer.close();
      const missed = `SSEM-${tag}`;
      await produce(aSighting({ lineId: missed, area: 'keynsham', occurredAt: daysAgo(1) }));
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
      // Nothing from before the id it resumed from comes again (the Bath line's alert, raised later, may).
      expect(back.events.some((e) => e.event === 'state-change' && e.data.lineId === bath)).toBe(false);
      back.close();
    });

    it('delivers each change to the clients of every api replica (Redis fan-out)', async () => {
      const replica = await startService('api', env, BASE_PORT + 10);
      try {
        const [one, two] = await Promise.all([
          openStream(['analyst'], []),
          openStream(['officer'], ['midsomer-norton'], undefined, replica.url),
        ]);
        const lineId = `SSER-${tag}`;
        await produce(aSighting({ lineId, area: 'midsomer-norton', occurredAt: daysAgo(1) }));
        for (const [client, which] of [
          [one, 'the first replica'],
          [two, 'the second replica'],
        ] as const) {
          const seen = await waitFor(() => client.events.find((e) => e.event === 'state-change' && e.data.lineId === lineId), {
            what: `the change on ${which}`,
            timeoutMs: 60_000,
          });
          expect(seen.data).toMatchObject({ kind: 'new', to: 'active' });
        }
      } finally {
        await replica.stop();
      }
    });
  });
});
