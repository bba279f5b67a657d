/**
 * `npm run bench [-- --quick]`: the real stack on this machine, every figure with the baseline it is
 * compared against, measured in the same run. Results: bench-results/<mode>-<time>.json and .md
 * (printed too). Never part of `npm test`. See docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { createDatabase, startStack } from './bench.stack';
import { runLatency, startHookReceiver } from './latency.scenario';
import { loadQueryData, runExport, runSseFanOut, runStatusQueries } from './queries.scenario';
import { renderMarkdown } from './bench.report';
import { runErasure } from './erasure.scenario';
import { runSweep } from './sweep.scenario';
import { runThroughput } from './throughput.scenario';

const PORT = 27000;
/** The `by-number` scenario: about this share of the throughput backlog names its line by number only (issue 17: "say a third"). */
const BY_NUMBER_SHARE = 1 / 3;
const HOOK_PORT = PORT + 80;

const SIZES = {
  full: {
    events: 1_000_000,
    lines: 5_000,
    probes: 200,
    backgroundPerSecond: 1_000,
    queryEvents: 10_000_000,
    queryLines: 10_000,
    requests: 500,
    sseClients: 500,
    sseChanges: 20,
    exportRepeats: 5,
    sweepLines: 100_000,
    erasureLines: 1_000,
    erasureEventsPerLine: 1_000,
  },
  quick: {
    events: 30_000,
    lines: 600,
    probes: 20,
    backgroundPerSecond: 1_000,
    queryEvents: 100_000,
    queryLines: 500,
    // BENCH_REQUESTS: more requests than 100 make a quick run's p99 steadier (the 1 % tail of 100 is one request).
    requests: Number(process.env.BENCH_REQUESTS ?? 100),
    sseClients: 100,
    sseChanges: 10,
    exportRepeats: 3,
    sweepLines: 3_000,
    erasureLines: 50,
    erasureEventsPerLine: 200,
  },
};
export type Sizes = (typeof SIZES)['full'];

async function main(): Promise<void> {
  const options = new Command()
    .option('--quick', 'small sizes, under two minutes (development, CI smoke)')
    .option(
      '--only <scenarios>',
      'comma-separated: throughput,latency,queries,export,sweep,erasure,by-number, and cluster (throughput on three brokers; only when named)',
    )
    .parse()
    .opts<{ quick?: boolean; only?: string }>();
  const mode = options.quick ? 'quick' : 'full';
  const sizes = SIZES[mode];
  const only = new Set((options.only ?? 'throughput,latency,queries,export,sweep,erasure,by-number').split(','));
  const started = Date.now();
  const hooks = await startHookReceiver(HOOK_PORT);
  const stack = await startStack(mode, HOOK_PORT);
  const results: Record<string, unknown> = { mode, startedAt: new Date(started).toISOString(), sizes, machine: machine() };
  const dir = join(process.cwd(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
  // Written after every scenario: a long run stopped half-way keeps what it measured.
  const save = () => {
    results.seconds = Math.round((Date.now() - started) / 1000);
    writeFileSync(join(dir, `${mode}-${stamp}.json`), JSON.stringify(results, null, 2));
    writeFileSync(join(dir, `${mode}-${stamp}.md`), renderMarkdown(results));
  };
  try {
    if (only.has('throughput') || only.has('latency')) {
      results.throughput = await runThroughput(stack, sizes.events, sizes.lines, { base: PORT });
      console.error('bench: throughput done');
      save();
      if (only.has('latency')) {
        results.alertLatency = await runLatency(stack, hooks.arrivals, {
          probes: sizes.probes,
          backgroundPerSecond: sizes.backgroundPerSecond,
          backgroundLines: sizes.lines,
        });
        console.error('bench: latency done');
        save();
      }
    }
    // Status queries, SSE and the export share one bulk-loaded database; `--only queries` skips the
    // export (its first run after a full-size load refreshes every line: see docs/benchmarks.md).
    if (only.has('queries') || only.has('export')) {
      // BENCH_QUERIES_DB=<name>: read a database an earlier run loaded and kept (BENCH_KEEP_QUERIES_DB=1
      // keeps it; its name is printed) — to time a change to a read without loading 10 M events again.
      const reused = process.env.BENCH_QUERIES_DB;
      const db = await createDatabase('queries', reused);
      if (process.env.BENCH_KEEP_QUERIES_DB) console.error(`bench: query database ${db.name} kept`);
      try {
        const loadSeconds = reused ? 0 : await loadQueryData(db, sizes.queryEvents, sizes.queryLines);
        // BENCH_API_NODE_ARGS: node flags for this api (e.g. --cpu-prof --cpu-prof-dir=… to see where a read's time goes).
        const api = await stack.start('api', PORT + 10, {
          DATABASE_URL: db.url,
          DATABASE_STATEMENT_TIMEOUT_MS: '1800000',
          ...(process.env.BENCH_API_NODE_ARGS ? { BENCH_NODE_ARGS: process.env.BENCH_API_NODE_ARGS } : {}),
        });
        if (only.has('queries')) {
          results.statusQueries = {
            loadSeconds: Math.round(loadSeconds),
            ...(await runStatusQueries(api, db, sizes.queryLines, sizes.requests)),
          };
          results.sseFanOut = {
            clients: sizes.sseClients,
            changes: sizes.sseChanges,
            deliveryMs: await runSseFanOut(
              api,
              process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
              stack.prefix,
              sizes.sseClients,
              sizes.sseChanges,
            ),
          };
          save();
        }
        if (only.has('export')) results.weeklyExport = await runExport(api, db, sizes.exportRepeats);
        await api.stop();
      } finally {
        if (process.env.BENCH_KEEP_QUERIES_DB) await db.pool.end();
        else await db.drop();
      }
      console.error('bench: queries done');
      save();
    }
    if (only.has('sweep')) {
      results.sweep = await runSweep(stack, sizes.sweepLines, PORT + 20);
      console.error('bench: sweep done');
      save();
    }
    if (only.has('erasure')) {
      // The job's default batch (ERASURE_BATCH_ROWS): databases of their own, no service needed.
      results.erasure = await runErasure(sizes.erasureLines, sizes.erasureEventsPerLine, 500);
      console.error('bench: erasure done');
      save();
    }
  } finally {
    await stack.stop();
  }
  try {
    if (only.has('by-number')) {
      // (1) again on a stack of its own (fresh broker, topics and database), with a third of the
      // backlog naming its line by number only: beside the figure above, same sizes, same run.
      const fresh = await startStack(`${mode}_bynumber`, HOOK_PORT);
      try {
        results.throughputByNumber = await runThroughput(fresh, sizes.events, sizes.lines, { base: PORT }, BY_NUMBER_SHARE);
      } finally {
        await fresh.stop();
      }
      console.error('bench: by-number throughput done');
      save();
    }
    if (only.has('cluster')) {
      // (1) again on a local cluster of three brokers (three copies, two in sync, acks=all): what
      // replication costs, beside the single broker's figure of the same run.
      const fresh = await startStack(`${mode}_cluster`, HOOK_PORT, 3);
      try {
        results.throughputCluster = await runThroughput(fresh, sizes.events, sizes.lines, { base: PORT });
      } finally {
        await fresh.stop();
      }
      console.error('bench: three-broker throughput done');
      save();
    }
  } finally {
    hooks.server.closeAllConnections();
    hooks.server.close();
  }
  save();
  console.log(renderMarkdown(results));
}

function machine() {
  return { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
