import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { topicNames } from '@linewatch/contracts';
import { KAFKA, KafkaBatchConsumer, type Kafka } from '@linewatch/messaging';
import { ROOT_LOGGER, type Logger, type ReadinessCheck } from '@linewatch/observability';
import { TrackEventsUseCase } from './track-events.usecase';
import { TrackerScheduler } from './tracker.scheduler';
import { TRACKER_CONFIG, type TrackerConfig } from './tracker.config';

/** Consumes `intel.events.v1` in batches; thin: the use case does the work. */
@Injectable()
export class IntelEventsConsumer implements OnApplicationBootstrap, OnModuleDestroy, ReadinessCheck {
  readonly name = 'consumer';
  private readonly consumer: KafkaBatchConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TRACKER_CONFIG) config: TrackerConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly trackEvents: TrackEventsUseCase,
    private readonly scheduler: TrackerScheduler,
  ) {
    this.consumer = new KafkaBatchConsumer(
      kafka,
      {
        groupId: config.extra.TRACKER_GROUP_ID,
        topics: [topicNames(config.kafka.topicPrefix).intelEvents],
        maxBatchSize: config.extra.TRACKER_MAX_BATCH,
        sessionTimeoutMs: config.extra.TRACKER_SESSION_TIMEOUT_MS,
        partitionsConsumedConcurrently: config.extra.TRACKER_PARTITIONS_CONCURRENTLY,
      },
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.consumer.startInBackground(async (messages) => {
      const report = await this.trackEvents.execute(messages, new Date());
      if (report.changes > 0) this.scheduler.wakeRelay();
      this.logger.debug({ ...report, partition: messages[0]?.partition, lastOffset: messages.at(-1)?.offset }, 'batch tracked');
    });
  }

  async check(): Promise<void> {
    if (!this.consumer.isMember) throw new Error('not a member of the consumer group (yet)');
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }
}
