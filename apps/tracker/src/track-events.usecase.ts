import { Inject, Injectable } from '@nestjs/common';
import { parseAndValidateIntelEvent, topicNames, type IntelEventV1 } from '@linewatch/contracts';
import { lineEventsOf, type LineEvent } from '@linewatch/domain';
import { DeadLetterPublisher, type ConsumedMessage, type DeadLetterReason } from '@linewatch/messaging';
import { InjectMetric } from '@linewatch/observability';
import { DATA_SOURCE, IntelEventsRepository, LinesRepository, OutboxRepository, type IntelEventRecord } from '@linewatch/persistence';
import type { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { LINE_TIMELINES } from './tracker.tokens';
import type { LineTimelines } from './line-timelines';
import { TRACKER_CONFIG, type TrackerConfig } from './tracker.config';

export interface TrackReport {
  readonly stored: number;
  readonly duplicates: number;
  readonly deadLettered: number;
  readonly lines: number;
  readonly recomputed: number;
  readonly changes: number;
}

/**
 * One slice of a partition, in one database transaction: validates every message (direct
 * producers get the same checks as HTTP intake), stores the valid events (the database drops
 * duplicates), brings every line a NEW event names up to date — all its lines, not only the
 * message key's: a raid naming several lines arrives once per line and only its first copy is
 * new — and writes the changes of current state to the outbox. Invalid messages are
 * dead-lettered with the reason. Resolving lets the consumer commit the offsets.
 */
@Injectable()
export class TrackEventsUseCase {
  /** Where the outbox entries are relayed (the state-change topic with the deployment's prefix). */
  private get topic(): string {
    return topicNames(this.config.kafka.topicPrefix).lineStateChanges;
  }

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly events: IntelEventsRepository,
    private readonly lines: LinesRepository,
    private readonly outbox: OutboxRepository,
    @Inject(LINE_TIMELINES) private readonly timelines: LineTimelines,
    private readonly deadLetters: DeadLetterPublisher,
    @InjectMetric('linewatch_tracker_events_total') private readonly eventsCounter: Counter<'outcome'>,
    @InjectMetric('linewatch_tracker_lines_total') private readonly linesCounter: Counter<'path'>,
    @InjectMetric('linewatch_tracker_state_changes_total') private readonly changesCounter: Counter<'kind' | 'trigger'>,
  ) {}

  async execute(messages: readonly ConsumedMessage[], now: Date): Promise<TrackReport> {
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
    const outcome =
      records.length === 0
        ? { stored: 0, lines: 0, recomputed: 0, changes: [] as { kind: string }[] }
        : await this.dataSource.transaction(async (manager) => {
            const stored = await this.events.store(manager, records);
            const fresh: IntelEventV1[] = [];
            const seen = new Set<string>();
            for (const { event } of records) {
              if (stored.has(event.eventId) && !seen.has(event.eventId)) fresh.push(event);
              seen.add(event.eventId);
            }
            const byLine = new Map<string, LineEvent[]>();
            for (const lineEvent of fresh.flatMap(lineEventsOf)) {
              const list = byLine.get(lineEvent.lineId) ?? [];
              list.push(lineEvent);
              byLine.set(lineEvent.lineId, list);
            }
            if (byLine.size === 0) return { stored: stored.size, lines: 0, recomputed: 0, changes: [] };
            const locked = await this.lines.lock(manager, [...byLine.keys()]);
            const computed = await this.timelines.advance(manager, locked, byLine, now);
            await this.timelines.save(manager, computed);
            const changes = await this.timelines.changesOf(manager, computed, fresh, 'events', now);
            await this.outbox.append(manager, this.topic, changes);
            return {
              stored: stored.size,
              lines: computed.length,
              recomputed: computed.filter((c) => c.path === 'recompute').length,
              changes: changes.map((c) => ({ kind: (c.payload as { kind: string }).kind })),
            };
          });
    await this.deadLetters.send(rejected, now);
    const duplicates = records.length - outcome.stored;
    this.eventsCounter.inc({ outcome: 'stored' }, outcome.stored);
    this.eventsCounter.inc({ outcome: 'duplicate' }, duplicates);
    this.eventsCounter.inc({ outcome: 'dead_lettered' }, rejected.length);
    this.linesCounter.inc({ path: 'fast' }, outcome.lines - outcome.recomputed);
    this.linesCounter.inc({ path: 'recompute' }, outcome.recomputed);
    for (const change of outcome.changes) this.changesCounter.inc({ kind: change.kind, trigger: 'events' });
    return {
      stored: outcome.stored,
      duplicates,
      deadLettered: rejected.length,
      lines: outcome.lines,
      recomputed: outcome.recomputed,
      changes: outcome.changes.length,
    };
  }
}
