/**
 * Disposal, erasure and retention over the running stack (ingest, tracker, api; real broker,
 * embedded TimescaleDB; issue 19): a `dispose` review starts a 28-day hold, shown on the line and in
 * reviews due; a second one is refused; an admin may cancel a hold. 29 days later (the clock moved:
 * `linewatch erasure run --now`) the line is erased — not found to every read, its tombstone shown
 * to admins, a resend of one of its events answered `duplicate` and not stored, one s.62 erasure
 * entry without content, the weekly export's figures unchanged. The run is killed (SIGKILL) in the
 * middle of a line and run again: it ends exactly as the uninterrupted erasure of a twin line.
 * Retention in the same run erases seven-year-old events on a line not marked retain and keeps those
 * of a line a review retained; `linewatch retention --dry-run` said beforehand what would go.
 * Both database flavours are covered against the repositories by apps/tracker/src/run-erasures.int-spec.ts.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { chromium } from 'playwright-core';
import type { IntelEventInput, Role } from '@linewatch/contracts';
import {
  CHECKOUT_ROOT,
  DAY_MS,
  aRaid,
  aSighting,
  bearer,
  isolatedTopics,
  runCli,
  serviceEnv,
  startService,
  testDatabaseConfig,
  waitFor,
  type RunningService,
} from '@linewatch/testing';

const BASE_PORT = 24150;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = Boolean(process.env.CI) && process.env.CI !== 'false';
const YEAR_MS = 365.25 * DAY_MS;

describe('disposal, erasure and retention', () => {
  const services: RunningService[] = [];
  let ingest: RunningService;
  let api: RunningService;
  let db: Pool;
  let env: NodeJS.ProcessEnv;
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const dir = mkdtempSync(join(tmpdir(), 'linewatch-e2e-erasure-'));
  const checkpointFile = join(dir, 'audit', 'checkpoints.jsonl');
  const area = `x${tag.toLowerCase()}-erasure`;
  const now = Date.now();
  const ago = (ms: number) => new Date(now - ms).toISOString();
  const secret = `Secret${tag}`;
  const line = (name: string) => `ERA-${name}-${tag}`;
  const [L, M, S, T, R, K] = ['L', 'M', 'S', 'T', 'R', 'K'].map(line);
  const sighting = (lineId: string, at: string, brand = 'Jay') =>
    aSighting({ lineId, area, occurredAt: at, body: { kind: 'bulk_text', brand, msisdn: '07700 900555' } });
  const referral = (lineId: string, at: string) =>
    ({
      eventId: randomUUID(),
      type: 'safeguarding.referral',
      occurredAt: at,
      area,
      grading: { source: '1', intelligence: 'B', handling: 'P' },
      source: { system: 'e2e', reference: `REF-${tag}` },
      lineIds: [lineId],
      body: { subject: 'child', exploitation: ['criminal'], agency: `Agency${tag}` },
    }) as IntelEventInput;
  const ofL = [sighting(L, ago(3 * DAY_MS), secret), sighting(L, ago(2 * DAY_MS), secret), referral(L, ago(2 * DAY_MS))];
  const raid = aRaid([L, M], { area, occurredAt: ago(DAY_MS) });
  const twins = (lineId: string) => Array.from({ length: 30 }, (_, i) => sighting(lineId, ago(5 * DAY_MS + i * 60_000)));
  const ofS = twins(S);
  const ofT = twins(T);
  const ofR = [sighting(R, ago(7 * YEAR_MS)), sighting(R, ago(7 * YEAR_MS - DAY_MS)), sighting(R, ago(10 * DAY_MS))];
  const ofK = [sighting(K, ago(7 * YEAR_MS))];
  const all = [...ofL, raid, sighting(M, ago(2 * DAY_MS)), ...ofS, ...ofT, ...ofR, ...ofK];
  const idsOf = (events: readonly IntelEventInput[]) => events.map((e) => e.eventId as string);

  beforeAll(async () => {
    const areasFile = join(dir, 'areas.json');
    writeFileSync(areasFile, JSON.stringify({ areas: [{ code: area, name: 'Erasure e2e', neighbourhoodTeam: 'bath-npt' }] }));
    const isolated = await isolatedTopics('erasure');
    env = serviceEnv('timescale', {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      TRACKER_GROUP_ID: `e2e-erasure-${randomUUID()}`,
      AREAS_FILE: areasFile,
      // The job runs at boot and then hourly: this suite runs it itself, with the clock moved.
      ERASURE_INTERVAL_MS: String(3_600_000),
      ERASURE_BATCH_ROWS: '1',
      ERASURE_LEASE_MS: '3000',
      // The s.62 chain head is checkpointed after every erasure (signed, outside the database).
      AUDIT_CHECKPOINT_KEY: randomBytes(32).toString('hex'),
      AUDIT_CHECKPOINT_FILE: checkpointFile,
    });
    const started = await Promise.all([
      startService('ingest', env, BASE_PORT + 1),
      startService('tracker', env, BASE_PORT + 3),
      startService('api', env, BASE_PORT),
    ]);
    services.push(...started);
    [ingest, , api] = started;
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
    const answer = await post(ingest, '/v1/events', ['ingest'], all.map((e) => JSON.stringify(e)).join('\n'), 'application/x-ndjson');
    if (answer.body.summary?.accepted !== all.length) throw new Error(`intake refused events: ${JSON.stringify(answer.body)}`);
    await waitFor(
      async () =>
        (await db.query(`SELECT count(*)::int AS n FROM lines WHERE line_id = ANY($1)`, [[L, M, S, T, R, K]])).rows[0].n === 6 &&
        (await db.query(`SELECT count(*)::int AS n FROM intel_events WHERE event_id = ANY($1)`, [idsOf(all)])).rows[0].n === all.length,
      { what: 'every event stored and every line tracked', timeoutMs: 120_000 },
    );
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  /* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers */
  async function post(service: RunningService, path: string, roles: Role[], body: unknown, contentType = 'application/json') {
    const response = await fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: await bearer(roles, [], `${roles.join('+')}-${tag}`) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  }
  async function get(path: string, roles: Role[], service: RunningService = api) {
    const response = await fetch(`${service.url}${path}`, {
      headers: { authorization: await bearer(roles, [], `${roles.join('+')}-${tag}`), 'x-justification': 'e2e erasure' },
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as any };
  }
  /* eslint-enable @typescript-eslint/no-explicit-any */
  const dispose = (lineId: string) =>
    post(api, `/v1/lines/${lineId}/reviews`, ['analyst'], { decision: 'dispose', rationale: 'no longer needed' });
  const exportFigures = async () => {
    const from = new Date(now - 21 * DAY_MS).toISOString().slice(0, 10);
    const to = new Date(now).toISOString().slice(0, 10);
    const { status, body } = await get(`/v1/exports/weekly?from=${from}&to=${to}&area=${area}&format=json&version=full`, ['analyst']);
    expect(status).toBe(200);
    return { rows: body.rows, totals: body.totals };
  };
  const cli = join(CHECKOUT_ROOT, 'dist', 'scripts', 'cli.js');
  const moved = new Date(now + 29 * DAY_MS).toISOString();

  let figuresBefore: unknown;

  it('a dispose review starts a 28-day hold, shown on the line and in reviews due; a second one is refused; an admin may cancel one', async () => {
    figuresBefore = await exportFigures();
    // The figures the erasure must leave alone include L's referral and its lines.
    expect(JSON.stringify(figuresBefore)).toContain('"referralsChildren":1');
    for (const lineId of [S, T, L]) expect((await dispose(lineId)).status).toBe(201);
    const detail = await get(`/v1/lines/${L}`, ['analyst']);
    expect(detail.body.disposal).toMatchObject({ status: 'held', decidedBy: `analyst-${tag}` });
    const holdDays = (Date.parse(detail.body.disposal.eraseAfter) - Date.parse(detail.body.disposal.decidedAt)) / DAY_MS;
    expect(holdDays).toBe(28);
    const due = await get(`/v1/reviews/due?limit=500`, ['analyst']);
    expect(due.body.lines.find((l: { lineId: string }) => l.lineId === L)?.disposal).toMatchObject({ status: 'held' });

    expect(await dispose(L)).toMatchObject({ status: 409, body: { code: 'DISPOSAL_PENDING' } });
    expect((await post(api, `/v1/lines/NO-SUCH-${tag}/reviews`, ['analyst'], { decision: 'dispose', rationale: 'nothing' })).status).toBe(
      404,
    );

    expect((await dispose(M)).status).toBe(201);
    expect((await post(api, `/v1/lines/${M}/disposal/cancel`, ['analyst'], { reason: 'still of interest' })).status).toBe(403);
    const cancelled = await post(api, `/v1/lines/${M}/disposal/cancel`, ['admin'], { reason: 'operation ongoing' });
    expect(cancelled).toMatchObject({
      status: 200,
      body: { status: 'cancelled', cancelledBy: `admin-${tag}`, reason: 'operation ongoing' },
    });
    expect(await post(api, `/v1/lines/${M}/disposal/cancel`, ['admin'], { reason: 'again' })).toMatchObject({
      status: 409,
      body: { code: 'NO_DISPOSAL_HOLD' },
    });
    expect((await get(`/v1/lines/${M}`, ['analyst'])).body.disposal).toBeNull();
    const alteration = await db.query(`SELECT details FROM disclosure_log WHERE action = 'alteration' AND subject_id = $1 AND actor = $2`, [
      M,
      `admin-${tag}`,
    ]);
    expect(alteration.rows[0].details).toMatchObject({ cancelled: true });

    expect((await post(api, `/v1/lines/${K}/reviews`, ['analyst'], { decision: 'retain', rationale: 'still of interest' })).status).toBe(
      201,
    );
  });

  it('retention --dry-run says what would go, by line and area, without content', async () => {
    const preview = await runCli(['retention', '--dry-run', '--now', moved], env);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain(`line ${R}: 2`);
    expect(preview.stdout).not.toContain(`line ${K}:`);
    expect(preview.stdout).toMatch(new RegExp(`area ${area}: \\d+`));
    expect((await db.query(`SELECT count(*)::int AS n FROM intel_events WHERE event_id = ANY($1)`, [idsOf(ofR)])).rows[0].n).toBe(3);
  });

  it('29 days later the job erases the held lines; killed mid-way and run again, it ends as an uninterrupted run does', async () => {
    const child = spawn(process.execPath, [cli, 'erasure', 'run', '--now', moved], { env, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await waitFor(
      async () => (await db.query(`SELECT 1 FROM erasures WHERE line_id = $1 AND finished_at IS NULL AND events > 0`, [S])).rows.length > 0,
      { what: `the erasure of ${S} under way`, intervalMs: 10, timeoutMs: 60_000 },
    );
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const cut = (await db.query(`SELECT events, finished_at FROM erasures WHERE line_id = $1`, [S])).rows[0];
    expect(cut.finished_at).toBeNull();
    expect(cut.events).toBeLessThan(30);

    const again = await runCli(['erasure', 'run', '--now', moved], env);
    expect(again.code).toBe(0);
    const countsOf = async (lineId: string) =>
      (
        await db.query(
          `SELECT events, events_unlinked, identity_facts, state_changes, alerts, deliveries, identifiers, periods, finished_at IS NOT NULL AS finished
           FROM erasures WHERE line_id = $1`,
          [lineId],
        )
      ).rows;
    const [s, t] = [await countsOf(S), await countsOf(T)];
    expect(s).toHaveLength(1);
    expect(s).toEqual(t);
    expect(s[0]).toMatchObject({ events: 30, finished: true });
    for (const lineId of [S, T, L]) {
      expect((await db.query(`SELECT count(*)::int AS n FROM intel_events WHERE line_ids @> ARRAY[$1]::text[]`, [lineId])).rows[0].n).toBe(
        0,
      );
      expect((await db.query(`SELECT count(*)::int AS n FROM line_state_periods WHERE line_id = $1`, [lineId])).rows[0].n).toBe(0);
    }
  });

  it('an erased line is not found to every read; its tombstone is shown to admins; a resend is a duplicate, never stored', async () => {
    expect(await get(`/v1/lines/${L}`, ['analyst'])).toMatchObject({ status: 404, body: { code: 'LINE_NOT_FOUND' } });
    expect((await get(`/v1/lines?area=${area}&limit=500`, ['analyst'])).body.lines.map((l: { lineId: string }) => l.lineId)).not.toContain(
      L,
    );
    expect((await dispose(L)).status).toBe(404);
    expect((await get(`/v1/reviews/due?limit=500`, ['analyst'])).body.lines.map((l: { lineId: string }) => l.lineId)).not.toContain(L);
    expect((await get(`/v1/lines/${L}/tombstone`, ['analyst'])).status).toBe(403);
    const tombstone = await get(`/v1/lines/${L}/tombstone`, ['admin']);
    expect(tombstone.status).toBe(200);
    expect(tombstone.body.tombstones[0]).toMatchObject({ events: 3, decidedBy: `analyst-${tag}` });
    expect(tombstone.body.tombstones[0].eventIds).toEqual(idsOf(ofL).sort());
    // The raid stays the other line's.
    expect((await db.query(`SELECT line_ids FROM intel_events WHERE event_id = $1`, [raid.eventId])).rows).toEqual([{ line_ids: [M] }]);
    expect((await get(`/v1/lines/${M}`, ['analyst'])).status).toBe(200);

    // Where the event stands, to the system that sent it: erased (its id kept), not "received" for ever.
    const standing = await get(`/v1/events/${ofL[0].eventId}`, ['ingest'], ingest);
    expect(standing.status).toBe(200);
    expect(standing.body).toMatchObject({ status: 'erased', stored: false, erasedAt: expect.any(String) });
    expect(standing.body.type).toBeUndefined();
    const resend = await post(ingest, '/v1/events', ['ingest'], JSON.stringify(ofL[0]), 'application/x-ndjson');
    expect(resend.body.summary).toMatchObject({ accepted: 0, duplicate: 1 });
    expect((await db.query(`SELECT count(*)::int AS n FROM intel_events WHERE event_id = $1`, [ofL[0].eventId])).rows[0].n).toBe(0);
  });

  it('writes one s.62 erasure entry per erased line, with counts, the decision and the legal basis, never the content', async () => {
    const { rows } = await db.query(`SELECT * FROM disclosure_log WHERE action = 'erasure' AND subject_id = $1`, [L]);
    expect(rows).toHaveLength(1);
    expect(rows[0].details).toMatchObject({
      kind: 'disposal',
      decidedBy: `analyst-${tag}`,
      legalBasis: expect.stringContaining('s.39'),
      counts: { events: 3, eventsUnlinked: 1 },
    });
    const text = JSON.stringify(rows[0]);
    for (const content of [secret, `Agency${tag}`, '07700 900555', '+447700900555']) expect(text).not.toContain(content);

    // The chain head was checkpointed outside the database after the erasure: its entry is covered.
    const checkpoints = readFileSync(checkpointFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { reason: string; chainSeq: string });
    const erasureCheckpoints = checkpoints.filter((c) => c.reason === 'erasure');
    expect(erasureCheckpoints.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...erasureCheckpoints.map((c) => Number(c.chainSeq)))).toBeGreaterThanOrEqual(Number(rows[0].chain_seq));
    const verified = await runCli(['audit', 'verify', '--json'], env);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ intact: true, checkpoints: { configured: true } });
  });

  it('leaves the weekly export figures as they were', async () => {
    expect(await exportFigures()).toEqual(figuresBefore);
  });

  it('retention erased the seven-year-old events of the line not marked retain, and kept the retained line’s', async () => {
    const [old1, old2, recent] = idsOf(ofR);
    const left = (await db.query(`SELECT event_id FROM intel_events WHERE event_id = ANY($1)`, [[old1, old2, recent, ...idsOf(ofK)]])).rows;
    expect(left.map((r) => r.event_id).sort()).toEqual([recent, ...idsOf(ofK)].sort());
    expect((await get(`/v1/lines/${R}`, ['analyst'])).status).toBe(200);
    const { rows } = await db.query(`SELECT details FROM disclosure_log WHERE action = 'erasure' AND subject_id = $1`, [R]);
    expect(rows.map((r) => r.details)).toEqual([expect.objectContaining({ kind: 'retention', counts: { events: 2 } })]);
    const resend = await post(ingest, '/v1/events', ['ingest'], JSON.stringify(ofR[0]), 'application/x-ndjson');
    expect(resend.body.summary).toMatchObject({ duplicate: 1 });
  });

  it('the dashboard shows a hold on the line page, and an admin cancels it there with a reason', async () => {
    if (!HAVE_CHROMIUM) {
      if (IN_CI) throw new Error(`no Chromium at ${CHROMIUM} (CI=true)`);
      console.warn(`dashboard check skipped: no Chromium at ${CHROMIUM}`);
      return;
    }
    expect((await dispose(K)).status).toBe(201);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    try {
      const page = await browser.newPage({ locale: 'en-GB', timezoneId: 'Europe/London' });
      const token = (await bearer(['admin'], [], `admin-ui-${tag}`)).replace(/^Bearer /, '');
      await page.goto(`${api.url}/#token=${token}`);
      await page.locator('.who .subject', { hasText: `admin-ui-${tag}` }).waitFor();
      await page.goto(`${api.url}/#/lines/${encodeURIComponent(K)}`);
      const hold = page.locator('.disposal-hold[data-status="held"]');
      await hold.waitFor();
      expect(await hold.textContent()).toContain(`analyst-${tag}`);
      await page.getByLabel('Reason for cancelling (recorded)').fill('operation ongoing (dashboard)');
      await page.getByRole('button', { name: 'Cancel disposal' }).click();
      await hold.waitFor({ state: 'detached' });
    } finally {
      await browser.close();
    }
    expect((await get(`/v1/lines/${K}`, ['analyst'])).body.disposal).toBeNull();
    const cancelled = await db.query(`SELECT status, cancelled_by, cancel_reason FROM line_disposals WHERE line_id = $1`, [K]);
    expect(cancelled.rows).toEqual([
      { status: 'cancelled', cancelled_by: `admin-ui-${tag}`, cancel_reason: 'operation ongoing (dashboard)' },
    ]);
  });

  it('all six s.62 kinds are written, each by the action that must write it', async () => {
    // The kinds the log takes (its CHECK constraint): the table below must name every one.
    const check = (
      await db.query(
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'disclosure_log'::regclass AND contype = 'c'`,
      )
    ).rows.find((r) => String(r.def).includes('collection'))!.def as string;
    const kinds = [...check.matchAll(/'([a-z]+)'::text/g)].map((m) => m[1]).sort();
    expect(kinds).toHaveLength(6);

    const [N, O] = ['N', 'O'].map(line);
    const newcomers = [sighting(N, ago(DAY_MS)), sighting(O, ago(DAY_MS))];
    /** Entries of this kind written since `after` by `actor` (about `subject` when given). */
    const written = async (after: number, kind: string, actor: string, subject?: string) =>
      (
        await db.query(
          `SELECT action, subject_id FROM disclosure_log WHERE entry_id > $1 AND action = $2 AND actor = $3 AND ($4::text IS NULL OR subject_id = $4)`,
          [after, kind, actor, subject ?? null],
        )
      ).rows;
    const SIX: { kind: string; by: string; act: () => Promise<unknown>; actor: string; subject?: string }[] = [
      {
        kind: 'collection',
        by: 'intake of events (ingest)',
        act: () => post(ingest, '/v1/events', ['ingest'], newcomers.map((e) => JSON.stringify(e)).join('\n'), 'application/x-ndjson'),
        actor: `ingest-${tag}`,
        subject: '2 events',
      },
      {
        kind: 'alteration',
        by: 'a MoPI review (api)',
        act: async () => {
          await waitFor(async () => (await db.query(`SELECT 1 FROM lines WHERE line_id = ANY($1)`, [[N, O]])).rows.length === 2, {
            what: 'the new lines tracked',
          });
          return post(api, `/v1/lines/${N}/reviews`, ['analyst'], { decision: 'retain', rationale: 'six kinds' });
        },
        actor: `analyst-${tag}`,
        subject: N,
      },
      {
        kind: 'consultation',
        by: 'reading a line (api)',
        act: () => get(`/v1/lines/${N}`, ['officer']),
        actor: `officer-${tag}`,
        subject: N,
      },
      { kind: 'disclosure', by: 'a weekly export download (api)', act: () => exportFigures(), actor: `analyst-${tag}` },
      {
        kind: 'combination',
        by: 'a merge, applied by the tracker',
        act: () => post(api, `/v1/lines/${O}/merges`, ['analyst'], { into: N, rationale: 'the same line, six kinds' }),
        actor: `analyst-${tag}`,
        subject: N,
      },
      {
        kind: 'erasure',
        by: 'the erasure job, at the end of a disposal hold',
        act: async () => {
          // A retain review was just taken; a dispose after it needs no cancelled hold (none is open).
          expect((await dispose(N)).status).toBe(201);
          expect((await runCli(['erasure', 'run', '--now', new Date(now + 60 * DAY_MS).toISOString()], env)).code).toBe(0);
        },
        actor: 'system:erasure-job',
        subject: N,
      },
    ];
    expect(SIX.map((k) => k.kind).sort()).toEqual(kinds);
    for (const { kind, by, act, actor, subject } of SIX) {
      const before = Number((await db.query(`SELECT coalesce(max(entry_id), 0) AS n FROM disclosure_log`)).rows[0].n);
      expect(await written(before, kind, actor, subject)).toEqual([]);
      await act();
      const rows = await waitFor(
        async () => {
          const found = await written(before, kind, actor, subject);
          return found.length > 0 ? found : undefined;
        },
        { what: `an s.62 ${kind} entry written by ${by}`, timeoutMs: 60_000 },
      );
      expect(rows[0].action).toBe(kind);
    }
    // The merged line went with the line it was merged into.
    expect((await get(`/v1/lines/${O}`, ['analyst'])).status).toBe(404);
    expect((await get(`/v1/lines/${N}`, ['analyst'])).status).toBe(404);
  });
});
