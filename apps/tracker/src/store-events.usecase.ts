import { Inject, Injectable } from '@nestjs/common';
import { parseAndValidateIntelEvent } from '@linewatch/contracts';
import { DeadLetterPublisher, type ConsumedMessage, type DeadLetterReason } from '@linewatch/messaging';
import { InjectMetric } from '@linewatch/observability';
import { DATA_SOURCE, IntelEventsRepository, type IntelEventRecord } from '@linewatch/persistence';
import type { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { TRACKER_CONFIG, type TrackerConfig } from './tracker.config';

export interface StoreReport {
  readonly stored: number;
  readonly duplicates: number;
  readonly deadLettered: number;
}

/**
 * One slice of a partition: validates every message (direct producers get the
 * same checks as HTTP intake), stores the valid ones in one transaction
 * (duplicates are dropped by the database), and dead-letters the invalid
 * ones with the reason. Resolving lets the consumer commit the offsets.
 */
@Injectable()
export class StoreEventsUseCase {
  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly events: IntelEventsRepository,
    private readonly deadLetters: DeadLetterPublisher,
    @InjectMetric('linewatch_tracker_events_total') private readonly counter: Counter<'outcome'>,
  ) {}

  async execute(messages: readonly ConsumedMessage[], now: Date): Promise<StoreReport> {
    const context = { now, maxFutureSkewMs: this.config.extra.TRACKER_MAX_FUTURE_SKEW_MS, areas: this.config.areas.codes };
    const records: IntelEventRecord[] = [];
    const rejected: { message: ConsumedMessage; reason: DeadLetterReason }[] = [];
    for (const message of messages) {
      const result = parseAndValidateIntelEvent(message.value ?? new Uint8Array(), context);
      if (result.ok) {
        records.push({ event: result.event, kafkaPartition: message.partition, kafkaOffset: message.offset });
      } else {
        const detail = result.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
        rejected.push({ message, reason: { code: result.code, message: detail ? `${result.message} (${detail})` : result.message } });
      }
    }
    const stored =
      records.length === 0 ? new Set<string>() : await this.dataSource.transaction((manager) => this.events.store(manager, records));
    await this.deadLetters.send(rejected, now);
    const duplicates = records.length - stored.size;
    this.counter.inc({ outcome: 'stored' }, stored.size);
    this.counter.inc({ outcome: 'duplicate' }, duplicates);
    this.counter.inc({ outcome: 'dead_lettered' }, rejected.length);
    return { stored: stored.size, duplicates, deadLettered: rejected.length };
  }
}
