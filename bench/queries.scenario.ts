/**
 * (3) Status queries and SSE fan-out, (4) the weekly export: on a database loaded in bulk with L
 * lines and N events over five years (synthetic rows written by SQL: the pipeline's speed is
 * measured in (1); here what counts is the size of what the queries read).
 */
import { Agent, get } from 'node:http';
import Redis from 'ioredis';
import { appendLive } from '@linewatch/messaging';
import { AreaScope, Database, LineIdentityRepository, eventsOfLineHalves, type IdentityReader } from '@linewatch/persistence';
import { aStateChange, type RunningService } from '@linewatch/testing';
import { DRAMA_NUMBERS, DRAMA_PREFIXES, fictionalNumber } from './bench.numbers';
import { bearer, type BenchDatabase } from './bench.stack';
import { percentiles, type Percentiles } from './latency.scenario';

const LOAD_CHUNK = 500_000;
/** Numbers each line held over the five years (one after another, the last still held), each with a handset. */
const NUMBERS_PER_LINE = 3;
const NUMBER_DAYS = Math.floor(1826 / NUMBERS_PER_LINE);

/**
 * The fictional number line k held in its s-th interval. Lines past the pool (k ≥ 5,000 at three
 * per line) reuse numbers, rotated a slot so a reused number was held at another time: recycled.
 */
export function numberIndexOf(k: number, s: number): number {
  const cycle = Math.floor((k * NUMBERS_PER_LINE) / DRAMA_NUMBERS);
  return (k * NUMBERS_PER_LINE + ((s + cycle) % NUMBERS_PER_LINE)) % DRAMA_NUMBERS;
}

/**
 * Lines QL-000000…, each with ten alternating periods over five years, and N sightings spread over
 * them; and each line's identity (issue 17): NUMBERS_PER_LINE numbers in turn over the five years
 * and a handset with each (`line_identifiers`), the last still held.
 */
