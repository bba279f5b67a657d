/**
 * (1) Ingest throughput and (6) memory: a backlog of N events across L lines is produced to
 * `intel.events.v1` as ingest would (key = lineId), then the tracker (with alerter, api and ingest
 * running beside it) works through it: stored → line states updated → state changes in the outbox
 * and published. Baselines in the same run on the same messages and rows: (a) a bare kafkajs
 * consumer doing nothing, (b) a batched INSERT … SELECT FROM unnest … ON CONFLICT DO NOTHING.
 *
 * With `byNumber` (the `by-number` scenario, issue 17) about that share of the backlog names its
 * line by number only (`line: { msisdn }`, no `lineId`), as a direct producer that knows only the
 * number sends it (keyed by the number): the tracker resolves each such event against the stored
 * intervals (`LineIdentityRepository.attribute`) before storing it — the same rule ingest applies.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IntelEventInput } from '@linewatch/contracts';
import { Kafka, logLevel } from 'kafkajs';
import type { BenchStack } from './bench.stack';
import { benchLineIdentity } from './bench.numbers';

const AREAS = ['bath', 'keynsham', 'saltford', 'midsomer-norton', 'radstock', 'paulton', 'peasedown-st-john', 'chew-valley'];
const DAY = 24 * 60 * 60 * 1000;
const PRODUCE_CHUNK = 5_000;
const INSERT_BATCH = 1_000;

/** One event of the backlog: what is produced, its Kafka key, and the line it belongs to (for the baseline's row). */
export interface BenchEvent {
  readonly event: IntelEventInput | Record<string, unknown>;
  readonly key: string;
  readonly lineId: string;
  readonly byNumber: boolean;
}

/**
 * The events of the run, in order: line k gets every L-th event; its times rise (27 days back up
 * to ten minutes ago); the 25th of every 50 events of a line is a raid on it (disrupted), the next sighting
 * makes it resurface — so the run raises state changes and alerts as a real flow would, and every
 * line ends active (the latency scenario's background sightings then change nothing). Each line's
 * sightings name its own (fictional) number.
 *
 * `byNumber` (0–1): about that share of all events are sightings naming the line by number only.
 * They start after the first quarter of each line's events, so that (as in a live flow) the number
 * is usually stored on its line before a report names the line by it; the tracker resolves against
 * what is stored when it consumes the event, so one consumed in the same slice as the line's first
 * events, or before them on another partition, goes to a new line (`new`): the run counts how each
 * was resolved.
 */
