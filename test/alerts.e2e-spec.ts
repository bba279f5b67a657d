/**
 * Alerts end to end: tracker, alerter and api as real processes, a real SMTP server (smtp-server,
 * mails parsed with mailparser) and a webhook receiver that checks signatures. A reactivation
 * reaches the right team's webhook and mailbox once, is acknowledged through the API and appears
 * in the disclosure log; handling code C is sanitised; silences hold alerts back; an
 * unacknowledged alert escalates; killing the alerter mid-delivery neither loses nor duplicates.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { liveStreamKey, type IntelEventInput, type TopicNames } from '@linewatch/contracts';
import { KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  TEST_WEBHOOK_SECRET,
  aRaid,
  aSighting,
  bearer,
  demoFeedSample,
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
  startMailCapture,
  type MailCapture,
} from '@linewatch/testing';
import { verifyWebhookSignature } from '../apps/alerter/src/webhook.signature';

const logger = createLogger('e2e', 'silent');
const BASE_PORT = 24900;
const SMTP_PORT = BASE_PORT + 25;
const HOOK_PORT = BASE_PORT + 80;
const TEAMS = ['bath-npt', 'keynsham-npt', 'somer-valley-npt', 'chew-valley-npt'];

interface Hook {
  readonly team: string;
  readonly body: Record<string, unknown> & { alertId: string; deliveryId: string; subject: string; text: string; acknowledgeUrl: string };
  readonly signatureValid: boolean;
}

/** Level 1 officers by webhook and e-mail at once; level 2 (sergeant, e-mail) after 0.25 minutes unacknowledged. */
function routingFile(): string {
  const teams = TEAMS.map((id) => ({
    id,
    name: `${id} (test)`,
    levels: [
      {
        level: 1,
        name: 'neighbourhood officers',
        afterMinutes: 0,
        recipients: [
          {
            id: 'officers',
            name: `Officers ${id}`,
            email: `${id}.officers@example.invalid`,
            webhookUrl: `http://127.0.0.1:${HOOK_PORT}/hooks/${id}`,
          },
        ],
      },
      {
        level: 2,
        name: 'sergeant',
        afterMinutes: 0.25,
        recipients: [{ id: 'sergeant', name: `Sergeant ${id}`, email: `${id}.sergeant@example.invalid` }],
      },
    ],
  }));
  const file = join(mkdtempSync(join(tmpdir(), 'linewatch-alerts-')), 'alert-routing.json');
  writeFileSync(file, JSON.stringify({ digestWaitSeconds: 2, teams }));
  return file;
}