export async function loadQueryData(db: BenchDatabase, events: number, lines: number): Promise<number> {
  const started = performance.now();
  // A bulk load builds the big indexes once at the end rather than row by row.
  await db.pool.query('DROP INDEX intel_events_line_ids');
  await db.pool.query('DROP INDEX intel_events_area_time');
  await db.pool.query('DROP INDEX intel_events_first_line_time');
  await db.pool.query('DROP INDEX intel_events_other_lines');
  await db.pool.query(
    `INSERT INTO lines (line_id, state, state_since, area, areas, last_sighting_at, latest_event_at, referrals, created_at)
     SELECT 'QL-' || lpad(k::text, 6, '0'), 'active', now() - interval '10 days',
            (ARRAY['bath','keynsham','saltford','midsomer-norton','radstock','paulton','peasedown-st-john','chew-valley'])[k % 8 + 1],
            ARRAY[(ARRAY['bath','keynsham','saltford','midsomer-norton','radstock','paulton','peasedown-st-john','chew-valley'])[k % 8 + 1]],
            now() - interval '10 days', now() - interval '10 days', 0, now() - interval '5 years'
     FROM generate_series(0, $1 - 1) k`,
    [lines],
  );
  await db.pool.query(
    `INSERT INTO line_state_periods (line_id, seq, state, valid_from, valid_to, transition, cause_event_id, closure_type)
     SELECT 'QL-' || lpad(k::text, 6, '0'), s,
            CASE WHEN s % 2 = 0 THEN 'active' ELSE 'dormant' END,
            now() - interval '5 years' + (s * interval '182 days'),
            CASE WHEN s = 9 THEN NULL ELSE now() - interval '5 years' + ((s + 1) * interval '182 days') END,
            CASE WHEN s = 0 THEN 'new' WHEN s % 2 = 0 THEN 'reactivated' ELSE 'went_dormant' END,
            NULL, NULL
     FROM generate_series(0, $1 - 1) k, generate_series(0, 9) s`,
    [lines],
  );
  for (let from = 0; from < events; from += LOAD_CHUNK) {
    const to = Math.min(events, from + LOAD_CHUNK);
    await db.pool.query(
      `WITH e AS (
         SELECT gen_random_uuid() AS event_id, i,
                now() - interval '5 years' + (i::double precision / $3) * interval '1826 days' AS at,
                'QL-' || lpad((i % $4)::text, 6, '0') AS line_id,
                (ARRAY['bath','keynsham','saltford','midsomer-norton','radstock','paulton','peasedown-st-john','chew-valley'])[(i % $4) % 8 + 1] AS area,
                CASE WHEN i % 40 = 0 THEN 'enforcement.raid' ELSE 'line.sighting' END AS type
         FROM generate_series($1::bigint, $2::bigint - 1) i
       ), ids AS (
         INSERT INTO intel_event_ids (event_id, occurred_at) SELECT event_id, at FROM e
       )
       INSERT INTO intel_events (event_id, occurred_at, reported_at, type, area, line_ids, grading, source, payload, kafka_partition, kafka_offset)
       SELECT event_id, at, NULL, type, area, ARRAY[line_id],
              '{"system":"3x5x2","source":"2","intelligence":"B","handling":"P"}'::jsonb,
              '{"system":"bench","reference":"bulk"}'::jsonb,
              jsonb_build_object('eventId', event_id, 'type', type, 'occurredAt', at, 'area', area,
                'grading', '{"system":"3x5x2","source":"2","intelligence":"B","handling":"P"}'::jsonb,
                'source', '{"system":"bench","reference":"bulk"}'::jsonb,
                'lineId', line_id, 'body', jsonb_build_object('kind', 'call_data', 'brand', 'Brand' || (i % 97), 'msisdn', '07700 900123')),
              0, i
       FROM e`,
      [from, to, events, lines],
    );
    console.error(`bench: loaded ${to} of ${events} events (${Math.round((performance.now() - started) / 1000)} s)`);
  }
  await db.pool.query(
    `INSERT INTO line_identifiers (line_id, seq, kind, value, valid_from, valid_to, started_by, ended_by, disclosable)
     SELECT 'QL-' || lpad(k::text, 6, '0'), s + CASE WHEN kind = 'msisdn' THEN 0 ELSE $2::int END, kind,
            CASE WHEN kind = 'msisdn'
                 THEN ($3::text[])[j / 1000 + 1] || lpad((j % 1000)::text, 3, '0')
                 ELSE '35000000' || lpad((k * $2::int + s)::text, 7, '0') END,
            now() - interval '5 years' + s * $4::int * interval '1 day',
            CASE WHEN s = $2::int - 1 THEN NULL ELSE now() - interval '5 years' + (s + 1) * $4::int * interval '1 day' END,
            gen_random_uuid(), CASE WHEN s = $2::int - 1 THEN NULL ELSE gen_random_uuid() END, true
     FROM generate_series(0, $1::int - 1) k, generate_series(0, $2::int - 1) s, unnest(ARRAY['msisdn', 'imei']) kind,
          LATERAL (SELECT (k * $2::int + ((s + (k * $2::int) / $5::int) % $2::int)) % $5::int AS j) n`,
    [lines, NUMBERS_PER_LINE, [...DRAMA_PREFIXES], NUMBER_DAYS, DRAMA_NUMBERS],
  );
  await db.pool.query('CREATE INDEX intel_events_area_time ON intel_events (area, occurred_at DESC)');
  await db.pool.query('CREATE INDEX intel_events_line_ids ON intel_events USING gin (line_ids)');
  // As migration 0055 makes them (the read of a line's most recent events).
  await db.pool.query('CREATE INDEX intel_events_first_line_time ON intel_events ((line_ids[1]), occurred_at DESC)');
  await db.pool.query('CREATE INDEX intel_events_other_lines ON intel_events USING gin (line_ids) WHERE cardinality(line_ids) > 1');
  // A database in service has its pages written out and its rows' visibility settled: measuring
  // right after writing gigabytes would time the checkpointer's flush and the first reads'
  // hint-bit writes of the fresh rows, not the queries (each read here is then what it is in
  // steady state, index-only scans included).
  await db.pool.query('VACUUM (ANALYZE)');
  await db.pool.query('CHECKPOINT');
  return (performance.now() - started) / 1000;
}

