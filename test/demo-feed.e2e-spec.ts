/**
 * `linewatch demo-feed --post` (what `npm run start:demo` runs) through the real ingest, broker and
 * tracker (issue 17, item 8): the reports naming their lines by id go first; the reports naming a
 * line by number only go once the tracker has applied the report that first named each number, so
 * ingest attributes them to the line holding the number (never `new`); the analysts' merges go to
 * the input topic and are applied; each merged replacement was first suggested to analysts.
 *
 * The feed's line ids are DEMO-0001… whatever the seed (test/intake replays another seed's), so
 * what is checked is what no other suite's demo lines can change: the reports and decisions of this
 * feed, by eventId.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { defaultAreasFile, loadAreas } from '@linewatch/config';
import { normalisePhoneNumber, topicNames, type IntelEventV1 } from '@linewatch/contracts';
import { generateDemoFeed, isByNumber, isLinkDecision, type DemoFeedEvent } from '@linewatch/demo-feed';
import {
  DAY_MS,
  isolatedTopics,
  runCli,
  serviceEnv,
  startService,
  testDatabaseConfig,
  waitFor,
  type RunningService,
} from '@linewatch/testing';

const BASE_PORT = 29710;
const SEED = 1;
const LINES = 40;
/** The lines a report names (by id; one named by number only is its story's line, named before by id). */
const linesOf = (event: DemoFeedEvent): string[] =>
  'lineIds' in event && Array.isArray(event.lineIds)
    ? event.lineIds
    : 'lineId' in event && typeof event.lineId === 'string'
      ? [event.lineId]
      : [];
/** Reports older than this go as a history import (what `npm run start:demo` does with its last 3 days live). */
const HISTORY_DAYS = 30;