describe('alerts', () => {
  let tracker: RunningService;
  let alerter: RunningService;
  let api: RunningService;
  let env: NodeJS.ProcessEnv;
  let db: Pool;
  let topics: TopicNames;
  let producer: KafkaPublisher;
  let smtp: MailCapture | undefined;
  let hooks: Server;
  const mails: ParsedMail[] = [];
  const received: Hook[] = [];
  /** Lines whose webhook deliveries hang (to kill the alerter mid-delivery). */
  const stalled = new Set<string>();

  beforeAll(async () => {
    smtp = await startMailCapture(SMTP_PORT, mails);
    hooks = createServer((request: IncomingMessage, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      request.on('end', () => {
        const body = JSON.parse(raw) as Hook['body'];
        const signatureValid = verifyWebhookSignature(
          TEST_WEBHOOK_SECRET,
          String(request.headers['x-linewatch-signature']),
          raw,
          new Date(),
        );
        received.push({ team: String(request.url).split('/').pop() ?? '', body, signatureValid });
        if ([...stalled].some((line) => body.text.includes(line))) return; // never answered: the sender hangs
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(HOOK_PORT, '127.0.0.1', resolve));

    const isolated = await isolatedTopics('alerts');
    topics = isolated.names;
    env = serviceEnv('timescale', {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      TRACKER_GROUP_ID: `e2e-alerts-tracker-${randomUUID()}`,
      ALERTER_GROUP_ID: `e2e-alerts-${randomUUID()}`,
      TRACKER_RELAY_INTERVAL_MS: '200',
      ALERT_ROUTING_FILE: routingFile(),
      SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      ALERT_LINK_BASE_URL: `http://127.0.0.1:${BASE_PORT}`,
      ALERTER_ESCALATION_INTERVAL_MS: '500',
      ALERTER_DELIVERY_INTERVAL_MS: '300',
      ALERTER_DELIVERY_LEASE_MS: '3000',
      ALERTER_SESSION_TIMEOUT_MS: '6000',
    });
    [tracker, alerter, api] = await Promise.all([
      startService('tracker', env, BASE_PORT + 3),
      startService('alerter', env, BASE_PORT + 2),
      startService('api', env, BASE_PORT),
    ]);
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
    producer = new KafkaPublisher(createKafka(testKafkaConfig('e2e-alerts'), logger));
  });

  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(testRedisConfig().url);
  });

  afterAll(async () => {
    redis?.disconnect();
    const complaints = [tracker, alerter, api].flatMap((s) => (s?.output ?? []).filter((l) => /"level":"(warn|error|fatal)"/.test(l)));
    if (complaints.length > 0) console.log(`service warnings and errors:\n${complaints.slice(-20).join('\n').slice(0, 8000)}`);
    await producer?.disconnect();
    await Promise.all([tracker?.stop(), alerter?.stop(), api?.stop()]);
    await db?.end();
    await smtp?.close();
    hooks?.closeAllConnections();
    await new Promise<void>((resolve) => hooks?.close(() => resolve()));
  });

  /** One message per line the event names (an event naming none: keyed by its area), as ingest does. */
  const produce = (...events: IntelEventInput[]) => publishLikeIngest(producer, topics.intelEvents, events);
  const hooksFor = (lineId: string) => received.filter((h) => h.body.text.includes(lineId));
  const mailsFor = (lineId: string, to?: string) =>
    mails.filter((m) => m.subject?.includes(lineId) && (to === undefined || JSON.stringify(m.to).includes(to)));
  const alertsOf = (lineId: string) =>
    db
      .query('SELECT alert_id, team_id, status, level, severity, kind FROM alerts WHERE line_id = $1 ORDER BY raised_at', [lineId])
      .then((r) => r.rows);
  const officer = (areas: string[]) => bearer(['officer'], areas, `officer-${areas.join('-')}`);
  const post = async (path: string, authorization: string | null, body?: unknown) => {
    const response = await fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (await response.json().catch(() => null)) as any };
  };

  /** Sighted 40 days ago (dormant since 12 days ago), then sighted now: a reactivation. */
  async function reactivate(lineId: string, area: string, handling: 'P' | 'C' = 'P') {
    await produce(aSighting({ lineId, area, occurredAt: daysAgo(40) }));
    await waitFor(async () => (await alertsOf(lineId)).length >= 1 || undefined, {
      what: `the first alert of ${lineId}`,
      timeoutMs: 60_000,
    });
    await produce(
      aSighting({
        lineId,
        area,
        occurredAt: daysAgo(0.01),
        grading: { source: '2', intelligence: 'B', handling },
        source: { system: 'records', reference: `IR-SECRET-${lineId}` },
      }),
    );
    return waitFor(async () => (await alertsOf(lineId)).find((a) => a.kind === 'reactivated'), {
      what: `the reactivation alert of ${lineId}`,
      timeoutMs: 60_000,
    });
  }

  it('delivers a reactivation in Paulton to the Somer Valley team once by webhook and e-mail; acknowledged through the API; in the disclosure log', async () => {
    const lineId = `PAUL-${randomUUID().slice(0, 8)}`;
    // The live stream for the dashboard: appended to the Redis stream after the alert is in the database.
    const alert = await reactivate(lineId, 'paulton');
    await waitFor(
      async () => {
        const entries = await redis.xrange(liveStreamKey(topics.intelEvents.replace('intel.events.v1', '')), '-', '+');
        return (
          entries.some(
            ([, fields]) => fields[fields.indexOf('type') + 1] === 'alert' && fields[fields.indexOf('data') + 1].includes(alert.alert_id),
          ) || undefined
        );
      },
      { what: 'the alert on the live stream' },
    );
    expect(alert).toMatchObject({ team_id: 'somer-valley-npt', severity: 'high', status: expect.stringMatching(/raised|delivered/) });

    const [hook] = await waitFor(
      () =>
        hooksFor(lineId).filter((h) => h.body.alertId === alert.alert_id).length > 0
          ? hooksFor(lineId).filter((h) => h.body.alertId === alert.alert_id)
          : undefined,
      {
        what: 'the webhook',
      },
    );
    expect(hook.team).toBe('somer-valley-npt');
    expect(hook.signatureValid).toBe(true);
    expect(hook.body.subject).toBe(`HIGH: line ${lineId} reactivated in Paulton`);
    expect(hook.body.text).toContain(`IR-SECRET-${lineId}`); // handling P: the source is shown
    expect(hook.body.text).toContain('+447700900123');
    // The first record (sighted 40 days ago: already dormant) was held for the digest, not sent: only the reactivation is.
    const mail = await waitFor(() => mailsFor(lineId, 'somer-valley-npt.officers').find((m) => m.subject?.startsWith('HIGH')), {
      what: 'the e-mail of the reactivation',
    });
    expect(mailsFor(lineId, 'somer-valley-npt.officers')).toHaveLength(1);
    expect(mail.text).toContain('/acknowledge?token=');

    // An officer of another area may not acknowledge it (to them it does not exist); one of Paulton may, once.
    expect(await post(`/v1/alerts/${alert.alert_id}/acknowledge`, await officer(['bath']))).toMatchObject({
      status: 404,
      body: { code: 'ALERT_NOT_FOUND' },
    });
    expect(await post(`/v1/alerts/${alert.alert_id}/acknowledge`, null)).toMatchObject({ status: 401 });
    const ack = await post(`/v1/alerts/${alert.alert_id}/acknowledge`, await officer(['paulton']), { note: 'on it' });
    expect(ack).toMatchObject({ status: 200, body: { status: 'acknowledged', acknowledgedBy: 'officer-paulton' } });
    expect(await post(`/v1/alerts/${alert.alert_id}/acknowledge`, await officer(['paulton']))).toMatchObject({
      status: 409,
      body: { code: 'ALERT_NOT_OPEN' },
    });

    // Both deliveries are recorded once their receivers answered; then the acknowledgement: three entries at least.
    const log = await waitFor(
      async () => {
        const found = await db.query(
          `SELECT actor, action, recipient, channel FROM disclosure_log WHERE subject_type = 'alert' AND subject_id = $1 ORDER BY entry_id`,
          [alert.alert_id],
        );
        return found.rows.length >= 3 ? found : undefined;
      },
      { what: 'the disclosure log entries of the alert' },
    );
    expect(log.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'disclosure',
          channel: 'webhook',
          recipient: expect.stringContaining('hooks/somer-valley-npt'),
        }),
        expect.objectContaining({ action: 'disclosure', channel: 'email' }),
        expect.objectContaining({ action: 'alteration', actor: 'officer-paulton' }),
      ]),
    );
    // Acknowledged in time: it never reaches the sergeant.
    const deliveries = await db.query('SELECT DISTINCT level FROM alert_deliveries WHERE alert_id = $1', [alert.alert_id]);
    expect(deliveries.rows).toEqual([{ level: 1 }]);
    expect(hooksFor(lineId).filter((h) => h.body.alertId === alert.alert_id)).toHaveLength(1);
  });

  it('alerts the teams of the areas the line operated in lately, not of an area it left long ago', async () => {
    const lineId = `MOVED-${randomUUID().slice(0, 8)}`;
    await produce(
      aSighting({ lineId, area: 'keynsham', occurredAt: daysAgo(200) }),
      aSighting({ lineId, area: 'bath', occurredAt: daysAgo(40) }),
    );
    await waitFor(async () => (await alertsOf(lineId)).length >= 1 || undefined, {
      what: `the first alert of ${lineId}`,
      timeoutMs: 60_000,
    });
    await produce(aSighting({ lineId, area: 'bath', occurredAt: daysAgo(0.01) }));
    const reactivation = await waitFor(
      async () => {
        const found = (await alertsOf(lineId)).filter((a) => a.kind === 'reactivated');
        return found.length > 0 ? found : undefined;
      },
      { what: 'the reactivation alerts', timeoutMs: 60_000 },
    );
    // Keynsham saw it 200 days ago (outside the 90 days): only Bath's team is told.
    expect(reactivation.map((a) => a.team_id)).toEqual(['bath-npt']);
  });

  it('sanitises an alert whose cause has handling code C: no source, no numbers, "contact the intelligence unit"', async () => {
    const lineId = `HCC-${randomUUID().slice(0, 8)}`;
    const alert = await reactivate(lineId, 'bath', 'C');
    const hook = await waitFor(() => hooksFor(lineId).find((h) => h.body.alertId === alert.alert_id), { what: 'the sanitised webhook' });
    const mail = await waitFor(() => mailsFor(lineId).find((m) => m.subject?.startsWith('HIGH')), { what: 'the sanitised e-mail' });
    for (const text of [JSON.stringify(hook.body), mail.text ?? '', mail.subject ?? '']) {
      expect(text).not.toContain('IR-SECRET');
      expect(text).not.toContain('7700900123');
      expect(text).not.toContain('records');
    }
    expect(hook.body.text).toContain('contact the intelligence unit');
  });

  it('escalates an unacknowledged alert to the sergeant; acknowledging by the link in the message stops it', async () => {
    const lineId = `ESC-${randomUUID().slice(0, 8)}`;
    const alert = await reactivate(lineId, 'keynsham');
    const sergeant = await waitFor(() => mailsFor(lineId, 'keynsham-npt.sergeant').find((m) => m.subject?.startsWith('HIGH')), {
      what: 'the escalation to the sergeant',
      timeoutMs: 60_000,
    });
    const link = /(http:\/\/\S+\/acknowledge\?token=\S+)/.exec(sergeant.text ?? '')?.[1];
    expect(link).toBeDefined();
    const page = await fetch(link as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    const byLink = await fetch((link as string).replace('/acknowledge?', '/acknowledge-link?'), { method: 'POST' });
    expect(byLink.status).toBe(200);
    expect(await byLink.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'sergeant (acknowledgement link)' });
    expect((await alertsOf(lineId)).find((a) => a.alert_id === alert.alert_id)).toMatchObject({ status: 'acknowledged', level: 2 });
    const forged = await fetch((link as string).replace('/acknowledge?', '/acknowledge-link?').replace(/token=.{6}/, 'token=AAAAAA'), {
      method: 'POST',
    });
    expect(forged.status).toBe(401);
  });

  it('records but does not send alerts for a silenced area; the silence is recorded', async () => {
    const analyst = await bearer(['analyst'], [], 'analyst-1');
    const silence = await post('/v1/silences', analyst, {
      area: 'chew-valley',
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      reason: 'Operation Test: planned warrants',
    });
    expect(silence.status).toBe(201);
    expect(
      await post('/v1/silences', await officer(['chew-valley']), {
        area: 'chew-valley',
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        reason: 'x y z',
      }),
    ).toMatchObject({ status: 403 });
    const lineId = `SIL-${randomUUID().slice(0, 8)}`;
    await produce(aSighting({ lineId, area: 'chew-valley', occurredAt: daysAgo(0.01) }));
    const [alert] = await waitFor(async () => ((await alertsOf(lineId)).length > 0 ? alertsOf(lineId) : undefined), {
      what: 'the silenced alert',
      timeoutMs: 60_000,
    });
    expect(alert.status).toBe('silenced');
    expect((await db.query('SELECT count(*)::int AS n FROM alert_deliveries WHERE alert_id = $1', [alert.alert_id])).rows[0].n).toBe(0);
    const log = await db.query(`SELECT actor FROM disclosure_log WHERE subject_type = 'silence' AND subject_id = $1`, [
      silence.body.silenceId,
    ]);
    expect(log.rows).toEqual([{ actor: 'analyst-1' }]);
    const cancelled = await fetch(`${api.url}/v1/silences/${silence.body.silenceId}`, {
      method: 'DELETE',
      headers: { authorization: analyst },
    });
    expect(cancelled.status).toBe(204);
  });

  it('groups a burst in one team into one digest per recipient: a raid naming three new lines in Radstock', async () => {
    const tag = randomUUID().slice(0, 6);
    const lineIds = [1, 2, 3].map((n) => `DIG${n}-${tag}`);
    await produce(aRaid(lineIds, { area: 'radstock', occurredAt: daysAgo(0.01) }));
    const digest = await waitFor(() => received.find((h) => lineIds.every((id) => h.body.text.includes(id))), {
      what: 'one webhook naming all three lines',
      timeoutMs: 60_000,
    });
    expect(digest.team).toBe('somer-valley-npt');
    expect(digest.body.subject).toBe('DIGEST: 3 line changes for somer-valley-npt (test)');
    expect(digest.signatureValid).toBe(true);
    expect(received.filter((h) => lineIds.some((id) => h.body.text.includes(id)))).toHaveLength(1);
    const mail = await waitFor(() => mails.find((m) => m.subject?.startsWith('DIGEST') && lineIds.every((id) => m.text?.includes(id))), {
      what: 'one digest e-mail',
    });
    expect((mail.text?.match(/acknowledge\?token=/g) ?? []).length).toBe(3);
    const alerts = await db.query(`SELECT alert_id FROM alerts WHERE line_id = ANY($1::text[])`, [lineIds]);
    expect(alerts.rows).toHaveLength(3);
    const log = await db.query(
      `SELECT count(*)::int AS n FROM disclosure_log WHERE subject_type = 'alert' AND subject_id = ANY($1::text[]) AND details->>'digest' IS NOT NULL`,
      [alerts.rows.map((r) => r.alert_id)],
    );
    expect(log.rows[0].n).toBe(6); // three alerts, each disclosed by webhook and by e-mail
  });

  it('neither loses nor duplicates an alert when the alerter is killed mid-delivery', async () => {
    const lineId = `KILL-${randomUUID().slice(0, 8)}`;
    stalled.add(lineId);
    await produce(aSighting({ lineId, area: 'bath', occurredAt: daysAgo(0.01) }));
    // The webhook request is in flight and never answered: kill the alerter now.
    const first = await waitFor(() => hooksFor(lineId)[0], { what: 'the webhook in flight', timeoutMs: 60_000 });
    alerter.process.kill('SIGKILL');
    await alerter.stop();
    stalled.delete(lineId);
    alerter = await startService('alerter', env, BASE_PORT + 2);
    // Tried again once the claim expired: the same delivery (a receiver drops the second copy by its id).
    await waitFor(() => (hooksFor(lineId).length >= 2 ? true : undefined), {
      what: 'the delivery retried after the restart',
      timeoutMs: 60_000,
    });
    const copies = hooksFor(lineId);
    expect(new Set(copies.map((c) => c.body.deliveryId))).toEqual(new Set([first.body.deliveryId]));
    const alerts = await alertsOf(lineId);
    expect(alerts).toHaveLength(1);
    await waitFor(
      async () =>
        (await db.query(`SELECT status FROM alert_deliveries WHERE alert_id = $1 AND channel = 'webhook'`, [alerts[0].alert_id])).rows[0]
          ?.status === 'sent'
          ? true
          : undefined,
      {
        what: 'the webhook delivery recorded as sent',
      },
    );
    const attempts = await db.query(
      `SELECT a.outcome FROM alert_delivery_attempts a JOIN alert_deliveries d USING (delivery_id) WHERE d.alert_id = $1 AND d.channel = 'webhook'`,
      [alerts[0].alert_id],
    );
    expect(attempts.rows).toEqual([{ outcome: 'sent' }]);
  });
  it('delivers each reactivation of the demo feed to its team once (webhook and mailbox), whatever else is delivered', async () => {
    const tag = randomUUID().slice(0, 6).toUpperCase();
    const feed = demoFeedSample(`A${tag}`);
    // What was known 60 days ago first, the rest afterwards: lines gone dormant meanwhile are reactivated by the news.
    const cut = Date.now() - 60 * DAY_MS;
    const before = feed.filter((e) => Date.parse(e.occurredAt as string) < cut);
    const after = feed.filter((e) => Date.parse(e.occurredAt as string) >= cut);
    const stored = async (events: IntelEventInput[]) =>
      (await db.query('SELECT count(*)::int AS n FROM intel_events WHERE event_id = ANY($1::uuid[])', [events.map((e) => e.eventId)]))
        .rows[0].n === events.length || undefined;
    await produce(...before);
    await waitFor(() => stored(before), { what: 'the first part of the demo feed stored', timeoutMs: 60_000 });
    await produce(...after);
    await waitFor(() => stored(after), { what: 'the rest of the demo feed stored', timeoutMs: 60_000 });
    const reactivations = await waitFor(
      async () => {
        const { rows } = await db.query(
          `SELECT alert_id, team_id, line_id FROM alerts WHERE line_id LIKE $1 AND kind IN ('reactivated', 'resurfaced')`,
          [`A${tag}-%`],
        );
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'a reactivation or resurfacing in the demo feed', timeoutMs: 60_000 },
    );
    for (const alert of reactivations) {
      // contentVersion 2: one alert or companions, each alert in `alerts`.
      const carrying = (h: Hook) => (h.body.alerts as { alertId: string }[]).some((a) => a.alertId === alert.alert_id);
      const hook = await waitFor(() => received.find(carrying), { what: `the webhook for ${alert.line_id}` });
      expect(hook.team).toBe(alert.team_id);
      expect(received.filter(carrying)).toHaveLength(1);
      const mail = await waitFor(
        () =>
          mails.find(
            (m) =>
              (m.headers.get('x-linewatch-alert') as string | undefined) !== undefined &&
              m.text?.includes(alert.line_id) &&
              JSON.stringify(m.to).includes(`${alert.team_id}.officers`),
          ),
        {
          what: `the e-mail for ${alert.line_id}`,
        },
      );
      expect(mail).toBeDefined();
      // Recorded once the receivers answered: both channels in the disclosure log.
      await waitFor(
        async () =>
          (
            await db.query(`SELECT count(*)::int AS n FROM disclosure_log WHERE subject_id = $1 AND action = 'disclosure'`, [
              alert.alert_id,
            ])
          ).rows[0].n >= 2 || undefined,
        { what: `the disclosures of ${alert.line_id}` },
      );
    }
  });
});