/**
 * One keep-alive connection for the timed reads, through node:http: the client shares the two cores
 * with the api and the database, and `fetch` (undici, WHATWG streams) cost enough there to add its
 * own tail to what was measured (docs/benchmarks.md, "Session 13").
 */
const KEEP_ALIVE = new Agent({ keepAlive: true, maxSockets: 1 });

/** GET `url`, the whole body read; its status. */
function getStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: KEEP_ALIVE, headers }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** `requests` reads over HTTP (the i-th from `urlOf(i)`), after ten that warm up; each must answer 2xx. */
async function timed(urlOf: (i: number) => string, authorization: string, requests: number): Promise<Percentiles> {
  const times: number[] = [];
  for (let i = 0; i < requests + 10; i += 1) {
    const url = urlOf(i);
    const started = performance.now();
    const status = await getStatus(url, { authorization, 'x-justification': 'benchmark' });
    if (status < 200 || status > 299) throw new Error(`${url}: ${status}`);
    if (i >= 10) times.push(performance.now() - started);
  }
  return percentiles(times);
}

export interface LookupResults {
  /** Rows in `line_identifiers` (numbers and handsets). */
  readonly intervals: number;
  readonly analyst: Percentiles;
  readonly officer: Percentiles;
  readonly attribute: Percentiles;
  /** GET /v1/identifiers?msisdn=… over HTTP: token check, the same read and its s.62 entry (issue 20's bar). */
  readonly overHttp: { readonly analyst: Percentiles; readonly officer: Percentiles };
}

export interface QueryResults {
  readonly linesInArea: Percentiles;
  readonly timelineOfLine: Percentiles;
  /**
   * "Lookup by number" (issue 17): over HTTP (GET /v1/identifiers, as the other status queries) and,
   * to show where the time goes, on the repository the route calls (`LineIdentityRepository.lookup`).
   */
  readonly lookup: LookupResults;
  /** Parts of "timeline of line Y" timed straight on the database (no HTTP, no token), same lines. */
  readonly parts: { readonly recentEvents: Percentiles; readonly consultationAppend: Percentiles };
}

/** Each statement run once per line id, in turn; the first ten warm up. */
async function timedSql(
  db: BenchDatabase,
  ids: readonly string[],
  sql: string,
  params: (id: string, i: number) => unknown[],
): Promise<Percentiles> {
  const times: number[] = [];
  for (let i = 0; i < ids.length; i += 1) {
    const started = performance.now();
    await db.pool.query(sql, params(ids[i], i));
    if (i >= 10) times.push(performance.now() - started);
  }
  return percentiles(times);
}

export async function runStatusQueries(api: RunningService, db: BenchDatabase, lines: number, requests: number): Promise<QueryResults> {
  const analyst = await bearer(['analyst'], [], 'bench-analyst');
  const officer = await bearer(['officer'], ['bath'], 'bench-officer');
  const linesInArea = await timed(() => `${api.url}/v1/lines?area=bath&state=active&limit=100`, officer, requests);
  const ids = Array.from({ length: requests + 10 }, (_, i) => `QL-${String((i * 7919) % lines).padStart(6, '0')}`);
  const timelineOfLine = await timed((i) => `${api.url}/v1/lines/${ids[i]}`, analyst, requests);
  // Where the time of "timeline of line Y" goes: its heaviest read (the 100 most recent of ~1,000
  // events) and the s.62 consultation entry (hash-chained: appended under the log's lock).
  const [first, other] = eventsOfLineHalves('$1');
  const recentEvents = await timedSql(
    db,
    ids,
    // LineQueriesRepository.recentEvents' statement (migration 0055's two indexes).
    `SELECT payload FROM (
       (SELECT payload, occurred_at FROM intel_events WHERE ${first} ORDER BY occurred_at DESC LIMIT 100)
       UNION ALL
       (SELECT payload, occurred_at FROM intel_events WHERE ${other} ORDER BY occurred_at DESC LIMIT 100)
     ) recent ORDER BY occurred_at DESC LIMIT 100`,
    (id) => [id],
  );
  const consultationAppend = await timedSql(
    db,
    ids,
    `INSERT INTO disclosure_log (at, actor, action, subject_type, subject_id, recipient, channel, justification, details)
     VALUES (now(), 'bench-parts', 'consultation', 'line', $1, NULL, NULL, 'benchmark', '{}'::jsonb)`,
    (id) => [id],
  );
  const lookup = await timeLookups(db, ids, api, { analyst, officer });
  return { linesInArea, timelineOfLine, lookup, parts: { recentEvents, consultationAppend } };
}

