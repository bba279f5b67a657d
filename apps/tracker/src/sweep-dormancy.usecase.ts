import { Inject, Injectable } from '@nestjs/common';
import { topicNames } from '@linewatch/contracts';
import { InjectMetric } from '@linewatch/observability';
import { Database, LinesRepository, OutboxRepository } from '@linewatch/persistence';
import type { Counter } from 'prom-client';
import type { LineTimelines } from './line-timelines';
import { TRACKER_CONFIG, type TrackerConfig } from './tracker.config';
import { LINE_TIMELINES } from './tracker.tokens';

export interface SweepReport {
  readonly lines: number;
  readonly changes: number;
}

/**
 * Dormancy on time, without a new event: moves the clock of every line whose next check
 * (last sighting + W, or a pending event's instant) is due, and records the changes.
 *
 * Instead of each instance sweeping the partitions it owns, instances share one queue in the
 * database: due lines are locked `FOR UPDATE SKIP LOCKED`, so two instances never sweep one line
 * at once, and the change is decided under the same row lock the batches take, against the
 * stored current state — a line that already went dormant is not found due again, so nothing
 * fires twice, whatever the consumer group's assignment is doing (correct under rebalances,
 * and any instance covers for one that is down).
 */
@Injectable()
export class SweepDormancyUseCase {
  /** Where the outbox entries are relayed (the state-change topic with the deployment's prefix). */
  private get topic(): string {
    return topicNames(this.config.kafka.topicPrefix).lineStateChanges;
  }

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly database: Database,
    private readonly lines: LinesRepository,
    private readonly outbox: OutboxRepository,
    @Inject(LINE_TIMELINES) private readonly timelines: LineTimelines,
    @InjectMetric('linewatch_tracker_state_changes_total') private readonly changesCounter: Counter<'kind' | 'trigger'>,
  ) {}

  /** Sweeps until nothing is due (one transaction per TRACKER_SWEEP_BATCH lines). */
  async execute(now: Date): Promise<SweepReport> {
    const limit = this.config.extra.TRACKER_SWEEP_BATCH;
    let lines = 0;
    let changes = 0;
    for (;;) {
      const round = await this.database.transaction(async (tx) => {
        const due = await this.lines.lockDue(tx, now, limit);
        if (due.length === 0) return { lines: 0, kinds: [] as string[] };
        const computed = await this.timelines.advance(tx, new Map(due.map((line) => [line.lineId, line])), new Map(), now);
        await this.timelines.save(tx, computed);
        const entries = await this.timelines.changesOf(tx, computed, [], 'dormancy_sweep', now);
        await this.outbox.append(tx, this.topic, entries);
        return { lines: due.length, kinds: entries.map((e) => (e.payload as { kind: string }).kind) };
      });
      lines += round.lines;
      changes += round.kinds.length;
      for (const kind of round.kinds) this.changesCounter.inc({ kind, trigger: 'dormancy_sweep' });
      if (round.lines < limit) return { lines, changes };
    }
  }
}
