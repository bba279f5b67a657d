/**
 * Alert noise end to end (issue 18; docs/alerts.md "Alert noise", "Webhook bodies"): ingest,
 * tracker, alerter and api as real processes, a real SMTP server and a webhook receiver that
 * checks signatures. A history import (`linewatch replay --history`) is tracked and its state
 * changes published with `pushed: false`, held for the digest, sent to nobody; a later normal
 * event that changes the current state alerts as usual; a first record already dormant or closed
 * is held; several alerts sent together are one `companions` body that validates against its
 * published JSON Schema; a history flag without the ingest role is refused.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import Redis from 'ioredis';
import type { ParsedMail } from 'mailparser';
import { Pool } from 'pg';
import { WEBHOOK_BODY_SCHEMA_FILE, liveStreamKey, type IntelEventInput, type StateChangeV1 } from '@linewatch/contracts';
import {
  TEST_WEBHOOK_SECRET,
  aRaid,
  aSighting,
  bearer,
  daysAgo,
  isolatedTopics,
  runCli,
  serviceEnv,
  startService,
  testDatabaseConfig,
  testRedisConfig,
  waitFor,
  type RunningService,
  startMailCapture,
  type MailCapture,
} from '@linewatch/testing';
import { verifyWebhookSignature } from '../apps/alerter/src/webhook.signature';

const BASE_PORT = 29920;
const SMTP_PORT = BASE_PORT + 25;
const HOOK_PORT = BASE_PORT + 80;
const TEAMS = ['bath-npt', 'keynsham-npt', 'somer-valley-npt', 'chew-valley-npt'];
const SCHEMAS = join(__dirname, '..', 'libs', 'contracts', 'schemas');

interface Hook {
  readonly team: string;
  readonly raw: string;
  readonly body: Record<string, unknown> & { type: string; text: string; alerts: { alertId: string; severity: string }[] };
  readonly signatureValid: boolean;
}

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
    ],
  }));
  const file = join(mkdtempSync(join(tmpdir(), 'linewatch-noise-')), 'alert-routing.json');
  writeFileSync(file, JSON.stringify({ digestWaitSeconds: 2, teams }));
  return file;
}

describe('alert noise', () => {
  let services: RunningService[] = [];
  let ingest: RunningService;
  let api: RunningService;
  let env: NodeJS.ProcessEnv;
  let db: Pool;
  let redis: Redis;
  let prefix: string;
  let smtp: MailCapture | undefined;
  let hooks: Server;
  let work: string;
  const mails: ParsedMail[] = [];
  const received: Hook[] = [];

  beforeAll(async () => {
    smtp = await startMailCapture(SMTP_PORT, mails);
    hooks = createServer((request: IncomingMessage, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      request.on('end', () => {
        const signatureValid = verifyWebhookSignature(
          TEST_WEBHOOK_SECRET,
          String(request.headers['x-linewatch-signature']),
          raw,
          new Date(),
        );
        received.push({ team: String(request.url).split('/').pop() ?? '', raw, body: JSON.parse(raw) as Hook['body'], signatureValid });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(HOOK_PORT, '127.0.0.1', resolve));

    const isolated = await isolatedTopics('noise');
    prefix = isolated.prefix;
    env = serviceEnv('timescale', {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      TRACKER_GROUP_ID: `e2e-noise-tracker-${randomUUID()}`,
      ALERTER_GROUP_ID: `e2e-noise-${randomUUID()}`,
      TRACKER_RELAY_INTERVAL_MS: '200',
      ALERT_ROUTING_FILE: routingFile(),
      SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      ALERT_LINK_BASE_URL: `http://127.0.0.1:${BASE_PORT}`,
      ALERTER_DELIVERY_INTERVAL_MS: '300',
    });
    services = await Promise.all([
      startService('tracker', env, BASE_PORT + 3),
      startService('alerter', env, BASE_PORT + 2),
      startService('ingest', env, BASE_PORT + 1),
      startService('api', env, BASE_PORT),
    ]);
    [, , ingest, api] = services;
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
    redis = new Redis(testRedisConfig().url);
    work = mkdtempSync(join(tmpdir(), 'linewatch-noise-files-'));
  });

  afterAll(async () => {
    redis?.disconnect();
    const complaints = services.flatMap((s) => s.output.filter((l) => /"level":"(warn|error|fatal)"/.test(l)));
    if (complaints.length > 0) console.log(`service warnings and errors:\n${complaints.slice(-20).join('\n').slice(0, 8000)}`);
    await Promise.all(services.map((s) => s.stop()));
    await db?.end();
    await smtp?.close();
    hooks?.closeAllConnections();
    await new Promise<void>((resolve) => hooks?.close(() => resolve()));
  });

  const post = async (events: readonly IntelEventInput[], query = '', authorization?: string) => {
    const response = await fetch(`${ingest.url}/v1/events${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: authorization ?? (await bearer(['ingest'], [], 'records-system')) },
      body: JSON.stringify(events),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (await response.json()) as any };
  };
  /** The state changes the tracker wrote for a line (its outbox: what it relays to lines.state-changes.v1). */
  const changesOf = async (lineId: string): Promise<StateChangeV1[]> =>
    (await db.query('SELECT payload FROM line_state_changes_outbox WHERE line_id = $1 ORDER BY seq', [lineId])).rows.map((r) => r.payload);
  const alertsOf = async (lineId: string) =>
    (
      await db.query('SELECT alert_id, team_id, status, kind, next_escalation_at FROM alerts WHERE line_id = $1 ORDER BY raised_at', [
        lineId,
      ])
    ).rows;
  const deliveriesOf = async (lineId: string) =>
    (await db.query('SELECT d.channel FROM alert_deliveries d JOIN alerts a USING (alert_id) WHERE a.line_id = $1', [lineId])).rows;
  const hooksFor = (lineId: string) => received.filter((h) => h.raw.includes(lineId));
  const mailsFor = (lineId: string) => mails.filter((m) => `${m.subject ?? ''}\n${m.text ?? ''}`.includes(lineId));
  const heldAlertOf = (lineId: string) =>
    waitFor(async () => (await alertsOf(lineId)).find((a) => a.status === 'held'), {
      what: `the held alert of ${lineId}`,
      timeoutMs: 60_000,
    });

  it('a history import (linewatch replay --history): changes published with pushed false, held, sent to nobody; a later normal event alerts', async () => {
    const tag = randomUUID().slice(0, 6).toUpperCase();
    const recent = `HIST-NEW-${tag}`; // sighted 3 days ago: new and active, which would be pushed without the flag
    const old = `HIST-OLD-${tag}`; // sighted 60 days ago: dormant
    const file = join(work, `history-${tag}.ndjson`);
    const events = [
      aSighting({ lineId: recent, area: 'bath', occurredAt: daysAgo(3) }),
      aSighting({ lineId: old, area: 'bath', occurredAt: daysAgo(60) }),
    ];
    writeFileSync(file, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const replayed = await runCli(['replay', file, '--history', '--url', ingest.url], env);
    expect(replayed.stdout).toContain('replay: 2 accepted, 0 duplicate, 0 rejected');

    for (const [lineId, to] of [
      [recent, 'active'],
      [old, 'dormant'],
    ] as const) {
      const [change] = await waitFor(async () => ((await changesOf(lineId)).length > 0 ? changesOf(lineId) : undefined), {
        what: `the state change of ${lineId}`,
        timeoutMs: 60_000,
      });
      expect(change).toMatchObject({ lineId, from: null, to, pushed: false, heldReason: 'history' });
      const held = await heldAlertOf(lineId);
      expect(held).toMatchObject({ team_id: 'bath-npt', next_escalation_at: null });
      expect(await deliveriesOf(lineId)).toEqual([]);
    }
    // Tracked as any event: the line's state and timeline, and the change on the live stream (the dashboard's).
    const line = await db.query('SELECT state FROM lines WHERE line_id = $1', [recent]);
    expect(line.rows).toEqual([{ state: 'active' }]);
    await waitFor(
      async () =>
        (await redis.xrange(liveStreamKey(prefix), '-', '+')).some(
          ([, fields]) => fields[fields.indexOf('type') + 1] === 'state-change' && fields[fields.indexOf('data') + 1].includes(recent),
        ) || undefined,
      { what: 'the history change on the live stream' },
    );
    // Not open in an officer's inbox; listed under status=held.
    const officer = await bearer(['officer'], ['bath'], 'officer-bath');
    const inbox = async (status: string) =>
      (
        (await fetch(`${api.url}/v1/alerts?status=${status}&lineId=${old}`, { headers: { authorization: officer } }).then((r) =>
          r.json(),
        )) as { alerts: { status: string; change: { heldReason?: string } }[] }
      ).alerts;
    expect(await inbox('open')).toEqual([]);
    expect((await inbox('held')).map((a) => [a.status, a.change.heldReason])).toEqual([['held', 'history']]);

    // A normal event that changes the old line's current state (dormant → active): alerted as usual.
    await post([aSighting({ lineId: old, area: 'bath', occurredAt: daysAgo(0.01) })]);
    const hook = await waitFor(() => hooksFor(old)[0], { what: `the reactivation webhook of ${old}`, timeoutMs: 60_000 });
    expect(hook.body).toMatchObject({ type: 'alert', contentVersion: 2, severity: 'high' });
    expect(hook.signatureValid).toBe(true);
    await waitFor(() => mailsFor(old)[0], { what: `the reactivation e-mail of ${old}` });
    const changes = await changesOf(old);
    expect(changes.at(-1)).toMatchObject({ kind: 'reactivated', pushed: true });
    expect(changes.at(-1)).not.toHaveProperty('heldReason');
    // The history changes were never sent: one webhook and one e-mail in all, for the reactivation; none for the new line.
    expect(hooksFor(old)).toHaveLength(1);
    expect(mailsFor(old)).toHaveLength(1);
    expect(hooksFor(recent)).toEqual([]);
    expect(mailsFor(recent)).toEqual([]);
    // The collection is logged as a history import.
    const log = await db.query(`SELECT justification FROM disclosure_log WHERE action = 'collection' AND details->'eventIds' ? $1`, [
      events[0].eventId,
    ]);
    expect(log.rows).toEqual([{ justification: 'history import from test-records' }]);
  });

  it('a first record already dormant or closed (all its evidence old) is held, not pushed; a new line seen today is pushed', async () => {
    const tag = randomUUID().slice(0, 6).toUpperCase();
    const dormant = `FIRST-DORM-${tag}`;
    const closed = `FIRST-CLOSED-${tag}`;
    const fresh = `FIRST-FRESH-${tag}`;
    await post([aSighting({ lineId: dormant, area: 'keynsham', occurredAt: daysAgo(60) })]);
    // Its only record: a Type 2 closure decided 50 days ago.
    await post([
      aSighting({
        lineId: closed,
        area: 'keynsham',
        type: 'line.assessed',
        occurredAt: daysAgo(50),
        body: { decision: 'closure_type_2', rationale: 'number reallocated (test)' },
      }),
    ]);
    const [dormantChange] = await waitFor(async () => ((await changesOf(dormant)).length > 0 ? changesOf(dormant) : undefined), {
      what: 'the first record of the dormant line',
      timeoutMs: 60_000,
    });
    expect(dormantChange).toMatchObject({ from: null, to: 'dormant', pushed: false, heldReason: 'first_record_dormant' });
    const [closedChange] = await waitFor(async () => ((await changesOf(closed)).length > 0 ? changesOf(closed) : undefined), {
      what: 'the first record of the closed line',
      timeoutMs: 60_000,
    });
    expect(closedChange).toMatchObject({ from: null, to: 'closed', pushed: false, heldReason: 'first_record_closed' });
    await heldAlertOf(dormant);
    await heldAlertOf(closed);

    // A line first seen today is news: pushed. Once its webhook is here, nothing came for the two others.
    await post([aSighting({ lineId: fresh, area: 'keynsham', occurredAt: daysAgo(0.01) })]);
    await waitFor(() => hooksFor(fresh)[0], { what: `the webhook of ${fresh}`, timeoutMs: 60_000 });
    await waitFor(() => mailsFor(fresh)[0], { what: `the e-mail of ${fresh}` });
    expect((await changesOf(fresh))[0]).toMatchObject({ from: null, to: 'active', pushed: true });
    for (const lineId of [dormant, closed]) {
      expect(await deliveriesOf(lineId)).toEqual([]);
      expect(hooksFor(lineId)).toEqual([]);
      expect(mailsFor(lineId)).toEqual([]);
    }
  });

  it('several alerts sent together are one companions body, each alert with its own id, severity and link, valid against the published schema', async () => {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
    addFormats(ajv);
    for (const file of readdirSync(SCHEMAS).filter((f) => f.startsWith('alert.webhook.'))) {
      ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object);
    }
    const validate = ajv.getSchema(`https://linewatch.local/schemas/${WEBHOOK_BODY_SCHEMA_FILE}`)!;
    const tag = randomUUID().slice(0, 6).toUpperCase();
    const lineIds = [1, 2, 3].map((n) => `COMP${n}-${tag}`);
    await post([aRaid(lineIds, { area: 'radstock', occurredAt: daysAgo(0.01) })]);
    const hook = await waitFor(() => received.find((h) => lineIds.every((id) => h.raw.includes(id))), {
      what: 'one webhook carrying the three alerts',
      timeoutMs: 60_000,
    });
    expect(hook.signatureValid).toBe(true);
    expect(validate(hook.body) ? [] : validate.errors).toEqual([]);
    expect(hook.body).toMatchObject({ type: 'companions', contentVersion: 2 });
    expect(hook.body).not.toHaveProperty('alertId');
    const alerts = await db.query('SELECT alert_id, severity FROM alerts WHERE line_id = ANY($1::text[])', [lineIds]);
    expect(new Set(hook.body.alerts.map((a) => a.alertId))).toEqual(new Set(alerts.rows.map((r) => r.alert_id)));
    for (const item of hook.body.alerts as { alertId: string; severity: string; acknowledgeUrl: string; subject: string }[]) {
      expect(item.severity).toBe(alerts.rows.find((r) => r.alert_id === item.alertId)?.severity);
      expect(item.acknowledgeUrl).toContain(`/v1/alerts/${item.alertId}/acknowledge?token=`);
      expect(item.subject).toMatch(/^MEDIUM: line COMP\d-/);
    }
    // A single alert's body validates too (the fresh line's of the previous test, or any single one).
    const single = received.find((h) => h.body.type === 'alert');
    expect(single).toBeDefined();
    expect(validate(single!.body) ? [] : validate.errors).toEqual([]);
  });

  it('refuses a history import from a caller without the ingest role, and a history flag that is not true or false', async () => {
    const event = aSighting({ area: 'bath', occurredAt: daysAgo(1) });
    const analyst = await bearer(['analyst'], [], 'analyst-1');
    expect(await post([event], '?history=true', analyst)).toMatchObject({ status: 403 });
    expect(await post([event], '?history=true', 'Bearer not-a-token')).toMatchObject({ status: 401 });
    expect(await post([event], '?history=yes')).toMatchObject({ status: 400, body: { code: 'INVALID_QUERY' } });
    const stored = await db.query('SELECT count(*)::int AS n FROM intake_receipts WHERE event_id = $1', [event.eventId]);
    expect(stored.rows[0].n).toBe(0);
  });
});