/**
 * The repository's lookup and attribution reads, straight on the database through the service's
 * own seam (`Database`, TypeORM's pool), for the numbers the same lines held: an analyst (every
 * line, handling C seen), an officer of Bath (scoped, disclosable identifiers only), and "which
 * line held it at t" (`attribute`, what intake runs per identifier).
 */
async function timeLookups(
  db: BenchDatabase,
  ids: readonly string[],
  api: RunningService,
  bearers: { readonly analyst: string; readonly officer: string },
): Promise<LookupResults> {
  const database = await Database.open(
    { url: db.url, embedded: false, ssl: false, poolMax: 2, statementTimeoutMs: 60_000 },
    'linewatch-bench-lookup',
  );
  const repository = new LineIdentityRepository();
  const analyst: IdentityReader = { scope: AreaScope.of({ roles: ['analyst'], areas: [] }), seesHandlingC: true };
  const officer: IdentityReader = { scope: AreaScope.of({ roles: ['officer'], areas: ['bath'] }), seesHandlingC: false };
  const numbers = ids.map((id, i) => fictionalNumber(numberIndexOf(Number(id.slice(3)), i % NUMBERS_PER_LINE)));
  const time = async (work: (value: string, i: number) => Promise<unknown>): Promise<Percentiles> => {
    const times: number[] = [];
    for (let i = 0; i < numbers.length; i += 1) {
      const started = performance.now();
      await work(numbers[i], i);
      if (i >= 10) times.push(performance.now() - started); // the first ten warm up
    }
    return percentiles(times);
  };
  try {
    const found = await database.autocommit((q) => repository.lookup(q, { kind: 'msisdn', value: numbers[0] }, analyst));
    if (found.length === 0) throw new Error(`lookup of ${numbers[0]}: no line (the bulk load wrote no intervals?)`);
    const byAnalyst = await time((value) => database.autocommit((q) => repository.lookup(q, { kind: 'msisdn', value }, analyst)));
    const byOfficer = await time((value) => database.autocommit((q) => repository.lookup(q, { kind: 'msisdn', value }, officer)));
    const now = Date.now();
    const attribute = await time((value, i) =>
      database.autocommit((q) => repository.attribute(q, { kind: 'msisdn', value }, new Date(now - (i % 1800) * 86_400_000))),
    );
    // The same numbers over HTTP, in turn.
    const lookupUrl = (i: number) => `${api.url}/v1/identifiers?msisdn=${encodeURIComponent(numbers[i])}`;
    const httpAnalyst = await timed(lookupUrl, bearers.analyst, numbers.length - 10);
    const httpOfficer = await timed(lookupUrl, bearers.officer, numbers.length - 10);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM line_identifiers');
    return {
      intervals: rows[0].n,
      analyst: byAnalyst,
      officer: byOfficer,
      attribute,
      overHttp: { analyst: httpAnalyst, officer: httpOfficer },
    };
  } finally {
    await database.close();
  }
}

