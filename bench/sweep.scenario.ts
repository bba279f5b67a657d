/**
 * (5) The dormancy sweep: L lines, each sighted once (through the pipeline, so their stored
 * snapshots are the real thing), all made due at once; a tracker with a shorter window then
 * sweeps them dormant. Reported: the time for all of them, per line, and per sweep transaction.
 */
import { randomUUID } from 'node:crypto';
import type { IntelEventInput } from '@linewatch/contracts';
import { applyTopics, createKafka } from '@linewatch/messaging';
import { topicDeclarations } from '@linewatch/contracts';
import { waitFor } from '@linewatch/testing';
import { createDatabase, logger, type BenchStack } from './bench.stack';

const DAY = 24 * 60 * 60 * 1000;

export interface SweepResult {
  readonly lines: number;
  readonly loadSeconds: number;
  readonly sweepSeconds: number;
  readonly linesPerSecond: number;
  readonly msPerBatch: number;
  readonly batch: number;
}

export async function runSweep(stack: BenchStack, lines: number, port: number): Promise<SweepResult> {
  const db = await createDatabase('sweep');
  const prefix = `${stack.prefix}sweep.`;
  await applyTopics(createKafka(stack.kafka, logger), topicDeclarations(prefix));
  const env = { DATABASE_URL: db.url, KAFKA_TOPIC_PREFIX: prefix, TRACKER_GROUP_ID: `bench-sweep-${randomUUID()}` };
  try {
    const loadStarted = performance.now();
    const events: IntelEventInput[] = Array.from(
      { length: lines },
      (_, k) =>
        ({
          eventId: randomUUID(),
          type: 'line.sighting',
          occurredAt: new Date(Date.now() - 20 * DAY + k).toISOString(),
          area: 'radstock',
          grading: { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' },
          source: { system: 'bench', reference: 'sweep' },
          lineId: `SW-${String(k).padStart(6, '0')}`,
          body: { kind: 'call_data', brand: 'Sweep', msisdn: '07700 900123' },
        }) as IntelEventInput,
    );
    for (let i = 0; i < events.length; i += 5000) {
      await stack.producer.publish(
        `${prefix}intel.events.v1`,
        events.slice(i, i + 5000).map((e) => ({ key: (e as { lineId: string }).lineId, value: JSON.stringify(e) })),
      );
    }
    const loader = await stack.start('tracker', port, env);
    await waitFor(
      async () => (await db.pool.query(`SELECT count(*)::int AS n FROM lines WHERE state = 'active'`)).rows[0].n === lines || undefined,
      { what: 'sweep lines loaded', timeoutMs: 1_800_000, intervalMs: 1000 },
    );
    await loader.stop();
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    // Due now: with a 7-day window every one of them (sighted 20 days ago) went dormant 13 days ago.
    await db.pool.query(`UPDATE lines SET next_check_at = now() - interval '1 second'`);
    const batch = 500;
    const sweepStarted = performance.now();
    const sweeper = await stack.start('tracker', port, {
      ...env,
      DORMANCY_WINDOW_DAYS: '7',
      TRACKER_SWEEP_INTERVAL_MS: '200',
      TRACKER_SWEEP_BATCH: String(batch),
    });
    await waitFor(
      async () => (await db.pool.query(`SELECT count(*)::int AS n FROM lines WHERE state = 'dormant'`)).rows[0].n === lines || undefined,
      { what: 'every line swept dormant', timeoutMs: 1_800_000, intervalMs: 200 },
    );
    const sweepSeconds = (performance.now() - sweepStarted) / 1000;
    await sweeper.stop();
    return {
      lines,
      loadSeconds: Math.round(loadSeconds),
      sweepSeconds: Math.round(sweepSeconds * 10) / 10,
      linesPerSecond: Math.round(lines / sweepSeconds),
      msPerBatch: Math.round((sweepSeconds * 1000) / Math.ceil(lines / batch)),
      batch,
    };
  } finally {
    await db.drop();
  }
}
