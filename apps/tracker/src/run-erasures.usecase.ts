import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AuditRepository,
  Database,
  ErasureRepository,
  ExportScheduleRepository,
  type DisclosureEntry,
  type Erasure,
  type Tx,
} from '@linewatch/persistence';

/** The job's settings (tracker config, or the CLI's environment): erasureEnvShape in libs/config. */
export interface ErasureSettings {
  readonly retentionYears: number;
  readonly batchRows: number;
  readonly leaseMs: number;
}

export const ERASURE_SETTINGS = Symbol('ERASURE_SETTINGS');

/**
 * Where the s.62 chain head is checkpointed after every erasure (PRODUCT.md: "at least hourly and
 * at every erasure"): `AuditCheckpoints` of libs/platform (file and topic, signed). Not configured
 * (no key): nothing is written, and `linewatch audit verify` says checkpoints are not checked.
 */
export interface ErasureCheckpoints {
  readonly configured: boolean;
  checkpoint(reason: 'erasure', now?: Date): Promise<unknown>;
}

export const ERASURE_CHECKPOINTS = Symbol('ERASURE_CHECKPOINTS');

/** The lease row (`export_schedule_runs`, job name): one runner across tracker replicas and CLI runs. */
export const ERASURE_JOB = 'erasure';
/** Who the s.62 erasure entries name as having erased (the decision's author is in the entry's details). */
export const ERASURE_ACTOR = 'system:erasure-job';

export const DISPOSAL_LEGAL_BASIS = 'DPA 2018 s.39 (storage limitation): MoPI review decided disposal, hold ended';
export const retentionLegalBasis = (years: number) =>
  `DPA 2018 s.39 (storage limitation): raw events past the ${years}-year retention period (MoPI), on no line marked retain`;

export interface ErasureRunReport {
  /** Another holder has the lease: nothing done. */
  readonly leaseHeldElsewhere: boolean;
  /** Lines erased (disposals finished) in this run. */
  readonly linesErased: string[];
  /** Raw events erased by retention in this run. */
  readonly retentionEvents: number;
  /** TimescaleDB chunks of raw events left empty by retention and dropped whole. */
  readonly chunksDropped: number;
  /** Batches (transactions) committed. */
  readonly batches: number;
  /** Checkpoints written after the erasures (one each), and why any could not be (the erasure stands; the next one covers it). */
  readonly checkpoints: number;
  readonly checkpointFailures: string[];
}

class LeaseLost extends Error {}

/** Subtracts whole years in UTC (29 February → 28 February/1 March as Date does). */
function yearsBefore(now: Date, years: number): Date {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
}

/**
 * The erasure job (issue 19; docs/operations.md, "Erasure and retention"): under a lease, (1)
 * finishes any erasure a crashed run left, (2) erases every line whose disposal hold has ended by
 * `now`, (3) erases raw events older than the retention period on lines not marked retain. Every
 * step is a bounded transaction (at most `batchRows` rows) that renews the lease and adds its
 * counts to the erasure's row; the last one of each erasure writes the tombstone and the s.62
 * `erasure` entries (counts, decision, legal basis — never the erased content). `now` is an input
 * (the tests and `linewatch erasure run --now` move it); the lease runs on the wall clock.
 */
@Injectable()
export class RunErasuresUseCase {
  constructor(
    private readonly database: Database,
    private readonly erasures: ErasureRepository,
    private readonly audit: AuditRepository,
    private readonly leases: ExportScheduleRepository,
    @Inject(ERASURE_SETTINGS) private readonly settings: ErasureSettings,
    @Inject(ERASURE_CHECKPOINTS) private readonly checkpoints: ErasureCheckpoints,
  ) {}

  async execute(options: {
    now: Date;
    holder: string;
    /** The wall clock (the lease's); `Date` when left out. */
    clock?: () => Date;
    /** Asked between batches: a stopping service ends the run there (the next run resumes it). */
    shouldStop?: () => boolean;
  }): Promise<ErasureRunReport> {
    const clock = options.clock ?? (() => new Date());
    const report = {
      leaseHeldElsewhere: false,
      linesErased: [] as string[],
      retentionEvents: 0,
      chunksDropped: 0,
      batches: 0,
      checkpoints: 0,
      checkpointFailures: [] as string[],
    };
    const renew = async (q: Tx | Database) => {
      const wall = clock();
      const until = new Date(wall.getTime() + this.settings.leaseMs);
      const taken =
        q instanceof Database
          ? await q.autocommit((a) => this.leases.acquire(a, ERASURE_JOB, options.holder, wall, until))
          : await this.leases.acquire(q, ERASURE_JOB, options.holder, wall, until);
      return taken !== null;
    };
    if (!(await renew(this.database))) return { ...report, leaseHeldElsewhere: true };
    const stop = options.shouldStop ?? (() => false);
    /** One bounded step in its own transaction, with the lease renewed in it (lost: rolled back). */
    const step = async <T>(work: (tx: Tx) => Promise<T>): Promise<T> => {
      const result = await this.database.transaction(async (tx) => {
        if (!(await renew(tx))) throw new LeaseLost('the erasure lease was taken by another holder');
        return work(tx);
      });
      report.batches += 1;
      return result;
    };
    try {
      for (const erasure of await this.database.autocommit((q) => this.erasures.unfinished(q))) {
        if (stop()) return report;
        await this.run(erasure, options.now, step, stop, report);
      }
      for (;;) {
        const due = await this.database.autocommit((q) => this.erasures.dueDisposals(q, options.now, 50));
        if (due.length === 0) break;
        for (const hold of due) {
          if (stop()) return report;
          const erasure = await step((tx) =>
            this.erasures.beginDisposal(tx, hold.reviewId, randomUUID(), options.now, DISPOSAL_LEGAL_BASIS),
          );
          if (erasure) await this.run(erasure, options.now, step, stop, report);
        }
      }
      const cutoff = yearsBefore(options.now, this.settings.retentionYears);
      if (!stop() && (await this.database.autocommit((q) => this.erasures.anyExpired(q, cutoff)))) {
        const erasure = await step((tx) =>
          this.erasures.beginRetention(tx, randomUUID(), cutoff, options.now, retentionLegalBasis(this.settings.retentionYears)),
        );
        await this.run(erasure, options.now, step, stop, report);
      }
      return report;
    } catch (error) {
      if (error instanceof LeaseLost) return { ...report, leaseHeldElsewhere: true };
      throw error;
    } finally {
      await this.database.autocommit((q) => this.leases.release(q, ERASURE_JOB, options.holder));
    }
  }