/** 500 clients on the stream; each change appended as the tracker does; time to reach every client. */
export async function runSseFanOut(
  api: RunningService,
  redisUrl: string,
  prefix: string,
  clients: number,
  changes: number,
): Promise<Percentiles> {
  const authorization = await bearer(['analyst'], [], 'bench-sse');
  const received: number[] = [];
  const aborts: AbortController[] = [];
  let connected = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const abort = new AbortController();
      aborts.push(abort);
      const response = await fetch(`${api.url}/v1/stream`, { headers: { authorization }, signal: abort.signal });
      connected += 1;
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      void (async () => {
        for (;;) {
          const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (done || !value) return;
          const now = Date.now();
          for (const match of decoder.decode(value, { stream: true }).matchAll(/"detectedAt":"([^"]+)"/g))
            received.push(now - Date.parse(match[1]));
        }
      })();
    }),
  );
  if (connected !== clients) throw new Error(`only ${connected} of ${clients} clients connected`);
  const redis = new Redis(redisUrl);
  try {
    for (let n = 0; n < changes; n += 1) {
      // A state change as the tracker appends it; its detectedAt is when it was sent.
      const data = aStateChange({ lineId: `SSE-${n}`, area: 'bath', areas: ['bath'], detectedAt: new Date().toISOString() });
      await appendLive(redis, prefix, [{ type: 'state-change', areas: data.areas, data }]);
      await new Promise((r) => setTimeout(r, 200));
    }
    const deadline = Date.now() + 30_000;
    while (received.length < clients * changes && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (received.length < clients * changes) throw new Error(`${received.length} of ${clients * changes} deliveries`);
  } finally {
    redis.disconnect();
    aborts.forEach((a) => a.abort());
  }
  return percentiles(received);
}

export interface ExportResults {
  readonly coldMs: number;
  readonly warmMs: Percentiles;
  readonly rawMs: number;
  readonly speedup: number;
  readonly rows: number;
}

/** The export through the api (aggregates), first after the load (refreshing everything), then warm; vs the same figures from raw rows. */
export async function runExport(api: RunningService, db: BenchDatabase, repeats: number): Promise<ExportResults> {
  const authorization = await bearer(['analyst'], [], 'bench-export');
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 5 * 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const url = `${api.url}/v1/exports/weekly?from=${from}&to=${to}&format=json`;
  // node:http, not fetch: the first export after a bulk load may take minutes (fetch gives up after 300 s).
  const once = () =>
    new Promise<{ ms: number; rows: number }>((resolve, reject) => {
      const started = performance.now();
      const request = get(url, { headers: { authorization, 'x-justification': 'benchmark' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200) return reject(new Error(`export: ${response.statusCode} ${text.slice(0, 300)}`));
          resolve({ ms: performance.now() - started, rows: (JSON.parse(text) as { rows: unknown[] }).rows.length });
        });
      });
      request.on('error', reject);
    });
  const cold = await once();
  const warm: number[] = [];
  for (let i = 0; i < repeats; i += 1) warm.push((await once()).ms);
  // The same figures straight from the rows: event counts by area and London week, and lines
  // active in each week from their periods.
  const started = performance.now();
  await db.pool.query(
    `SELECT area, date_trunc('week', occurred_at, 'Europe/London') AS week,
            count(*) FILTER (WHERE type = 'enforcement.raid') AS raids,
            count(*) FILTER (WHERE type = 'enforcement.arrest') AS arrests,
            count(*) FILTER (WHERE type = 'enforcement.seizure') AS seizures,
            count(*) FILTER (WHERE type = 'safeguarding.referral') AS referrals
     FROM intel_events WHERE occurred_at >= $1::date GROUP BY 1, 2`,
    [from],
  );
  await db.pool.query(
    `WITH weeks AS (
       SELECT w AS week_start, w + interval '1 week' AS week_end
       FROM generate_series(date_trunc('week', $1::timestamptz, 'Europe/London'), now(), interval '1 week') w
     )
     SELECT l.area, weeks.week_start, count(DISTINCT p.line_id) AS lines_active
     FROM weeks JOIN line_state_periods p ON p.state = 'active' AND p.valid_from < weeks.week_end AND (p.valid_to IS NULL OR p.valid_to > weeks.week_start)
     JOIN lines l ON l.line_id = p.line_id
     GROUP BY 1, 2`,
    [from],
  );
  const rawMs = performance.now() - started;
  const warmP = percentiles(warm);
  return {
    coldMs: Math.round(cold.ms),
    warmMs: warmP,
    rawMs: Math.round(rawMs),
    speedup: Math.round((rawMs / warmP.p50) * 10) / 10,
    rows: cold.rows,
  };
}
