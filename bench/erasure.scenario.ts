/**
 * (7) Erasure (issue 19): L lines of E events each, held for disposal with the hold ended, erased by
 * the erasure job (`RunErasuresUseCase`: bounded transactions under its lease, tombstones, counts
 * kept for the weekly figures, the s.62 entries) — against deleting the same events with one plain
 * `DELETE` on a twin database loaded the same way, in the same run. What the ratio says: the price
 * of doing it resumably and accountably instead of in one statement that holds every lock at once.
 */
import { randomUUID } from 'node:crypto';
import { AuditRepository, Database, ErasureRepository, ExportScheduleRepository } from '@linewatch/persistence';
import { RunErasuresUseCase } from '../apps/tracker/src/run-erasures.usecase';
import { createDatabase, type BenchDatabase } from './bench.stack';

export interface ErasureResults {
  readonly lines: number;
  readonly eventsPerLine: number;
  /** The erasure job, all lines (ms), its transactions and the rows per transaction it was given. */
  readonly jobMs: number;
  readonly transactions: number;
  readonly batchRows: number;
  /** One `DELETE FROM intel_events WHERE line_ids && $ids` on the twin database (ms). */
  readonly plainDeleteMs: number;
  /** jobMs / plainDeleteMs. */
  readonly ratio: number;
}

const AREAS = ['bath', 'keynsham', 'saltford', 'midsomer-norton', 'radstock', 'paulton', 'peasedown-st-john', 'chew-valley'];
const HELD_AT = new Date('2026-01-05T00:00:00Z');
const ERASE_AFTER = new Date('2026-02-02T00:00:00Z');

/** Lines EL-000000… with `perLine` sightings each over the year before, and (with `held`) a dispose decision whose hold ended. */
async function load(db: BenchDatabase, lines: number, perLine: number, held: boolean): Promise<void> {
  await db.pool.query(
    `INSERT INTO lines (line_id, state, state_since, area, areas, last_sighting_at, latest_event_at, referrals, created_at)
     SELECT 'EL-' || lpad(k::text, 6, '0'), 'active', $2::timestamptz, ($3::text[])[k % 8 + 1], ARRAY[($3::text[])[k % 8 + 1]],
            $2::timestamptz, $2::timestamptz, 0, $2::timestamptz - interval '1 year'
     FROM generate_series(0, $1 - 1) k`,
    [lines, HELD_AT, AREAS],
  );
  await db.pool.query(
    `INSERT INTO line_state_periods (line_id, seq, state, valid_from, valid_to, transition, cause_event_id, closure_type)
     SELECT 'EL-' || lpad(k::text, 6, '0'), 0, 'active', $2::timestamptz - interval '1 year', NULL, 'new', NULL, NULL
     FROM generate_series(0, $1 - 1) k`,
    [lines, HELD_AT],
  );
  await db.pool.query(
    `WITH e AS (
       SELECT gen_random_uuid() AS event_id, i,
              $3::timestamptz - interval '1 year' + ((i / $1)::double precision / $2) * interval '360 days' AS at,
              'EL-' || lpad((i % $1)::text, 6, '0') AS line_id, ($4::text[])[(i % $1) % 8 + 1] AS area
       FROM generate_series(0, $1::bigint * $2 - 1) i
     ), ids AS (
       INSERT INTO intel_event_ids (event_id, occurred_at) SELECT event_id, at FROM e
     )
     INSERT INTO intel_events (event_id, occurred_at, reported_at, type, area, line_ids, grading, source, payload, kafka_partition, kafka_offset)
     SELECT event_id, at, NULL, 'line.sighting', area, ARRAY[line_id],
            '{"system":"3x5x2","source":"2","intelligence":"B","handling":"P"}'::jsonb, '{"system":"bench","reference":"erasure"}'::jsonb,
            jsonb_build_object('eventId', event_id, 'type', 'line.sighting', 'occurredAt', at, 'area', area, 'lineId', line_id,
              'body', jsonb_build_object('kind', 'call_data')),
            0, i
     FROM e`,
    [lines, perLine, HELD_AT, AREAS],
  );
  if (held)
    await db.pool.query(
      `INSERT INTO line_disposals (review_id, line_id, decided_at, decided_by, erase_after, status)
       SELECT gen_random_uuid(), 'EL-' || lpad(k::text, 6, '0'), $2, 'bench-analyst', $3, 'held' FROM generate_series(0, $1 - 1) k`,
      [lines, HELD_AT, ERASE_AFTER],
    );
  await db.pool.query('ANALYZE');
}

export async function runErasure(lines: number, perLine: number, batchRows: number): Promise<ErasureResults> {
  const job = await createDatabase('erasure');
  const twin = await createDatabase('erasure_plain');
  try {
    await load(job, lines, perLine, true);
    await load(twin, lines, perLine, false);

    const database = await Database.open(
      { url: job.url, embedded: false, ssl: false, poolMax: 2, statementTimeoutMs: 3_600_000 },
      'bench-erasure',
    );
    let jobMs: number;
    let transactions: number;
    try {
      const useCase = new RunErasuresUseCase(
        database,
        new ErasureRepository(),
        new AuditRepository(),
        new ExportScheduleRepository(),
        { retentionYears: 6, batchRows, leaseMs: 600_000 },
        // No checkpoint key: the s.62 checkpoint after each erasure (a file append and a Kafka send) is left out of both sides.
        { configured: false, checkpoint: () => Promise.reject(new Error('no checkpoint key')) },
      );
      const started = performance.now();
      const report = await useCase.execute({ now: ERASE_AFTER, holder: `bench-${randomUUID().slice(0, 8)}` });
      jobMs = performance.now() - started;
      transactions = report.batches;
      if (report.linesErased.length !== lines) throw new Error(`erasure: ${report.linesErased.length} of ${lines} lines erased`);
    } finally {
      await database.close();
    }
    const left = (await job.pool.query(`SELECT count(*)::int AS n FROM intel_events`)).rows[0].n;
    if (left !== 0) throw new Error(`erasure: ${left} events left`);

    const ids = Array.from({ length: lines }, (_, k) => `EL-${String(k).padStart(6, '0')}`);
    const started = performance.now();
    const deleted = await twin.pool.query(`DELETE FROM intel_events WHERE line_ids && $1::text[]`, [ids]);
    const plainDeleteMs = performance.now() - started;
    if (deleted.rowCount !== lines * perLine) throw new Error(`plain delete: ${deleted.rowCount} of ${lines * perLine} rows`);
    return {
      lines,
      eventsPerLine: perLine,
      jobMs: Math.round(jobMs),
      transactions,
      batchRows,
      plainDeleteMs: Math.round(plainDeleteMs),
      ratio: Math.round((jobMs / plainDeleteMs) * 10) / 10,
    };
  } finally {
    await job.drop();
    await twin.drop();
  }
}
