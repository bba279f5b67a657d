import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@linewatch/contracts';
import { BatchConsumer, type ConsumedMessage } from '@linewatch/messaging';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { TrackEventsUseCase } from './track-events.usecase';
import { TrackerScheduler } from './tracker.scheduler';

/**
 * Slices of `intel.events.v1` from the batch transport (`KafkaBatchTransport`, started in main.ts);
 * thin: the use case does the work. The slice's offsets are committed when this resolves.
 */
@BatchConsumer()
export class IntelEventsConsumer {
  constructor(
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly trackEvents: TrackEventsUseCase,
    private readonly scheduler: TrackerScheduler,
  ) {}

  @EventPattern(TOPICS.intelEvents)
  async track(@Payload() messages: readonly ConsumedMessage[]): Promise<void> {
    const report = await this.trackEvents.execute(messages, new Date());
    if (report.changes > 0) this.scheduler.wakeRelay();
    this.logger.debug({ ...report, partition: messages[0]?.partition, lastOffset: messages.at(-1)?.offset }, 'batch tracked');
  }
}