export function* benchEvents(count: number, lines: number, byNumber = 0): Generator<BenchEvent> {
  // A live flow: everything within the last 27 days, so no line is due dormant while the backlog
  // is worked through. (A backlog of old records is another case: a slice then materialises the
  // dormancy the next slice's events precede, and every slice recomputes — docs/benchmarks.md.)
  const start = Date.now() - 27 * DAY;
  const perLine = Math.ceil(count / lines);
  const step = Math.floor((27 * DAY - 10 * 60_000) / perLine);
  const firstByNumber = Math.ceil(perLine / 4);
  // Of the sightings from the second quarter on (~3/4 of the events), this share names the line by number.
  const percent = Math.min(100, Math.round((byNumber / ((perLine - firstByNumber) / perLine) / 0.98) * 100));
  for (let i = 0; i < count; i += 1) {
    const k = i % lines;
    const n = Math.floor(i / lines);
    const lineId = `BL-${String(k).padStart(6, '0')}`;
    const { msisdn, brand } = benchLineIdentity(k);
    const base = {
      eventId: randomUUID(),
      occurredAt: new Date(start + n * step + k).toISOString(),
      area: AREAS[k % AREAS.length],
      grading: { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' },
      source: { system: 'bench', reference: `B-${i}` },
    };
    if (n % 50 === 24) {
      yield {
        event: {
          ...base,
          type: 'enforcement.raid',
          lineIds: [lineId],
          body: { place: { description: 'flat (fictional)' }, warrant: `W-${i}` },
        },
        key: lineId,
        lineId,
        byNumber: false,
      };
    } else if (n >= firstByNumber && (n * 37 + k * 11) % 100 < percent) {
      // A direct producer knows the number, not the line: keyed by the number (docs/events.md).
      yield {
        event: { ...base, type: 'line.sighting', line: { msisdn }, body: { kind: 'call_data', brand } },
        key: msisdn,
        lineId,
        byNumber: true,
      };
    } else {
      yield {
        event: { ...base, type: 'line.sighting', lineId, body: { kind: 'call_data', brand, msisdn } },
        key: lineId,
        lineId,
        byNumber: false,
      };
    }
  }
}

/** How the tracker resolved the events named by number (issue 17). */
export interface ByNumberResult {
  readonly events: number;
  readonly share: number;
  /** Count per `resolution.how` as stored. */
  readonly how: Readonly<Record<string, number>>;
  /** Resolved to the line whose number it named (not a new line derived from the number). */
  readonly onOwnLine: number;
}

export interface Rss {
  readonly atTenPercentMb: number;
  readonly atEndMb: number;
  readonly peakMb: number;
}

export interface ThroughputResult {
  readonly events: number;
  readonly lines: number;
  readonly produceSeconds: number;
  readonly rawConsume: { readonly seconds: number; readonly perSecond: number };
  readonly batchedInsert: { readonly seconds: number; readonly perSecond: number };
  readonly pipeline: { readonly seconds: number; readonly perSecond: number; readonly stateChanges: number };
  readonly ratio: number;
  readonly rss: Record<string, Rss>;
  readonly byNumber?: ByNumberResult;
}

export function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** Tracker settings to try from the command line (BENCH_TRACKER_ENV="TRACKER_MAX_BATCH=2000 …"). */
function trackerEnv(): Record<string, string> {
  return Object.fromEntries(
    (process.env.BENCH_TRACKER_ENV ?? '')
      .split(' ')
      .filter(Boolean)
      .map((kv) => kv.split('=') as [string, string]),
  );
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

async function produce(
  stack: BenchStack,
  count: number,
  lines: number,
  byNumber: number,
): Promise<{ rows: BenchEvent[]; seconds: number; byNumber: number }> {
  const rows: BenchEvent[] = [];
  const started = process.hrtime.bigint();
  let chunk: BenchEvent[] = [];
  let named = 0;
  const flush = async () => {
    await stack.producer.publish(
      stack.topics.intelEvents,
      chunk.map(({ event, key }) => ({ key, value: JSON.stringify(event) })),
    );
    chunk = [];
  };
  for (const event of benchEvents(count, lines, byNumber)) {
    if (event.byNumber) named += 1;
    rows.push(event);
    chunk.push(event);
    if (chunk.length >= PRODUCE_CHUNK) await flush();
  }
  if (chunk.length > 0) await flush();
  return { rows, seconds: seconds(started), byNumber: named };
}

/**
 * A kafkajs client of the bench's own: the baseline measures the bare client, which is why this is
 * the one file outside libs/messaging allowed to name kafkajs (.dependency-cruiser.cjs).
 */
function bareKafka(stack: BenchStack): Kafka {
  return new Kafka({ clientId: 'linewatch-bench', brokers: [...stack.kafka.brokers], logLevel: logLevel.WARN });
}

async function rawConsume(stack: BenchStack, count: number) {
  const kafka = bareKafka(stack);
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [stack.topics.intelEvents], fromBeginning: true });
  let seen = 0;
  const started = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        if (seen >= count) resolve();
      },
    });
  });
  const took = seconds(started);
  await consumer.disconnect();
  return { seconds: took, perSecond: Math.round(count / took) };
}

async function batchedInsert(stack: BenchStack, rows: readonly BenchEvent[]) {
  const client = await stack.db.pool.connect();
  try {
    await client.query(`CREATE TABLE bench_baseline_events (LIKE intel_events INCLUDING ALL)`);
    // Each timed phase starts from a checkpoint: without one the pipeline, timed next, started with
    // the baseline's WAL (about max_wal_size) behind it and met a checkpoint early on, the baseline
    // with whatever came before it (docs/benchmarks.md, "Session 13").
    await client.query('CHECKPOINT');
    const started = process.hrtime.bigint();
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      // The row as stored: every event under its line (one named by number under the line it resolves to).
      const chunk = rows.slice(i, i + INSERT_BATCH).map(({ event, lineId }): Record<string, unknown> => ({ ...event, lineId }));
      await client.query(
        `INSERT INTO bench_baseline_events (event_id, occurred_at, reported_at, type, area, line_ids, grading, source, payload, kafka_partition, kafka_offset)
         SELECT u.event_id, u.occurred_at, NULL, u.type, u.area, ARRAY[u.line_id], u.grading, u.source, u.payload, 0, u.n
         FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::jsonb[], $9::bigint[])
           AS u(event_id, occurred_at, type, area, line_id, grading, source, payload, n)
         ON CONFLICT DO NOTHING`,
        [
          chunk.map((r) => r.eventId),
          chunk.map((r) => r.occurredAt),
          chunk.map((r) => r.type),
          chunk.map((r) => r.area),
          chunk.map((r) => r.lineId),
          chunk.map((r) => JSON.stringify(r.grading)),
          chunk.map((r) => JSON.stringify(r.source)),
          chunk.map((r) => JSON.stringify(r)),
          chunk.map((_, j) => i + j),
        ],
      );
    }
    const took = seconds(started);
    await client.query(`DROP TABLE bench_baseline_events`);
    await client.query('CHECKPOINT');
    return { seconds: took, perSecond: Math.round(rows.length / took) };
  } finally {
    client.release();
  }
}