  /** Runs one erasure to its end (or until asked to stop). */
  private async run(
    erasure: Erasure,
    now: Date,
    step: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
    stop: () => boolean,
    report: { linesErased: string[]; retentionEvents: number; chunksDropped: number; checkpoints: number; checkpointFailures: string[] },
  ): Promise<void> {
    const limit = this.settings.batchRows;
    if (erasure.kind === 'retention') {
      while ((await step((tx) => this.erasures.eraseExpiredEvents(tx, erasure, limit, now))) > 0) if (stop()) return;
      const done = await step(async (tx) => {
        const finished = await this.erasures.finishRetention(tx, erasure, now);
        for (let i = 0; i < finished.lines.length; i += 500) {
          await this.audit.append(
            tx,
            finished.lines.slice(i, i + 500).map((line) => this.retentionEntry(finished.erasure, line, now)),
          );
        }
        return finished.erasure;
      });
      report.retentionEvents += done.counts.events;
      // TimescaleDB: the chunks this left empty go whole (their rows were recorded as erased above).
      report.chunksDropped += await step((tx) => this.erasures.dropEmptyChunksBefore(tx, erasure.cutoff!));
      await this.afterErasure(report);
      return;
    }
    for (;;) {
      while ((await step((tx) => this.erasures.eraseLineEvents(tx, erasure, limit, now))) > 0) if (stop()) return;
      while ((await step((tx) => this.erasures.eraseLineRows(tx, erasure, limit))) > 0) if (stop()) return;
      while ((await step((tx) => this.erasures.eraseLineAlerts(tx, erasure, limit))) > 0) if (stop()) return;
      const done = await step(async (tx) => {
        const finished = await this.erasures.finishDisposal(tx, erasure, now);
        if (finished) await this.audit.append(tx, [this.disposalEntry(finished, now)]);
        return finished;
      });
      if (done) {
        report.linesErased.push(done.lineId!);
        await this.afterErasure(report);
        return;
      }
      // A late event named the line meanwhile: erase it too.
    }
  }

  /**
   * After each erasure has committed (its s.62 entry with it): the chain head checkpointed outside
   * the database. A checkpoint that cannot be written does not undo the erasure; it is reported
   * (the scheduler logs it) and the next checkpoint, hourly at the latest, covers the entry.
   */
  private async afterErasure(report: { checkpoints: number; checkpointFailures: string[] }): Promise<void> {
    if (!this.checkpoints.configured) return;
    try {
      await this.checkpoints.checkpoint('erasure');
      report.checkpoints += 1;
    } catch (error) {
      report.checkpointFailures.push(error instanceof Error ? error.message : String(error));
    }
  }

  private disposalEntry(erasure: Erasure, now: Date): DisclosureEntry {
    return {
      at: now,
      actor: ERASURE_ACTOR,
      action: 'erasure',
      subjectType: 'line',
      subjectId: erasure.lineId!,
      justification: `disposal decided by ${erasure.decidedBy} (review ${erasure.reviewId}); ${erasure.legalBasis}`,
      details: {
        erasureId: erasure.erasureId,
        kind: 'disposal',
        reviewId: erasure.reviewId,
        decidedBy: erasure.decidedBy,
        decidedAt: erasure.decidedAt,
        legalBasis: erasure.legalBasis,
        counts: erasure.counts,
      },
    };
  }

  private retentionEntry(erasure: Erasure, line: { lineId: string; events: number }, now: Date): DisclosureEntry {
    return {
      at: now,
      actor: ERASURE_ACTOR,
      action: 'erasure',
      subjectType: 'line',
      subjectId: line.lineId,
      justification: `retention: raw events before ${erasure.cutoff!.toISOString()}; ${erasure.legalBasis}`,
      details: {
        erasureId: erasure.erasureId,
        kind: 'retention',
        cutoff: erasure.cutoff,
        retentionYears: this.settings.retentionYears,
        legalBasis: erasure.legalBasis,
        counts: { events: line.events },
      },
    };
  }
}
