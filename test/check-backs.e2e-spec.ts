/**
 * Closure check-backs end to end (issue 19 part 4): tracker, api and alerter as real processes on
 * the real broker, a real SMTP server. Time is moved by dating the Type 1 closures in the past:
 * line A closed 10 days ago (its 7-day check-back is due, 3 days overdue), line R 20 days ago
 * (its 7-day check-back 13 days overdue: past the 7-day reminder threshold).
 *
 * A closure schedules check-backs (7, 28, 90 days) → the due list and the home figure show them →
 * `out_of_use` is recorded with an s.62 alteration entry → `in_use` is published as a sighting:
 * the line resurfaces, officers are alerted as usual and the line's last check-back is cancelled →
 * the overdue one raises exactly one low-severity reminder, to the intelligence team only, and the
 * alerter restarted does not send it again. Bad input: 404, 409 with a code, 400, 403. In the
 * dashboard (real Chromium, skipped without one unless CI=true): an analyst follows the home view's
 * figure to "Check-backs due" (axe: no serious or critical problem) and records one there.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { Pool } from 'pg';
import { chromium, type Browser } from 'playwright-core';
import type { Role, TopicNames } from '@linewatch/contracts';
import { KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  aSighting,
  bearer,
  daysAgo,
  isolatedTopics,
  publishLikeIngest,
  serviceEnv,
  startMailCapture,
  startService,
  testDatabaseConfig,
  testKafkaConfig,
  waitFor,
  type MailCapture,
  type RunningService,
} from '@linewatch/testing';

const logger = createLogger('e2e', 'silent');
const BASE_PORT = 29300;
const SMTP_PORT = BASE_PORT + 25;
const TEAMS = ['bath-npt', 'keynsham-npt', 'somer-valley-npt', 'chew-valley-npt'];
const INTEL_EMAIL = 'intel.bureau@example.invalid';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const WITH_BROWSER = existsSync(CHROMIUM) || (Boolean(process.env.CI) && process.env.CI !== 'false');

function routingFile(): string {
  const teams = TEAMS.map((id) => ({
    id,
    name: `${id} (test)`,
    levels: [
      {
        level: 1,
        name: 'neighbourhood officers',
        afterMinutes: 0,
        recipients: [{ id: 'officers', name: `Officers ${id}`, email: `${id}.officers@example.invalid` }],
      },
    ],
  }));
  const intelligenceTeam = {
    id: 'intelligence',
    name: 'Force intelligence bureau (test)',
    recipients: [{ id: 'bureau', name: 'Intelligence bureau', email: INTEL_EMAIL }],
  };
  const file = join(mkdtempSync(join(tmpdir(), 'linewatch-check-backs-')), 'alert-routing.json');
  // No grouping into digests: each alert is its own mail (the closures and the resurfacing share a team and a window).
  writeFileSync(file, JSON.stringify({ digestWaitSeconds: 1, digestMinimumAlerts: 1000, teams, intelligenceTeam }));
  return file;
}

interface DueItem {
  checkBackId: string;
  lineId: string;
  offsetDays: number;
  dueAt: string;
  daysOverdue: number;
}

describe('closure check-backs', () => {
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const lineA = `CBA-${tag}`;
  const lineR = `CBR-${tag}`;
  const lineR2 = `CBS-${tag}`;
  const lineD = `CBD-${tag}`;
  const active = `CBN-${tag}`;
  let tracker: RunningService;
  let api: RunningService;
  let alerter: RunningService;
  let env: NodeJS.ProcessEnv;
  let db: Pool;
  let topics: TopicNames;
  let producer: KafkaPublisher;
  let smtp: MailCapture | undefined;
  const mails: ParsedMail[] = [];

  const call = async (method: 'GET' | 'POST', path: string, roles: Role[], body?: unknown, areas: string[] = []) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        authorization: await bearer(roles, areas, `${roles.join('+')}-cb`),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (await response.json().catch(() => null)) as any };
  };
  const dueOf = async (lineId: string): Promise<DueItem[]> =>
    ((await call('GET', '/v1/check-backs/due?limit=500', ['analyst'])).body.checkBacks as DueItem[]).filter((c) => c.lineId === lineId);
  const stateOf = async (lineId: string) => (await call('GET', `/v1/lines/${lineId}`, ['analyst'])).body?.state as string | undefined;
  const closeType1 = async (lineId: string, days: number) => {
    const answer = await call('POST', `/v1/lines/${lineId}/assessments`, ['analyst'], {
      decision: 'closure_type_1',
      rationale: 'holder charged; number out of use',
      occurredAt: daysAgo(days),
    });
    expect(answer.status).toBe(202);
  };
  const mailsAbout = (lineId: string) => mails.filter((m) => m.subject?.includes(lineId));
  const remindersOf = (lineId: string) => mailsAbout(lineId).filter((m) => m.subject?.includes('Closure check-back overdue'));

  beforeAll(async () => {
    smtp = await startMailCapture(SMTP_PORT, mails);
    const isolated = await isolatedTopics('check-backs');
    topics = isolated.names;
    env = serviceEnv('timescale', {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      TRACKER_GROUP_ID: `e2e-cb-${randomUUID()}`,
      ALERTER_GROUP_ID: `e2e-cb-alerter-${randomUUID()}`,
      TRACKER_RELAY_INTERVAL_MS: '200',
      ALERT_ROUTING_FILE: routingFile(),
      SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      ALERTER_DELIVERY_INTERVAL_MS: '300',
      ALERTER_DIGESTS: 'off',
      CHECK_BACK_REMINDER_INTERVAL_MS: '500',
    });
    [tracker, alerter, api] = await Promise.all([
      startService('tracker', env, BASE_PORT + 3),
      startService('alerter', env, BASE_PORT + 2),
      startService('api', env, BASE_PORT),
    ]);
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
    producer = new KafkaPublisher(createKafka(testKafkaConfig('e2e-check-backs'), logger));
    await publishLikeIngest(
      producer,
      topics.intelEvents,
      [lineA, lineR, lineR2, lineD, active].map((lineId) => aSighting({ lineId, area: 'bath', occurredAt: daysAgo(40) })),
    );
    await waitFor(async () => (await Promise.all([lineA, lineR, lineR2, lineD, active].map(stateOf))).every(Boolean) || undefined, {
      what: 'the lines tracked',
      timeoutMs: 60_000,
    });
  });

  afterAll(async () => {
    const complaints = [tracker, api, alerter].flatMap((s) => (s?.output ?? []).filter((l) => /"level":"(error|fatal)"/.test(l)));
    if (complaints.length > 0) console.log(`service errors:\n${complaints.slice(-20).join('\n').slice(0, 8000)}`);
    await producer?.disconnect();
    await Promise.all([tracker?.stop(), alerter?.stop(), api?.stop()]);
    await db?.end();
    await smtp?.close();
  });

  it('schedules check-backs 7, 28 and 90 days after a Type 1 closure; lists those due with days overdue; counts them on the home view', async () => {
    await closeType1(lineA, 10);
    await closeType1(lineR, 20);
    const dueA = await waitFor(
      async () => {
        const due = await dueOf(lineA);
        return due.length > 0 ? due : undefined;
      },
      { what: `${lineA}'s check-back due`, timeoutMs: 60_000 },
    );
    expect(dueA).toEqual([expect.objectContaining({ lineId: lineA, offsetDays: 7, daysOverdue: 3 })]);
    expect(await dueOf(lineR)).toEqual([expect.objectContaining({ offsetDays: 7, daysOverdue: 13 })]);
    const { rows } = await db.query(`SELECT offset_days, status FROM line_check_backs WHERE line_id = $1 ORDER BY offset_days`, [lineA]);
    expect(rows).toEqual([
      { offset_days: 7, status: 'scheduled' },
      { offset_days: 28, status: 'scheduled' },
      { offset_days: 90, status: 'scheduled' },
    ]);
    // The due list is the analysts' (and admins'); officers are refused it and not told the figure.
    expect((await call('GET', '/v1/check-backs/due', ['officer'], undefined, ['bath'])).status).toBe(403);
    expect((await call('GET', '/v1/overview', ['analyst'])).body.checkBacksDue).toBeGreaterThanOrEqual(2);
    expect((await call('GET', '/v1/overview', ['officer'], undefined, ['bath'])).body.checkBacksDue).toBeNull();
  });

  it('refuses bad check-backs: unknown line 404, no Type 1 closure 409, unknown check-back 404, short rationale 400, officer 403', async () => {
    const ok = { outcome: 'out_of_use', rationale: 'number checked with the network: not in use' };
    expect(await call('POST', `/v1/lines/NO-SUCH-${tag}/check-backs`, ['analyst'], ok)).toMatchObject({
      status: 404,
      body: { code: 'LINE_NOT_FOUND' },
    });
    expect(await call('POST', `/v1/lines/${active}/check-backs`, ['analyst'], ok)).toMatchObject({
      status: 409,
      body: { code: 'NO_TYPE_1_CLOSURE' },
    });
    expect(await call('POST', `/v1/lines/${lineA}/check-backs`, ['analyst'], { ...ok, checkBackId: randomUUID() })).toMatchObject({
      status: 404,
      body: { code: 'CHECK_BACK_NOT_FOUND' },
    });
    expect(await call('POST', `/v1/lines/${lineA}/check-backs`, ['analyst'], { ...ok, rationale: 'ok' })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_CHECK_BACK' },
    });
    expect(await call('POST', `/v1/lines/${lineA}/check-backs`, ['analyst'], { ...ok, outcome: 'unsure' })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_CHECK_BACK' },
    });
    expect((await call('POST', `/v1/lines/${lineA}/check-backs`, ['officer'], ok, ['bath'])).status).toBe(403);
  });

  it('records out_of_use with an s.62 alteration entry; the check-back leaves the due list and cannot be recorded twice', async () => {
    const [due] = await dueOf(lineA);
    const answer = await call('POST', `/v1/lines/${lineA}/check-backs`, ['analyst'], {
      outcome: 'out_of_use',
      rationale: 'network operator confirms the number is disconnected',
      checkBackId: due.checkBackId,
    });
    expect(answer).toMatchObject({
      status: 201,
      body: {
        checkBack: { checkBackId: due.checkBackId, status: 'done', outcome: 'out_of_use', recordedBy: 'analyst-cb' },
        sighting: null,
      },
    });
    const log = await db.query(
      `SELECT action, actor, justification FROM disclosure_log WHERE subject_id = $1 AND details->>'checkBackId' = $2`,
      [lineA, due.checkBackId],
    );
    expect(log.rows).toEqual([{ action: 'alteration', actor: 'analyst-cb', justification: expect.stringContaining('out_of_use') }]);
    expect(await dueOf(lineA)).toEqual([]);
    expect(
      await call('POST', `/v1/lines/${lineA}/check-backs`, ['analyst'], {
        outcome: 'out_of_use',
        rationale: 'again',
        checkBackId: due.checkBackId,
      }),
    ).toMatchObject({ status: 409, body: { code: 'CHECK_BACK_NOT_OPEN' } });
    expect(await stateOf(lineA)).toBe('closed');
  });

  it('publishes in_use as a sighting: the line resurfaces, officers are alerted as usual, its last check-back is cancelled', async () => {
    const answer = await call('POST', `/v1/lines/${lineA}/check-backs`, ['analyst'], {
      outcome: 'in_use',
      rationale: 'test purchase: the number answered and offered supply',
    });
    expect(answer).toMatchObject({
      status: 201,
      body: { checkBack: { offsetDays: 28, status: 'done', outcome: 'in_use' }, sighting: { type: 'line.sighting', lineId: lineA } },
    });
    expect(answer.body.checkBack.sightingEventId).toBe(answer.body.sighting.eventId);
    await waitFor(async () => (await stateOf(lineA)) === 'active' || undefined, { what: `${lineA} resurfaced`, timeoutMs: 60_000 });
    const raised = await waitFor(
      async () => (await db.query(`SELECT status, kind FROM alerts WHERE line_id = $1 AND kind = 'resurfaced'`, [lineA])).rows[0],
      { what: `the resurfaced alert of ${lineA} raised`, timeoutMs: 60_000 },
    );
    expect(raised).toEqual({ status: expect.stringMatching(/raised|delivered/), kind: 'resurfaced' });
    const alerted = await waitFor(async () => mailsAbout(lineA).find((m) => /resurfaced/i.test(m.subject ?? '')), {
      what: `the resurfaced alert of ${lineA} mailed`,
      timeoutMs: 30_000,
    });
    expect(JSON.stringify(alerted.to)).toContain('bath-npt.officers@example.invalid');
    const { rows } = await db.query(`SELECT offset_days, status, outcome FROM line_check_backs WHERE line_id = $1 ORDER BY offset_days`, [
      lineA,
    ]);
    expect(rows).toEqual([
      { offset_days: 7, status: 'done', outcome: 'out_of_use' },
      { offset_days: 28, status: 'done', outcome: 'in_use' },
      { offset_days: 90, status: 'cancelled', outcome: null },
    ]);
    expect(
      await call('POST', `/v1/lines/${lineA}/check-backs`, ['analyst'], { outcome: 'out_of_use', rationale: 'too late' }),
    ).toMatchObject({ status: 409, body: { code: 'NO_TYPE_1_CLOSURE' } });
  });

  it('raises ONE low-severity reminder of a check-back overdue by more than 7 days, to the intelligence team only, and not again after a restart', async () => {
    const reminder = await waitFor(async () => remindersOf(lineR)[0], { what: `the reminder of ${lineR}`, timeoutMs: 60_000 });
    expect(reminder.subject).toContain('[low]');
    expect(reminder.headers.get('x-linewatch-severity')).toBe('low');
    expect(JSON.stringify(reminder.to)).toContain(INTEL_EMAIL);
    expect(JSON.stringify(reminder.to)).not.toContain('officers');
    expect(reminder.text).toContain('13 days');
    // Line A's check-backs were never more than 7 days overdue: no reminder.
    expect(remindersOf(lineA)).toEqual([]);
    await waitFor(
      async () =>
        (
          await db.query(
            `SELECT r.completed_at FROM check_back_reminders r JOIN line_check_backs c USING (check_back_id)
             WHERE c.line_id = $1 AND r.completed_at IS NOT NULL`,
            [lineR],
          )
        ).rowCount === 1 || undefined,
      { what: `${lineR}'s reminder recorded complete`, timeoutMs: 30_000 },
    );

    // Restarted, the alerter sends the next overdue check-back's reminder — and still not R's again.
    await alerter.stop();
    alerter = await startService('alerter', env, BASE_PORT + 2);
    await closeType1(lineR2, 30);
    await waitFor(async () => remindersOf(lineR2)[0], { what: `the reminder of ${lineR2}`, timeoutMs: 60_000 });
    expect(remindersOf(lineR)).toHaveLength(1);
    expect(remindersOf(lineR2)).toHaveLength(1);
    expect(mails.filter((m) => m.subject?.includes('check-back') && !JSON.stringify(m.to).includes(INTEL_EMAIL))).toEqual([]);
    const disclosures = await db.query(
      `SELECT recipient, channel FROM disclosure_log WHERE action = 'disclosure' AND subject_id = $1 AND details ? 'reminderId'`,
      [lineR],
    );
    expect(disclosures.rows).toEqual([{ recipient: expect.stringContaining(INTEL_EMAIL), channel: 'email' }]);
  });

  (WITH_BROWSER ? describe : describe.skip)('in the dashboard', () => {
    it('shows an analyst the check-backs due in the dashboard, from the home figure, and records one there', async () => {
      await closeType1(lineD, 12);
      await waitFor(async () => (await dueOf(lineD)).length === 1 || undefined, { what: `${lineD}'s check-back due`, timeoutMs: 60_000 });
      let browser: Browser | undefined;
      try {
        browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
        const page = await context.newPage();
        const token = (await bearer(['analyst'], [], 'analyst-cb-ui')).replace(/^Bearer /, '');
        await page.goto(`${api.url}/#token=${token}`);
        await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
        const figure = page.locator('[data-testid="figure-check-backs-due"]');
        expect(Number(await figure.locator('.figure-number').innerText())).toBeGreaterThanOrEqual(1);
        await figure.click();
        await page.getByRole('heading', { level: 1, name: 'Check-backs due' }).waitFor();
        const row = page.locator(`tr[data-line-id="${lineD}"]`);
        await row.waitFor();
        expect(await row.innerText()).toContain('7 days after');
        // axe-core: no serious or critical accessibility problem (evaluated through DevTools, outside the page's CSP).
        await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
        const violations = (await page.evaluate(
          `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.help))`,
        )) as string[];
        expect(violations).toEqual([]);

        await row.getByRole('button', { name: `Record the check-back of line ${lineD}` }).click();
        await page.getByLabel('Still out of use').check();
        await page.getByLabel('Rationale (required, recorded with the check-back)').fill('network operator: number still disconnected');
        await page.getByRole('button', { name: 'Record check-back' }).click();
        await page.locator('#check-back-note', { hasText: `Recorded: line ${lineD} is still out of use.` }).waitFor();
        await row.waitFor({ state: 'detached' });
        const { rows } = await db.query(
          `SELECT status, outcome, recorded_by FROM line_check_backs WHERE line_id = $1 AND offset_days = 7`,
          [lineD],
        );
        expect(rows).toEqual([{ status: 'done', outcome: 'out_of_use', recorded_by: 'analyst-cb-ui' }]);
      } finally {
        await browser?.close();
      }
    });
  });
});
