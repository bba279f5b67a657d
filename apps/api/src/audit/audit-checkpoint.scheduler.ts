import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { AuditCheckpoints, PeriodicTask } from '@linewatch/platform';
import { Database, ExportScheduleRepository } from '@linewatch/persistence';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { replicaName } from '../exports/exports.config';

/** The row in the scheduled jobs' lease table (export_schedule_runs) that spaces the checkpoints. */
export const AUDIT_CHECKPOINT_JOB = 'audit-checkpoint';

/**
 * Checkpoints the s.62 log's chain head every AUDIT_CHECKPOINT_INTERVAL_MS (at most an hour), from
 * one api replica per interval: each replica ticks at boot and then every interval; the one that
 * takes the lease row until the end of the interval writes the checkpoint and keeps the lease (so
 * the others skip), and frees it when writing failed (so the next tick, of any replica, tries again).
 */
@Injectable()
export class AuditCheckpointScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask | null;
  private readonly holder = replicaName();
  /** The lease row's name (one per database: the log is the database's). */
  job = AUDIT_CHECKPOINT_JOB;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly database: Database,
    private readonly leases: ExportScheduleRepository,
    private readonly checkpoints: AuditCheckpoints,
  ) {
    const intervalMs = config.extra.AUDIT_CHECKPOINT_INTERVAL_MS;
    if (!checkpoints.configured) {
      logger.warn(
        {},
        'AUDIT_CHECKPOINT_KEY unset: the s.62 log is not checkpointed outside the database (docs/operations.md, "s.62 log checkpoints")',
      );
      this.task = null;
    } else this.task = new PeriodicTask('audit checkpoint', intervalMs, () => this.run(intervalMs), logger);
  }

  async run(intervalMs: number, now: Date = new Date()): Promise<void> {
    // A little short of the interval, so that this replica's next tick finds the lease free again.
    const leaseUntil = new Date(now.getTime() + Math.max(intervalMs - 5_000, Math.floor(intervalMs / 2)));
    const taken = await this.database.autocommit((q) => this.leases.acquire(q, this.job, this.holder, now, leaseUntil));
    if (!taken) return;
    try {
      const checkpoint = await this.checkpoints.checkpoint('scheduled', now);
      this.logger.info({ chainSeq: checkpoint.chainSeq, checkpointId: checkpoint.checkpointId }, 's.62 log checkpointed');
    } catch (error) {
      await this.database.autocommit((q) => this.leases.release(q, this.job, this.holder));
      throw error;
    }
  }

  onApplicationBootstrap(): void {
    this.task?.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
  }
}
