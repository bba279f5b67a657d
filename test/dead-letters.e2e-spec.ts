/**
 * Dead letters waiting, and the replacements inbox listening (issue 18), over the real tracker, api,
 * broker and database, with the `linewatch` CLI as a child process and a real Chromium:
 *
 * - A poison message on the input topic (an event from too far in the future, and bytes that are
 *   not JSON) is dead-lettered by the tracker and mirrored into `dead_letters`; an admin's overview
 *   counts both and `GET /v1/dead-letters` lists them (reason code, offsets, eventId when known, age,
 *   never the content), each read an s.62 consultation; analysts and officers get no figure (null)
 *   and a 403. `linewatch dlq retry` re-drives the future event once its time has come: the count
 *   goes down at once (the re-drive is recorded, by whom), the event is stored, and the list shows
 *   it re-driven.
 * - The admin's home view shows the figure linking to the dead-letter view (axe-clean); an
 *   analyst's replacements inbox shows a suggestion the tracker raised while the page was open,
 *   without a reload. (The stream's scoping — analysts get replacement suggestions, an officer of
 *   the area never does — is test/identity-api.e2e-spec.ts.)
 *
 * Chromium: CHROMIUM_PATH, else /usr/bin/chromium; without it the browser tests are skipped locally
 * and fail under CI=true. Ports: LINEWATCH_TEST_DASHBOARD_PORT + 60 … + 63 (default 29560).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { IntelEventInput, Role } from '@linewatch/contracts';
import { KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  aRaid,
  aSighting,
  bearer,
  daysAgo,
  isolatedTopics,
  publishLikeIngest,
  runCli,
  serviceEnv,
  startService,
  testDatabaseConfig,
  testKafkaConfig,
  waitFor,
  type RunningService,
} from '@linewatch/testing';

const ROOT = join(__dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const IN_CI = Boolean(process.env.CI) && process.env.CI !== 'false';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SCREENSHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const PORT_BASE = Number(process.env.LINEWATCH_TEST_DASHBOARD_PORT ?? 29500) + 60;
const PORTS = { api: PORT_BASE, tracker: PORT_BASE + 3 } as const;
/** The tracker refuses events more than this far in the future: a future event is a dead letter that heals with time. */
const SKEW_MS = 1_000;
const logger = createLogger('e2e', 'silent');
const describeWithBrowser = HAVE_CHROMIUM || IN_CI ? describe : describe.skip;

interface DeadLetter {
  id: string;
  code: string;
  eventId: string | null;
  offset: string;
  partition: number;
  source: { topic: string; partition: number | null; offset: string | null } | null;
  ageSeconds: number | null;
  redriven: { at: string; by: string } | null;
}

