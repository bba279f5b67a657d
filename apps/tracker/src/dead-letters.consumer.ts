import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@linewatch/contracts';
import { BatchConsumer, type ConsumedMessage } from '@linewatch/messaging';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { MirrorDeadLettersUseCase } from './mirror-dead-letters.usecase';

/**
 * Slices of `intel.events.dlq.v1` (the tracker's own dead letters, and any other producer's), in the
 * tracker's consumer group beside `intel.events.v1`; thin: the use case mirrors them.
 */
@BatchConsumer()
export class DeadLettersConsumer {
  constructor(
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly mirror: MirrorDeadLettersUseCase,
  ) {}

  @EventPattern(TOPICS.intelEventsDlq)
  async mirrorAll(@Payload() messages: readonly ConsumedMessage[]): Promise<void> {
    const mirrored = await this.mirror.execute(messages);
    this.logger.info({ mirrored, received: messages.length, partition: messages[0]?.partition }, 'dead letters mirrored');
  }
}
