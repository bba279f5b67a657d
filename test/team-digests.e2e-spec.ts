/**
 * Team digests end to end (issue 18 item 3): tracker, api and TWO alerter replicas as real
 * processes, a real SMTP server and a webhook receiver that checks signatures. The teams' schedule
 * (routing file) has a time a few minutes ago — the missed period, caught up once at boot — and one
 * a few minutes ahead: the digest goes out when it comes, with every change since the previous
 * digest (pushed or not, handling code C sanitised) and the alerts still open; one per team and
 * period although a replica restarts between the two; each a disclosure in the s.62 log; the
 * webhook body valid against its published JSON Schema; an admin previews the next one.
 *
 * A history import's change is listed, not pushed (issue 18 items 1 and 3 together).
 *
 * The clock is the real one: the schedule is written relative to it (minutes, UTC).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ParsedMail } from 'mailparser';
import { Pool } from 'pg';
import { HEADERS, teamDigestV1, type IntelEventInput, type TeamDigestWebhookV1 } from '@linewatch/contracts';
import { KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  TEST_WEBHOOK_SECRET,
  aSighting,
  bearer,
  daysAgo,
  ingestKeysOf,
  isolatedTopics,
  publishLikeIngest,
  serviceEnv,
  startService,
  testDatabaseConfig,
  testKafkaConfig,
  waitFor,
  type RunningService,
  startMailCapture,
  type MailCapture,
} from '@linewatch/testing';
import { verifyWebhookSignature } from '../apps/alerter/src/webhook.signature';

const logger = createLogger('e2e', 'silent');
const BASE_PORT = 28300;
const SMTP_PORT = BASE_PORT + 25;
const HOOK_PORT = BASE_PORT + 80;
const MINUTE = 60_000;

interface Hook {
  readonly team: string;
  readonly raw: string;
  readonly body: TeamDigestWebhookV1;
  readonly signatureValid: boolean;
  readonly receivedAt: Date;
}

const hhmm = (at: Date) => at.toISOString().slice(11, 16);

describe('team digests', () => {
  const tag = randomUUID().slice(0, 6);
  const north = { area: `dg${tag}-north`, team: `dg${tag}-north-npt` };
  const south = { area: `dg${tag}-south`, team: `dg${tag}-south-npt` };
  const teams = [north, south];
  // Minute-aligned instants: the period missed before boot, and the one the suite waits for.
  const minuteNow = Math.floor(Date.now() / MINUTE) * MINUTE;
  const missedAt = new Date(minuteNow - 5 * MINUTE);
  const nextAt = new Date(minuteNow + 4 * MINUTE);
  let tracker: RunningService;
  let api: RunningService;
  let alerterA: RunningService;
  let alerterB: RunningService;
  let env: NodeJS.ProcessEnv;
  let db: Pool;
  let producer: KafkaPublisher;
  let produce: (...events: IntelEventInput[]) => Promise<unknown>;
  let produceHistory: (event: IntelEventInput) => Promise<unknown>;
  let smtp: MailCapture | undefined;
  let hooks: Server;
  const mails: ParsedMail[] = [];
  const received: Hook[] = [];
  const lines = { pushed: `DGN-${tag}-P`, sanitised: `DGN-${tag}-C`, history: `DGN-${tag}-H`, silenced: `DGS-${tag}-S` };

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
        const team = String(request.url).split('/').pop() ?? '';
        received.push({ team, raw, body: JSON.parse(raw) as TeamDigestWebhookV1, signatureValid, receivedAt: new Date() });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(HOOK_PORT, '127.0.0.1', resolve));

    const dir = mkdtempSync(join(tmpdir(), 'linewatch-digests-'));
    const areasFile = join(dir, 'areas.json');
    writeFileSync(
      areasFile,
      JSON.stringify({ areas: teams.map((t) => ({ code: t.area, name: `Digest ${t.area.split('-')[1]}`, neighbourhoodTeam: t.team })) }),
    );
    const routingFile = join(dir, 'alert-routing.json');
    writeFileSync(
      routingFile,
      JSON.stringify({
        digestWaitSeconds: 1,
        teams: teams.map((t) => ({
          id: t.team,
          name: `Team ${t.team}`,
          digest: { schedule: { at: [hhmm(missedAt), hhmm(nextAt)], timeZone: 'Etc/UTC' } },
          levels: [
            {
              level: 1,
              name: 'neighbourhood officers',
              afterMinutes: 0,
              recipients: [
                {
                  id: 'officers',
                  name: `Officers ${t.team}`,
                  email: `${t.team}.officers@example.invalid`,
                  webhookUrl: `http://127.0.0.1:${HOOK_PORT}/hooks/${t.team}`,
                },
              ],
            },
            {
              level: 2,
              name: 'sergeant',
              afterMinutes: 600,
              recipients: [{ id: 'sergeant', name: 'Sergeant', email: `${t.team}.sgt@example.invalid` }],
            },
          ],
        })),
      }),
    );
    const isolated = await isolatedTopics('digests');
    env = serviceEnv('timescale', {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      AREAS_FILE: areasFile,
      ALERT_ROUTING_FILE: routingFile,
      TRACKER_GROUP_ID: `e2e-digests-tracker-${randomUUID()}`,
      ALERTER_GROUP_ID: `e2e-digests-${randomUUID()}`,
      TRACKER_RELAY_INTERVAL_MS: '200',
      SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      ALERT_LINK_BASE_URL: `http://127.0.0.1:${BASE_PORT}`,
      ALERTER_DELIVERY_INTERVAL_MS: '300',
      ALERTER_SESSION_TIMEOUT_MS: '6000',
      ALERTER_DIGESTS: 'on',
      ALERTER_DIGEST_INTERVAL_MS: '500',
      ALERTER_DIGEST_LEASE_MS: '5000',
    });
    [tracker, api, alerterA, alerterB] = await Promise.all([
      startService('tracker', env, BASE_PORT + 3),
      startService('api', env, BASE_PORT),
      startService('alerter', env, BASE_PORT + 2),
      startService('alerter', env, BASE_PORT + 4),
    ]);
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
    producer = new KafkaPublisher(createKafka(testKafkaConfig('e2e-digests'), logger));
    produce = (...events) => publishLikeIngest(producer, isolated.names.intelEvents, events);
    // As ingest publishes an event of a history import (POST /v1/events?history=true): the intake header says so.
    produceHistory = (event) =>
      producer.publish(
        isolated.names.intelEvents,
        ingestKeysOf(event).map((key) => ({ key, value: JSON.stringify(event), headers: { [HEADERS.intake]: 'history' } })),
      );
  });

  afterAll(async () => {
    const complaints = [tracker, api, alerterA, alerterB].flatMap((s) =>
      (s?.output ?? []).filter((l) => /"level":"(warn|error|fatal)"/.test(l)),
    );
    if (complaints.length > 0) console.log(`service warnings and errors:\n${complaints.slice(-20).join('\n').slice(0, 8000)}`);
    await producer?.disconnect();
    await Promise.all([tracker?.stop(), api?.stop(), alerterA?.stop(), alerterB?.stop()]);
    await db?.end();
    await smtp?.close();
    hooks?.closeAllConnections();
    await new Promise<void>((resolve) => hooks?.close(() => resolve()));
  });

  /** The digests a team's webhook received (its alerts arrive there too). */
  const digestHooks = () => received.filter((h) => h.body.type === 'team-digest' && teams.some((t) => t.team === h.team));
  const hooksOf = (team: string, periodEnd: Date) =>
    digestHooks().filter((h) => h.team === team && h.body.period.to === periodEnd.toISOString());
  const mailsOf = (team: string, periodEnd: Date) =>
    mails.filter(
      (m) =>
        JSON.stringify(m.to).includes(`${team}.officers`) &&
        m.text?.includes(`Digest for Team ${team}`) &&
        hooksOf(team, periodEnd).some((h) => m.headers.get('x-linewatch-digest') === h.body.digestId),
    );
  const api_ = (path: string, authorization: string) => fetch(`${api.url}${path}`, { headers: { authorization } });

  it('catches up the period missed before boot once per team, although two replicas tick', async () => {
    for (const t of teams) {
      await waitFor(() => (hooksOf(t.team, missedAt).length > 0 && mailsOf(t.team, missedAt).length > 0) || undefined, {
        what: `the caught-up digest of ${t.team}`,
        timeoutMs: 60_000,
      });
      const [hook] = hooksOf(t.team, missedAt);
      expect(hook.signatureValid).toBe(true);
      expect(hook.body).toMatchObject({
        type: 'team-digest',
        contentVersion: 1,
        team: { id: t.team },
        subject: expect.stringContaining('DIGEST'),
      });
    }
    const runs = await db.query('SELECT team_id, last_period_end FROM team_digest_runs WHERE team_id = ANY($1) ORDER BY team_id', [
      teams.map((t) => t.team),
    ]);
    expect(runs.rows.map((r: { last_period_end: Date }) => r.last_period_end.toISOString())).toEqual([
      missedAt.toISOString(),
      missedAt.toISOString(),
    ]);
  });

  it(
    'sends the next digest at its time with every change since the previous one; one per team and period across a restart',
    async () => {
      // Changes: a new line (pushed), one whose cause is graded C (pushed, sanitised), one from a history import
      // (held: not pushed), one silenced (recorded, not pushed).
      const admin = await bearer(['admin'], [], `admin-${tag}`);
      const silence = await fetch(`${api.url}/v1/silences`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: admin },
        body: JSON.stringify({
          lineId: lines.silenced,
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
          reason: 'e2e: digest lists it',
        }),
      });
      expect(silence.status).toBe(201);
      await produce(
        aSighting({ lineId: lines.pushed, area: north.area, occurredAt: daysAgo(0.01) }),
        aSighting({
          lineId: lines.sanitised,
          area: north.area,
          occurredAt: daysAgo(0.01),
          grading: { source: '2', intelligence: 'B', handling: 'C' },
          source: { system: 'records', reference: `IR-SECRET-${tag}` },
        }),
        aSighting({ lineId: lines.silenced, area: south.area, occurredAt: daysAgo(0.01) }),
      );
      await produceHistory(aSighting({ lineId: lines.history, area: north.area, occurredAt: daysAgo(0.02) }));
      await waitFor(
        async () =>
          (await db.query('SELECT count(*)::int AS n FROM alerts WHERE line_id = ANY($1)', [Object.values(lines)])).rows[0].n === 4 ||
          undefined,
        { what: 'the four alerts raised (one held, one silenced)', timeoutMs: 60_000 },
      );

      // A replica restarts before the next period.
      await alerterA.stop();
      alerterA = await startService('alerter', env, BASE_PORT + 2);
      expect(Date.now()).toBeLessThan(nextAt.getTime()); // else the suite's schedule left too little time

      for (const t of teams)
        await waitFor(() => (hooksOf(t.team, nextAt).length > 0 && mailsOf(t.team, nextAt).length > 0) || undefined, {
          what: `the digest of ${t.team} due ${nextAt.toISOString()}`,
          timeoutMs: 6 * MINUTE,
          intervalMs: 500,
        });
      // Both replicas stopped (each waits for a tick in flight): nothing more can be sent; count.
      await Promise.all([alerterA.stop(), alerterB.stop()]);

      for (const t of teams) {
        for (const at of [missedAt, nextAt]) {
          expect(hooksOf(t.team, at)).toHaveLength(1);
          expect(mailsOf(t.team, at)).toHaveLength(1);
        }
        const stored = await db.query('SELECT period_end, completed_at FROM team_digests WHERE team_id = $1 ORDER BY period_end', [t.team]);
        expect(stored.rows.map((r: { period_end: Date }) => r.period_end.toISOString())).toEqual([
          missedAt.toISOString(),
          nextAt.toISOString(),
        ]);
        expect(stored.rows.every((r: { completed_at: Date | null }) => r.completed_at !== null)).toBe(true);
        // Sent at its time, not before; covering everything since the previous digest.
        const [hook] = hooksOf(t.team, nextAt);
        expect(hook.receivedAt.getTime()).toBeGreaterThanOrEqual(nextAt.getTime());
        expect(hook.body.period.from).toBe(missedAt.toISOString());
        // The level-2 recipient (escalation only) gets no digest.
        expect(mails.filter((m) => JSON.stringify(m.to).includes(`${t.team}.sgt`))).toHaveLength(0);
      }

      const northDigest = hooksOf(north.team, nextAt)[0].body;
      const southDigest = hooksOf(south.team, nextAt)[0].body;
      const byLine = (lineId: string, d: TeamDigestWebhookV1) => d.changes.find((c) => c.lineId === lineId);
      expect(byLine(lines.pushed, northDigest)).toMatchObject({ from: null, to: 'active', kind: 'new', pushed: true, sanitised: false });
      expect(byLine(lines.sanitised, northDigest)).toMatchObject({ changeId: null, to: 'active', pushed: true, sanitised: true });
      expect(byLine(lines.history, northDigest)).toMatchObject({ to: 'active', pushed: false, reason: 'history' });
      expect(byLine(lines.silenced, southDigest)).toMatchObject({ to: 'active', pushed: false, reason: 'silenced' });
      expect(byLine(lines.silenced, northDigest)).toBeUndefined();
      expect(northDigest.lines.byArea).toEqual([
        expect.objectContaining({ area: north.area, total: 3, byState: expect.objectContaining({ active: 3 }) }),
      ]);
      expect(northDigest.openAlerts.map((a) => a.lineId).sort()).toEqual([lines.sanitised, lines.pushed].sort());
      expect(northDigest.openAlerts.every((a) => a.ageMinutes >= 0)).toBe(true);
      expect(southDigest.openAlerts).toEqual([]); // the silenced alert is not open
    },
    8 * MINUTE,
  ); // waits for the schedule's next time, a few minutes ahead

  it('sanitises handling code C in the digest as alerts do: no source, no numbers, "contact the intelligence unit"', () => {
    const hook = hooksOf(north.team, nextAt)[0];
    const mail = mailsOf(north.team, nextAt)[0];
    for (const text of [hook.raw, mail.text ?? '', String(mail.html ?? ''), mail.subject ?? '']) {
      expect(text).not.toContain('IR-SECRET');
      expect(text).not.toContain('7700900123');
      expect(text).not.toContain('records');
    }
    expect(mail.text).toContain('contact the intelligence unit');
    expect(hook.body.sanitised).toBe(true);
    expect(mail.text).toContain(lines.pushed);
    expect(String(mail.html)).toContain('<table>');
  });

  it('the webhook body validates against its published JSON Schema', () => {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
    addFormats(ajv);
    const schema = JSON.parse(readFileSync(join(__dirname, '..', 'libs', 'contracts', 'schemas', 'webhook.team-digest.v1.json'), 'utf8'));
    const validate = ajv.compile(schema);
    expect(digestHooks()).toHaveLength(4);
    for (const hook of digestHooks()) {
      expect({ valid: validate(hook.body), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
    }
  });

  it('logs every digest sent as a disclosure (s.62): recipient and channel', async () => {
    const digestIds = digestHooks().map((h) => h.body.digestId);
    const log = await db.query(
      `SELECT subject_id, recipient, channel FROM disclosure_log WHERE action = 'disclosure' AND subject_type = 'team-digest' AND subject_id = ANY($1)`,
      [digestIds],
    );
    expect(log.rows).toHaveLength(digestIds.length * 2); // e-mail and webhook each
    for (const id of digestIds) {
      expect(
        log.rows
          .filter((r: { subject_id: string }) => r.subject_id === id)
          .map((r: { channel: string }) => r.channel)
          .sort(),
      ).toEqual(['email', 'webhook']);
    }
    expect(log.rows.some((r: { recipient: string }) => r.recipient.includes(`${north.team}.officers@example.invalid`))).toBe(true);
  });

  it('an admin previews a team’s next digest (logged); an officer is refused; an unknown team is not found', async () => {
    const admin = await bearer(['admin'], [], `admin-preview-${tag}`);
    const response = await api_(`/v1/teams/${north.team}/digest-preview`, admin);
    expect(response.status).toBe(200);
    const preview = teamDigestV1.parse(await response.json());
    expect(preview.team.id).toBe(north.team);
    expect(preview.period.from).toBe(nextAt.toISOString()); // since the digest last sent
    expect(preview.changes).toEqual([]);
    expect(preview.lines.total).toBe(3);
    expect(preview.openAlerts).toHaveLength(2);
    const officer = await bearer(['officer'], [north.area], `officer-${tag}`);
    expect((await api_(`/v1/teams/${north.team}/digest-preview`, officer)).status).toBe(403);
    const unknown = await api_(`/v1/teams/no-such-${tag}/digest-preview`, admin);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'TEAM_NOT_FOUND' });
    const logged = await db.query(
      `SELECT actor FROM disclosure_log WHERE action = 'consultation' AND subject_type = 'team-digest-preview' AND subject_id = $1`,
      [north.team],
    );
    expect(logged.rows).toEqual([{ actor: `admin-preview-${tag}` }]);
  });
});
