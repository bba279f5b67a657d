import { hostname } from 'node:os';
import { type DynamicModule, Module } from '@nestjs/common';
import { TOPICS, topicNames } from '@linewatch/contracts';
import { KAFKA, KafkaBatchTransport, REDIS, type KafkaClient } from '@linewatch/messaging';
import { ROOT_LOGGER, makeCounterProvider, makeGaugeProvider, type Logger } from '@linewatch/observability';
import {
  ClosureCheckBacksRepository,
  LineIdentityRepository,
  LineLinksRepository,
  LinesRepository,
  ReplacementSuggestionsRepository,
} from '@linewatch/persistence';
import { AuditCheckpoints, AuditCheckpointsModule, PlatformModule } from '@linewatch/platform';
import type Redis from 'ioredis';
import { ApplyLineLinksUseCase } from './apply-line-links.usecase';
import { DeadLettersConsumer } from './dead-letters.consumer';
import { IntelEventsConsumer } from './intel-events.consumer';
import { OutboxMetrics } from './outbox.metrics';
import { LineIdentities } from './line-identities';
import { LineTimelines } from './line-timelines';
import { MirrorDeadLettersUseCase } from './mirror-dead-letters.usecase';
import { RelayStateChangesUseCase } from './relay-state-changes.usecase';
import { ERASURE_CHECKPOINTS, ERASURE_SETTINGS, RunErasuresUseCase } from './run-erasures.usecase';
import { ReplacementSuggestions } from './replacement-suggestions';
import { SweepDormancyUseCase } from './sweep-dormancy.usecase';
import { TrackEventsUseCase } from './track-events.usecase';
import { TRACKER_CONFIG, type TrackerConfig } from './tracker.config';
import { TrackerScheduler } from './tracker.scheduler';
import { LINE_IDENTITIES, LINE_TIMELINES, REPLACEMENT_SUGGESTIONS } from './tracker.tokens';

/**
 * Kafka → TimescaleDB: events, each line's state and timeline, dormancy, and the state-change outbox
 * relayed to Kafka; and the dead-letter topic mirrored into `dead_letters`.
 */
@Module({})
export class TrackerModule {
  static forRoot(config: TrackerConfig): DynamicModule {
    return {
      module: TrackerModule,
      imports: [
        PlatformModule.forRoot(config, [KafkaBatchTransport]),
        AuditCheckpointsModule.forRoot({
          ...config.auditCheckpoints,
          topic: topicNames(config.kafka.topicPrefix).auditCheckpoints,
          by: `tracker:${hostname()}-${process.pid}`,
        }),
      ],
      controllers: [IntelEventsConsumer, DeadLettersConsumer],
      providers: [
        { provide: TRACKER_CONFIG, useValue: config },
        {
          provide: LINE_TIMELINES,
          useFactory: (lines: LinesRepository, links: LineLinksRepository, checkBacks: ClosureCheckBacksRepository) =>
            new LineTimelines(lines, config.dormancy, links, { repository: checkBacks, offsetsDays: config.extra.CHECK_BACK_DAYS }),
          inject: [LinesRepository, LineLinksRepository, ClosureCheckBacksRepository],
        },
        {
          provide: LINE_IDENTITIES,
          useFactory: (identity: LineIdentityRepository, links: LineLinksRepository) => new LineIdentities(identity, links),
          inject: [LineIdentityRepository, LineLinksRepository],
        },
        {
          provide: REPLACEMENT_SUGGESTIONS,
          useFactory: (suggestions: ReplacementSuggestionsRepository, redis: Redis, logger: Logger) =>
            new ReplacementSuggestions(suggestions, config.replacement, { redis, prefix: config.kafka.topicPrefix, logger }),
          inject: [ReplacementSuggestionsRepository, REDIS, ROOT_LOGGER],
        },
        ApplyLineLinksUseCase,
        TrackEventsUseCase,
        MirrorDeadLettersUseCase,
        SweepDormancyUseCase,
        RelayStateChangesUseCase,
        { provide: ERASURE_SETTINGS, useValue: config.erasure },
        { provide: ERASURE_CHECKPOINTS, useExisting: AuditCheckpoints },
        RunErasuresUseCase,
        TrackerScheduler,
        OutboxMetrics,
        {
          // Connected in main.ts (connectMicroservice); readiness is its consumer-group membership.
          provide: KafkaBatchTransport,
          useFactory: (kafka: KafkaClient, logger: Logger) =>
            KafkaBatchTransport.overKafka(
              kafka,
              {
                groupId: config.extra.TRACKER_GROUP_ID,
                // The dead letters are mirrored for the api (docs/architecture.md): same group, offsets per topic.
                topics: [TOPICS.intelEvents, TOPICS.intelEventsDlq],
                topicPrefix: config.kafka.topicPrefix,
                maxBatchSize: config.extra.TRACKER_MAX_BATCH,
                sessionTimeoutMs: config.extra.TRACKER_SESSION_TIMEOUT_MS,
                partitionsConsumedConcurrently: config.extra.TRACKER_PARTITIONS_CONCURRENTLY,
                maxBytesPerPartition: config.extra.TRACKER_FETCH_PARTITION_BYTES,
                maxBytes: config.extra.TRACKER_FETCH_MAX_BYTES,
              },
              logger,
            ),
          inject: [KAFKA, ROOT_LOGGER],
        },
        makeCounterProvider({ name: 'linewatch_tracker_events_total', help: 'Events consumed, by outcome', labelNames: ['outcome'] }),
        makeCounterProvider({
          name: 'linewatch_tracker_lines_total',
          help: 'Lines brought up to date by batches, by path (fast: from the kept snapshot; recompute: from every stored event)',
          labelNames: ['path'],
        }),
        makeCounterProvider({
          name: 'linewatch_tracker_state_changes_total',
          help: 'Changes of a line current state written to the outbox',
          labelNames: ['kind', 'trigger'],
        }),
        makeCounterProvider({ name: 'linewatch_tracker_changes_published_total', help: 'State changes relayed to Kafka' }),
        makeGaugeProvider({
          name: 'linewatch_tracker_relay_lease_renewed_timestamp_seconds',
          help: 'When this instance last took or renewed the outbox relay lease (seconds since the epoch; 0: never, a standby)',
        }),
      ],
    };
  }
}
