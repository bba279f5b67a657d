import { Injectable } from '@nestjs/common';
import { lineWeekFigures } from '@linewatch/domain';
import { Database, WeeklyFiguresRepository } from '@linewatch/persistence';

/** Lines whose sources are read together: one pass over their events (after a bulk load every line is due). */
const READ_BATCH = 2_000;
/** Lines written per transaction: short transactions (the embedded database runs one at a time). */
const WRITE_BATCH = 200;

/**
 * Brings `line_week_figures` (and the count tables moved with it) up to date: every line marked
 * due — its periods were written, its area changed, or a new week began while it was active — is
 * recomputed from its periods and area changes and its rows replaced.
 *
 * Reading holds no lock, so the tracker never waits for an export: the due lines' sources are read
 * in large batches (one pass over their events), then each write transaction locks the marks still
 * at the version read and writes only those. A line the tracker marked again in between stays due
 * and is read again in the next round; replicas refreshing at once skip the marks the other holds.
 */
@Injectable()
export class RefreshWeeklyFiguresUseCase {
  constructor(
    private readonly database: Database,
    private readonly figures: WeeklyFiguresRepository,
  ) {}

  /** Returns how many lines were recomputed. */
  async execute(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const due = await this.database.autocommit((q) => this.figures.dueLines(q, now, READ_BATCH));
      if (due.length === 0) return total;
      const read = await this.database.autocommit((q) =>
        this.figures.sources(
          q,
          due.map((l) => l.lineId),
        ),
      );
      const sources = new Map(read.map((s) => [s.lineId, s]));
      let written = 0;
      for (let i = 0; i < due.length; i += WRITE_BATCH) {
        const batch = due.slice(i, i + WRITE_BATCH);
        written += await this.database.transaction(async (tx) => {
          const locked = new Set(await this.figures.lockUnchanged(tx, now, batch));
          const computed = batch
            .filter((l) => locked.has(l.lineId))
            .map((l) => ({ lineId: l.lineId, ...lineWeekFigures({ ...sources.get(l.lineId)!, now }) }));
          await this.figures.replace(tx, computed);
          return computed.length;
        });
      }
      total += written;
      // A short round took every line due when it began (lines marked since belong to the next
      // export: under a live flow there are always some); nothing written means every line read
      // is held by another refresh or was marked again while read — it stays due.
      if (due.length < READ_BATCH || written === 0) return total;
    }
  }
}
