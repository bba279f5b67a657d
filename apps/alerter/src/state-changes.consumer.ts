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
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

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
    void this.start();
  }

  private async start(): Promise<void> {
    try {
      await this.consumer.start(async (messages) => {
        const report = await this.raiseAlerts.execute(messages, new Date());
        if (report.raised > 0) this.scheduler.wakeDelivery();
        this.logger.debug({ ...report, partition: messages[0]?.partition }, 'state changes handled');
      });
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn({ err: error }, 'kafka consumer could not start; retrying in 2 s');
      await this.consumer.stop().catch(() => undefined);
      this.retry = setTimeout(() => void this.start(), 2000);
    }
  }

  async check(): Promise<void> {
    if (!this.consumer.isMember) throw new Error('not a member of the consumer group (yet)');
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.consumer.stop();
  }
}