describe('dead letters waiting, and the replacements inbox live (issue 18)', () => {
  const services: RunningService[] = [];
  let api: RunningService;
  let db: Pool;
  let producer: KafkaPublisher;
  let env: NodeJS.ProcessEnv;
  let topics: Awaited<ReturnType<typeof isolatedTopics>>['names'];
  let browser: Browser | null = null;
  const tag = randomUUID().slice(0, 6).toUpperCase();

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const isolated = await isolatedTopics('dead-letters');
    topics = isolated.names;
    env = serviceEnv('timescale', {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      TRACKER_GROUP_ID: `e2e-dead-letters-${randomUUID()}`,
      TRACKER_MAX_FUTURE_SKEW_MS: String(SKEW_MS),
    });
    const launching = HAVE_CHROMIUM
      ? chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] })
      : null;
    const started = await Promise.all([startService('tracker', env, PORTS.tracker), startService('api', env, PORTS.api)]);
    services.push(...started);
    api = started[1];
    browser = await launching;
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
    producer = new KafkaPublisher(createKafka(testKafkaConfig('e2e-dead-letters'), logger));
  });

  afterAll(async () => {
    await browser?.close();
    await producer?.disconnect();
    await Promise.all(services.map((s) => s.stop()));
    await db?.end();
  });

  const get = async (path: string, roles: Role[], areas: string[] = []) => {
    const response = await fetch(`${api.url}${path}`, {
      headers: { authorization: await bearer(roles, areas, `${roles.join('+')}-${tag}`), 'x-justification': 'e2e dead letters' },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (await response.json()) as any };
  };
  const waitingOf = async () => (await get('/v1/overview', ['admin'])).body.deadLetters as number;
  const listOf = async (status = 'waiting') => (await get(`/v1/dead-letters?status=${status}`, ['admin'])).body.deadLetters as DeadLetter[];

  describe('the admins’ figure and list, and a re-drive by the CLI', () => {
    // Set when produced: 10 s ahead (the tracker, ready, takes well under that to refuse it).
    let future: IntelEventInput & { eventId: string; occurredAt: string };

    it('counts and lists a poison event’s dead letter for admins only, with no content', async () => {
      expect(await waitingOf()).toBe(0);
      future = aSighting({
        lineId: `FUTURE-${tag}`,
        area: 'bath',
        occurredAt: new Date(Date.now() + 10_000).toISOString(),
      }) as typeof future;
      await publishLikeIngest(producer, topics.intelEvents, [future]);
      await producer.publish(topics.intelEvents, [{ key: `MALFORMED-${tag}`, value: `{"type":"line.sighting", "eventId": "${tag}"` }]);
      await waitFor(async () => ((await waitingOf()) === 2 ? true : undefined), {
        what: 'two dead letters waiting on the admin’s overview',
        timeoutMs: 60_000,
      });

      const listed = await listOf();
      expect(listed.map((l) => l.code).sort()).toEqual(['FUTURE_EVENT', 'MALFORMED_JSON']);
      const futureLetter = listed.find((l) => l.code === 'FUTURE_EVENT')!;
      expect(futureLetter).toMatchObject({
        id: `${futureLetter.partition}:${futureLetter.offset}`,
        eventId: future.eventId,
        source: { topic: topics.intelEvents, partition: expect.any(Number), offset: expect.stringMatching(/^\d+$/) },
        ageSeconds: expect.any(Number),
        redriven: null,
      });
      expect(listed.find((l) => l.code === 'MALFORMED_JSON')?.eventId).toBeNull();
      // Why and where from, never what the message said.
      const text = JSON.stringify(listed);
      expect(text).not.toContain(`FUTURE-${tag}`);
      expect(Object.keys(futureLetter)).not.toEqual(expect.arrayContaining(['value']));

      for (const [roles, areas] of [
        [['analyst'], []],
        [['officer'], ['bath']],
      ] as [Role[], string[]][]) {
        const overview = await get('/v1/overview', roles, areas);
        expect(overview.status).toBe(200);
        expect(overview.body.deadLetters).toBeNull();
        expect((await get('/v1/dead-letters', roles, areas)).status).toBe(403);
      }
      const { rows } = await db.query(
        `SELECT actor, justification FROM disclosure_log WHERE action = 'consultation' AND subject_type = 'dead-letters' AND actor = $1`,
        [`admin-${tag}`],
      );
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows[0].justification).toBe('e2e dead letters');
    });

    it('takes a dead letter off the count once `linewatch dlq retry` re-drove it, and records who did', async () => {
      const [letter] = (await listOf()).filter((l) => l.code === 'FUTURE_EVENT');
      // Its time has come (within the skew): re-driven now, the event is accepted.
      await waitFor(() => (Date.now() > Date.parse(future.occurredAt) ? true : undefined), {
        what: 'the future event’s time',
        timeoutMs: 30_000,
      });
      const retried = await runCli(['dlq', 'retry', letter.id], env);
      expect({ code: retried.code, stderr: retried.stderr }).toEqual({ code: 0, stderr: '' });
      expect(retried.stdout).toContain('re-drove 1 dead letter');
      expect(retried.stdout).toContain('recorded 1 re-drive');

      expect(await waitingOf()).toBe(1);
      expect((await listOf()).map((l) => l.code)).toEqual(['MALFORMED_JSON']);
      const [redriven] = await listOf('redriven');
      expect(redriven).toMatchObject({ id: letter.id, eventId: future.eventId, redriven: { by: expect.stringMatching(/^cli:/) } });
      await waitFor(
        async () =>
          (await db.query('SELECT 1 FROM intel_events WHERE event_id = $1', [future.eventId])).rows.length === 1 ? true : undefined,
        { what: 'the re-driven event stored', timeoutMs: 60_000 },
      );
      expect(await waitingOf()).toBe(1);
    });
  });

  describeWithBrowser('in the dashboard', () => {
    async function signIn(roles: Role[], subject: string): Promise<Page> {
      const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
      const page = await context.newPage();
      const token = (await bearer(roles, [], subject)).replace(/^Bearer /, '');
      await page.goto(`${api.url}/#token=${token}`);
      await page.locator('.who .subject', { hasText: subject }).waitFor();
      return page;
    }

    async function axeViolations(page: Page): Promise<{ id: string; impact: string | null }[]> {
      await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
      const violations = (await page.evaluate(
        `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))`,
      )) as { id: string; impact: string | null }[];
      return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    }

    it('shows an admin the dead letters waiting on the home view, a link to their list', async () => {
      const page = await signIn(['admin'], `admin-home-${tag}`);
      await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
      const figure = page.locator('[data-testid="figure-dead-letters"]');
      await figure.waitFor();
      expect(Number((await figure.innerText()).match(/^\d+/)?.[0])).toBe(await waitingOf());
      expect(await axeViolations(page)).toEqual([]);
      await figure.click();
      await page.getByRole('heading', { level: 1, name: 'Dead letters' }).waitFor();
      await page.locator('table.dead-letters-table[aria-busy="false"]').waitFor();
      expect(await page.locator('tr[data-code="MALFORMED_JSON"]').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, 'dead-letters-admin-desktop.png'), fullPage: true });
      await page.context().close();
    });

    it('shows an analyst a replacement suggestion raised while the inbox is open, without a reload', async () => {
      const page = await signIn(['analyst'], `analyst-inbox-${tag}`);
      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Possible replacements', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Possible replacements' }).waitFor();
      await page.locator('ul.suggestions[aria-busy="false"]').waitFor({ state: 'attached' });
      await page.locator('[data-live="live"]').waitFor({ timeout: 30_000 });
      await page.evaluate('window.__sameDocument = true');

      const brand = `Inbox ${tag}`;
      const [old, fresh] = [`OLDINBOX-${tag}`, `NEWINBOX-${tag}`];
      const produce = (...events: IntelEventInput[]) => publishLikeIngest(producer, topics.intelEvents, events);
      await produce(
        aSighting({ lineId: old, area: 'midsomer-norton', occurredAt: daysAgo(9), body: { kind: 'bulk_text', brand } }),
        aRaid([old], { area: 'midsomer-norton', occurredAt: daysAgo(6) }),
      );
      await waitFor(
        async () =>
          (await db.query('SELECT state FROM lines WHERE line_id = $1', [old])).rows[0]?.state === 'disrupted' ? true : undefined,
        { what: `${old} disrupted`, timeoutMs: 60_000 },
      );
      await produce(aSighting({ lineId: fresh, area: 'paulton', occurredAt: daysAgo(2), body: { kind: 'bulk_text', brand } }));

      const card = page.locator(`li[data-suggestion-id="${fresh}~${old}"]`);
      await card.waitFor({ timeout: 60_000 });
      expect(await card.getAttribute('data-status')).toBe('open');
      expect(await card.locator('[data-testid="suggestion-brands"]').innerText()).toContain(brand.toLowerCase());
      await page.locator('#announcer', { hasText: `line ${fresh} may replace line ${old}` }).waitFor();
      expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
      await page.context().close();
    });
  });
});