describe('demo feed posted with the CLI', () => {
  const services: RunningService[] = [];
  let ingest: RunningService;
  let env: NodeJS.ProcessEnv;
  let db: Pool;
  // Six months up to yesterday, as `npm run start:demo` posts (to yesterday so the test's copy is the CLI's, event for event).
  const from = new Date(Date.now() - 180 * DAY_MS).toISOString().slice(0, 10);
  const to = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
  let feed: DemoFeedEvent[];

  beforeAll(async () => {
    const isolated = await isolatedTopics('demo-feed');
    env = serviceEnv('timescale', { KAFKA_TOPIC_PREFIX: isolated.prefix, TRACKER_GROUP_ID: `e2e-demo-feed-${randomUUID()}` });
    ingest = await startService('ingest', env, BASE_PORT + 1);
    services.push(ingest, await startService('tracker', env, BASE_PORT + 3));
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
    const areas = loadAreas(env.AREAS_FILE || defaultAreasFile()).areas.map((area) => area.code);
    feed = [...generateDemoFeed({ seed: SEED, lines: LINES, from: new Date(`${from}T00:00:00Z`), to: new Date(`${to}T23:59:59Z`), areas })];
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.end();
  });

  it('posts the reports by id, then those by number once their lines are applied, then the merges; each lands where the story says', async () => {
    const decisions = feed.filter(isLinkDecision);
    const byNumber = feed.filter(isByNumber);
    const reports = feed.filter((event) => !isLinkDecision(event));
    expect(byNumber.length).toBeGreaterThan(5);

    const run = await runCli(
      [
        'demo-feed',
        '--post',
        '--seed',
        String(SEED),
        '--lines',
        String(LINES),
        '--from',
        from,
        '--to',
        to,
        '--url',
        ingest.url,
        '--history-days',
        String(HISTORY_DAYS),
      ],
      env,
    );
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.not.stringContaining('demo-feed:') });
    // Up to four uploads (by id: history, live; by number: history, live), every report accepted once.
    const uploads = [...run.stdout.matchAll(/replay: (\d+) accepted, 0 duplicate, 0 rejected/g)].map((m) => Number(m[1]));
    expect(uploads.length).toBeGreaterThanOrEqual(3);
    expect(uploads.reduce((a, b) => a + b, 0)).toBe(reports.length);
    expect(decisions.length === 0 || run.stdout.includes(`demo-feed: ${decisions.length} analyst decision(s) (merges) published`)).toBe(
      true,
    );

    const stored = await waitFor(
      async () => {
        const { rows } = await db.query('SELECT event_id, payload FROM intel_events WHERE event_id = ANY($1::uuid[])', [
          reports.map((e) => e.eventId),
        ]);
        return rows.length === reports.length ? new Map(rows.map((r) => [r.event_id as string, r.payload as IntelEventV1])) : undefined;
      },
      { what: `all ${reports.length} demo reports stored`, timeoutMs: 120_000 },
    );

    // Each report by number went to a line that held its number (held, or held before/after), not to a new line; to THE line
    // of the story whenever only that line ever named the number (another suite's DEMO lines may name it too).
    const namedBy = new Map<string, Set<string>>();
    for (const event of reports) {
      if (!('lineId' in event) || event.lineId === undefined) continue;
      const body = event.body as { msisdn?: string; newMsisdn?: string };
      for (const written of [body.msisdn, body.newMsisdn]) {
        const number = written === undefined ? null : normalisePhoneNumber(written);
        if (number !== null) namedBy.set(number, (namedBy.get(number) ?? new Set()).add(event.lineId));
      }
    }
    const landed = byNumber.map((report) => {
      const payload = stored.get(report.eventId) as { lineId?: string; line?: { msisdn?: string; resolution: { how: string } } };
      const number = payload.line?.msisdn ?? '';
      return {
        eventId: report.eventId,
        lineId: payload.lineId,
        how: payload.line?.resolution.how,
        story: [...(namedBy.get(number) ?? [])],
        number,
      };
    });
    expect(landed.filter((r) => r.how === undefined || !['held', 'held_before', 'held_after'].includes(r.how))).toEqual([]);
    expect(landed.filter((r) => r.story.length !== 1)).toEqual([]);
    const { rows: otherNamers } = await db.query(
      `SELECT DISTINCT payload->'body'->>'msisdn' AS a, payload->'body'->>'newMsisdn' AS b, line_ids FROM intel_events
       WHERE event_id <> ALL($1::uuid[]) AND line_ids && $2::text[]`,
      [reports.map((e) => e.eventId), [...new Set(landed.map((r) => r.story[0]))]],
    );
    // Other suites' lines may hold the same fictional numbers (demoFeedSample keeps the generator's numbers
    // under other line ids): a number another line held is not the story's alone either.
    const { rows: otherHolders } = await db.query(
      `SELECT DISTINCT value FROM line_identifiers WHERE kind = 'msisdn' AND value = ANY($1::text[]) AND line_id <> ALL($2::text[])`,
      [[...new Set(landed.map((r) => r.number))], [...new Set(landed.flatMap((r) => r.story))]],
    );
    const sharedElsewhere = new Set([
      ...otherNamers
        .flatMap((r) => [r.a, r.b])
        .flatMap((written: string | null) => (written === null ? [] : [normalisePhoneNumber(written)])),
      ...otherHolders.map((r) => r.value as string),
    ]);
    expect(landed.filter((r) => !sharedElsewhere.has(r.number) && r.lineId !== r.story[0])).toEqual([]);

    // Issue 18: what the old reports changed is recorded but held (never pushed); recent reports' changes are pushed.
    const changes = await waitFor(
      async () => {
        const { rows } = await db.query(`SELECT payload FROM line_state_changes_outbox WHERE topic = $1`, [
          topicNames(env.KAFKA_TOPIC_PREFIX).lineStateChanges,
        ]);
        return rows.length > 0 ? rows.map((r) => r.payload as { lineId: string; pushed?: boolean; heldReason?: string }) : undefined;
      },
      { what: 'state changes in the outbox' },
    );
    // A line all of whose reports are old (and that no analyst's decision touched) was told nothing;
    // a line with recent reports was (a slice mixing its old and recent reports pushes its change).
    const newest = new Map<string, number>();
    for (const event of reports) {
      // A report by number counts for every line that named its number.
      const byItsNumber = [
        ...(namedBy.get(normalisePhoneNumber((event as { line?: { msisdn?: string } }).line?.msisdn ?? '') ?? '') ?? []),
      ];
      for (const lineId of [...linesOf(event), ...byItsNumber])
        newest.set(lineId, Math.max(newest.get(lineId) ?? 0, new Date(event.occurredAt).getTime()));
    }
    const decided = new Set(decisions.flatMap((d) => [d.lineId, (d.body as { into: string }).into]));
    const oldOnly = [...newest]
      .filter(([lineId, at]) => !decided.has(lineId) && at < Date.now() - (HISTORY_DAYS + 1) * DAY_MS)
      .map(([id]) => id);
    expect(oldOnly.length).toBeGreaterThan(3);
    expect(changes.filter((c) => oldOnly.includes(c.lineId) && c.pushed !== false)).toEqual([]);
    expect(changes.filter((c) => oldOnly.includes(c.lineId)).length).toBeGreaterThan(0);
    expect(changes.some((c) => !oldOnly.includes(c.lineId) && c.pushed !== false)).toBe(true);

    // Each merge applied (the replacement an alias of the raided line), and the replacement had been suggested to analysts.
    for (const merge of decisions) {
      const into = (merge.body as { into: string }).into;
      await waitFor(
        async () => {
          const { rows } = await db.query('SELECT 1 FROM line_link_decisions WHERE event_id = $1', [merge.eventId]);
          return rows.length === 1 || undefined;
        },
        { what: `the merge of ${merge.lineId} into ${into} applied`, timeoutMs: 60_000 },
      );
      const { rows: suggested } = await db.query('SELECT 1 FROM line_replacement_suggestions WHERE line_id = $1 AND replaces = $2', [
        merge.lineId,
        into,
      ]);
      expect({ merge: merge.lineId, into, suggested: suggested.length }).toEqual({ merge: merge.lineId, into, suggested: 1 });
    }
  });
});
