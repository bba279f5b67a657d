import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@linewatch/contracts';
import { BatchConsumer, type ConsumedMessage } from '@linewatch/messaging';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { AlerterScheduler } from './alerter.scheduler';
import { RaiseAlertsUseCase } from './raise-alerts.usecase';

/**
 * Slices of `lines.state-changes.v1` from the batch transport (`KafkaBatchTransport`, started in
 * main.ts); offsets are committed when this resolves, i.e. after the alerts are in the database.
 */
@BatchConsumer()
export class StateChangesConsumer {
  constructor(
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly raiseAlerts: RaiseAlertsUseCase,
    private readonly scheduler: AlerterScheduler,
  ) {}

  @EventPattern(TOPICS.lineStateChanges)
  async raise(@Payload() messages: readonly ConsumedMessage[]): Promise<void> {
    const report = await this.raiseAlerts.execute(messages, new Date());
    if (report.raised > 0) this.scheduler.wakeDelivery();
    this.logger.debug({ ...report, partition: messages[0]?.partition }, 'state changes handled');
  }
}
