import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { topicNames } from '@linewatch/contracts';
import { KAFKA, KafkaBatchConsumer, type Kafka } from '@linewatch/messaging';
import { ROOT_LOGGER, type Logger, type ReadinessCheck } from '@linewatch/observability';
import { AlerterScheduler } from './alerter.scheduler';
import { ALERTER_CONFIG, type AlerterConfig } from './alerter.config';
import { RaiseAlertsUseCase } from './raise-alerts.usecase';

/** Consumes `lines.state-changes.v1` in batches; offsets are committed after the alerts are in the database. */
@Injectable()
export class StateChangesConsumer implements OnApplicationBootstrap, OnModuleDestroy, ReadinessCheck {
  readonly name = 'consumer';
  private readonly consumer: KafkaBatchConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(ALERTER_CONFIG) config: AlerterConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly raiseAlerts: RaiseAlertsUseCase,
    private readonly scheduler: AlerterScheduler,
  ) {
    this.consumer = new KafkaBatchConsumer(
      kafka,
      {
        groupId: config.extra.ALERTER_GROUP_ID,
        topics: [topicNames(config.kafka.topicPrefix).lineStateChanges],
        maxBatchSize: 200,
        sessionTimeoutMs: config.extra.ALERTER_SESSION_TIMEOUT_MS,
      },
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.consumer.startInBackground(async (messages) => {
      const report = await this.raiseAlerts.execute(messages, new Date());
      if (report.raised > 0) this.scheduler.wakeDelivery();
      this.logger.debug({ ...report, partition: messages[0]?.partition }, 'state changes handled');
    });
  }

  async check(): Promise<void> {
    if (!this.consumer.isMember) throw new Error('not a member of the consumer group (yet)');
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }
}