export async function runThroughput(
  stack: BenchStack,
  count: number,
  lines: number,
  ports: { base: number },
  byNumber = 0,
): Promise<ThroughputResult> {
  const produced = await produce(stack, count, lines, byNumber);
  console.error(`bench: produced ${count} events (${produced.byNumber} naming the line by number) in ${produced.seconds.toFixed(1)} s`);
  const raw = await rawConsume(stack, count);
  console.error(`bench: raw consume ${raw.perSecond}/s`);
  const insert = await batchedInsert(stack, produced.rows);
  console.error(`bench: batched insert ${insert.perSecond}/s`);
  produced.rows.length = 0;

  if (process.env.BENCH_EXPERIMENT_NO_TRIGGERS) {
    // An experiment only (what the weekly-figure triggers cost the write path), never a reported figure.
    await stack.db.pool.query('ALTER TABLE line_state_periods DISABLE TRIGGER USER');
    await stack.db.pool.query('ALTER TABLE intel_events DISABLE TRIGGER USER');
  }
  // The others first: the clock runs from the tracker's start (its boot, ~3 s, is counted).
  const others = await Promise.all([
    stack.start('alerter', ports.base + 2),
    stack.start('api', ports.base),
    stack.start('ingest', ports.base + 1),
  ]);
  const started = process.hrtime.bigint();
  // BENCH_PROFILE_DIR: a CPU profile of the tracker; BENCH_TRACKER_NODE_ARGS: node flags of its own
  // (e.g. --max-old-space-size=128: is its memory flat when V8 may not grow the heap lazily?).
  const trackerNodeArgs = [
    process.env.BENCH_PROFILE_DIR ? `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}` : '',
    process.env.BENCH_TRACKER_NODE_ARGS ?? '',
  ]
    .filter(Boolean)
    .join(' ');
  const tracker = await stack.start('tracker', ports.base + 3, {
    ...(trackerNodeArgs ? { BENCH_NODE_ARGS: trackerNodeArgs } : {}),
    ...trackerEnv(),
  });
  const services = [tracker, ...others];
  const rss: Record<string, { atTenPercentMb: number; atEndMb: number; peakMb: number }> = {};
  for (const s of services) rss[s.name] = { atTenPercentMb: 0, atEndMb: 0, peakMb: 0 };
  const admin = bareKafka(stack).admin();
  await admin.connect();
  const committed = async () => {
    const [offsets] = await admin.fetchOffsets({ groupId: 'linewatch-tracker', topics: [stack.topics.intelEvents] });
    return offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  };
  let tenPercentSeen = false;
  for (;;) {
    const done = await committed();
    for (const s of services) {
      const mb = rssMb(s.process.pid);
      rss[s.name].peakMb = Math.max(rss[s.name].peakMb, mb);
      if (!tenPercentSeen && done >= count * 0.1) rss[s.name].atTenPercentMb = mb;
    }
    if (done >= count * 0.1) tenPercentSeen = true;
    if (done >= count) {
      const pending = await stack.db.pool.query(`SELECT count(*)::int AS n FROM line_state_changes_outbox WHERE published_at IS NULL`);
      if (pending.rows[0].n === 0) break;
    }
    if (tracker.process.exitCode !== null) throw new Error(`tracker exited: ${tracker.output.slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const took = seconds(started);
  for (const s of services) rss[s.name].atEndMb = rssMb(s.process.pid);
  await admin.disconnect();
  const stored = await stack.db.pool.query(`SELECT count(*)::int AS n FROM intel_events`);
  if (stored.rows[0].n !== count) throw new Error(`stored ${stored.rows[0].n} of ${count} events`);
  const changes = await stack.db.pool.query(`SELECT count(*)::int AS n FROM line_state_changes_outbox`);
  const perSecond = Math.round(count / took);
  const resolved =
    produced.byNumber === 0
      ? undefined
      : await resolutionsOf(stack, lines).then((r) => ({ events: produced.byNumber, share: produced.byNumber / count, ...r }));
  return {
    events: count,
    lines,
    produceSeconds: produced.seconds,
    rawConsume: raw,
    batchedInsert: insert,
    pipeline: { seconds: took, perSecond, stateChanges: changes.rows[0].n },
    ratio: perSecond / Math.min(raw.perSecond, insert.perSecond),
    rss,
    ...(resolved ? { byNumber: resolved } : {}),
  };
}

/** How the events named by number were stored: each `resolution.how`, and how many went to the line that holds the number. */
async function resolutionsOf(stack: BenchStack, lines: number): Promise<Pick<ByNumberResult, 'how' | 'onOwnLine'>> {
  const { rows } = await stack.db.pool.query(
    `SELECT payload->'line'->'resolution'->>'how' AS how, count(*)::int AS n,
            count(*) FILTER (WHERE payload->>'lineId' = 'BL-' || lpad((substr(source->>'reference', 3)::bigint % $1)::text, 6, '0'))::int AS own
     FROM intel_events WHERE payload ? 'line' GROUP BY 1 ORDER BY 1`,
    [lines],
  );
  return {
    how: Object.fromEntries(rows.map((r: { how: string; n: number }) => [r.how, r.n])),
    onOwnLine: rows.reduce((sum: number, r: { own: number }) => sum + r.own, 0),
  };
}
