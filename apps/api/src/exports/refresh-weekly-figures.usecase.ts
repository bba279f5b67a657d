import { Inject, Injectable } from '@nestjs/common';
import { lineWeekFigures } from '@linewatch/domain';
import { DATA_SOURCE, WeeklyFiguresRepository } from '@linewatch/persistence';
import type { DataSource } from 'typeorm';

/** Lines per transaction: short transactions (the embedded database runs one at a time). */
const BATCH = 200;

/**
 * Brings `line_week_figures` up to date: every line marked due (its periods were written, its area
 * changed, or a new week began while it was active) is recomputed from its periods and area marks
 * and its rows replaced, in batches. Replicas refreshing at once split the due lines between them
 * (FOR UPDATE SKIP LOCKED); a line the tracker changes meanwhile is marked due again.
 */
@Injectable()
export class RefreshWeeklyFiguresUseCase {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly figures: WeeklyFiguresRepository,
  ) {}

  /** Returns how many lines were recomputed. */
  async execute(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const done = await this.dataSource.transaction(async (manager) => {
        const due = await this.figures.claimDueLines(manager, now, BATCH);
        if (due.length === 0) return 0;
        const sources = await this.figures.sources(manager, due);
        const computed = sources.map((source) => ({ lineId: source.lineId, ...lineWeekFigures({ ...source, now }) }));
        await this.figures.replace(manager, computed);
        return due.length;
      });
      total += done;
      if (done < BATCH) return total;
    }
  }
}
