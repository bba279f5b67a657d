import type { LineState } from '@linewatch/domain';
import type { Database, LineIdentityRepository, LineLinksRepository, LinesRepository } from '@linewatch/persistence';
import type { LineIdentities } from './line-identities';
import type { LineTimelines } from './line-timelines';

export interface RebuiltLine {
  readonly lineId: string;
  readonly stateBefore: LineState | null;
  readonly stateAfter: LineState | null;
  readonly periodsBefore: number;
  readonly periodsAfter: number;
}

export interface RebuildReport {
  readonly lines: number;
  /** Lines whose timeline (or current state) the recomputation changed. */
  readonly changed: readonly RebuiltLine[];
  readonly dryRun: boolean;
}

const LINES_PER_TRANSACTION = 100;

/**
 * `linewatch rebuild`: recomputes timelines and line identity (facts re-derived from the stored
 * events, then intervals and brands) after a rule or window change, under the same row locks as
 * the tracker, and reports what changed. A merged line is rebuilt as part of its survivor. It
 * raises no alerts: it rewrites history and sets the current state silently (the report names
 * every line whose current state moved, for the intelligence team to review). A dry run writes
 * nothing.
 */
export class RebuildTimelinesUseCase {
  constructor(
    private readonly database: Database,
    private readonly lines: LinesRepository,
    private readonly timelines: LineTimelines,
    private readonly identities: LineIdentities,
    private readonly links: LineLinksRepository,
    private readonly identity: LineIdentityRepository,
  ) {}

  async execute(options: { lineId?: string; now: Date; dryRun?: boolean }): Promise<RebuildReport> {
    const named = options.lineId ? [options.lineId] : await this.database.autocommit((q) => this.lines.allLineIds(q));
    const roots = await this.database.autocommit((q) => this.links.resolve(q, named));
    const ids = [...new Set(named.map((id) => roots.get(id) ?? id))].sort();
    const changed: RebuiltLine[] = [];
    for (let i = 0; i < ids.length; i += LINES_PER_TRANSACTION) {
      const chunk = ids.slice(i, i + LINES_PER_TRANSACTION);
      await this.database
        .transaction(async (tx) => {
          await this.links.lockForReading(tx);
          const locked = await this.lines.lock(tx, chunk);
          const recomputed = await this.timelines.recompute(tx, chunk, options.now);
          const computed = this.timelines.fromScratch(locked, recomputed);
          for (const line of computed) {
            const before = await this.lines.periodsOf(tx, line.stored.lineId);
            const same = JSON.stringify(before) === JSON.stringify(line.timeline.periods) && line.stored.state === line.timeline.state;
            if (!same) {
              changed.push({
                lineId: line.stored.lineId,
                stateBefore: line.stored.state,
                stateAfter: line.timeline.state,
                periodsBefore: before.length,
                periodsAfter: line.timeline.periods.length,
              });
            }
          }
          if (!options.dryRun) {
            await this.timelines.save(tx, computed);
            await this.identities.rebuild(tx, chunk, (lineIds) => this.identity.eventsNaming(tx, lineIds));
          }
          // A dry run still took the locks: roll back the rows `lock` created for lines without any.
          if (options.dryRun) throw new DryRunRollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof DryRunRollback)) throw error;
        });
    }
    return { lines: ids.length, changed, dryRun: options.dryRun ?? false };
  }
}

class DryRunRollback extends Error {}
