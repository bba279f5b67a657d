import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { erasureEnvShape, parseEnv, type DatabaseConfig, type Env } from '@linewatch/config';
import { AuditRepository, Database, ErasureRepository, ExportScheduleRepository, type RetentionPreview } from '@linewatch/persistence';
import { z } from 'zod';
import { RunErasuresUseCase, type ErasureRunReport, type ErasureSettings } from '../../apps/tracker/src/run-erasures.usecase';
import { withCheckpoints, type CheckpointSetup } from './audit.command';

/** The job's settings from the environment (the tracker's variables: RAW_EVENT_RETENTION_YEARS, ERASURE_BATCH_ROWS, ERASURE_LEASE_MS). */
export function erasureSettingsOf(env: Env): ErasureSettings {
  const parsed = parseEnv(z.object(erasureEnvShape), env);
  return { retentionYears: parsed.RAW_EVENT_RETENTION_YEARS, batchRows: parsed.ERASURE_BATCH_ROWS, leaseMs: parsed.ERASURE_LEASE_MS };
}

function instantOf(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at.getTime()))
    throw new Error(`--now: expected an ISO-8601 instant, got ${value}`);
  return at;
}

/**
 * `linewatch erasure run [--now ISO]`: one run of the tracker's erasure job — disposal holds ended
 * by `now`, retention at `now` — under the same lease (a tracker running it meanwhile is waited
 * for, up to the lease's length plus a margin; so is the lease of a run killed mid-way).
 */
export async function runErasure(setup: CheckpointSetup, env: Env, options: { now?: string }): Promise<ErasureRunReport> {
  const settings = erasureSettingsOf(env);
  const now = instantOf(options.now);
  // The s.62 chain head is checkpointed after every erasure, as the tracker's job does.
  return withCheckpoints(setup, async (checkpoints, db) => {
    const useCase = new RunErasuresUseCase(
      db,
      new ErasureRepository(),
      new AuditRepository(),
      new ExportScheduleRepository(),
      settings,
      checkpoints,
    );
    const holder = `cli-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    const giveUpAt = Date.now() + settings.leaseMs + 10_000;
    for (;;) {
      const report = await useCase.execute({ now, holder });
      if (!report.leaseHeldElsewhere) {
        console.log(
          `erasure at ${now.toISOString()}: ${report.linesErased.length} line(s) erased${report.linesErased.length > 0 ? ` (${report.linesErased.join(', ')})` : ''}, ` +
            `${report.retentionEvents} raw event(s) past retention erased (${report.chunksDropped} empty chunk(s) dropped), ${report.batches} transaction(s), ${report.checkpoints} s.62 checkpoint(s)`,
        );
        for (const failure of report.checkpointFailures) console.error(`erasure: s.62 checkpoint NOT written: ${failure}`);
        if (report.checkpointFailures.length > 0) process.exitCode = 1;
        return report;
      }
      if (Date.now() > giveUpAt) throw new Error('the erasure lease is held by another runner; try again later');
      // Waiting for another holder's lease to end (a running tracker's, or a killed run's), not for a test.
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });
}

/** `linewatch retention --dry-run [--now ISO]`: what a retention run would erase, counted by area and line (no content). */
export async function previewRetention(database: DatabaseConfig, env: Env, options: { now?: string }): Promise<RetentionPreview> {
  const settings = erasureSettingsOf(env);
  const now = instantOf(options.now);
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - settings.retentionYears);
  const db = await Database.open(database, 'linewatch-cli-retention');
  try {
    const preview = await db.autocommit((q) => new ErasureRepository().previewRetention(q, cutoff));
    console.log(
      `retention (dry run, nothing erased): raw events before ${cutoff.toISOString()} (${settings.retentionYears} years) on no line marked retain: ${preview.events}`,
    );
    for (const a of preview.byArea) console.log(`  area ${a.area}: ${a.events}`);
    for (const l of preview.byLine) console.log(`  line ${l.lineId}: ${l.events}`);
    return preview;
  } finally {
    await db.close();
  }
}
