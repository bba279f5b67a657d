import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { PeriodicTask } from '@linewatch/platform';
import { ALERTER_CONFIG, type AlerterConfig } from '../alerter.config';
import { DIGEST_CLOCK, type DigestClock } from './digest.clock';
import { SendTeamDigestsUseCase } from './send-team-digests.usecase';

/**
 * Ticks the team digests: every replica ticks (at boot — which catches up a missed period — then
 * each ALERTER_DIGEST_INTERVAL_MS); each team's lease makes one of them send its digest.
 */
@Injectable()
export class DigestScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask | null;

  constructor(
    @Inject(ALERTER_CONFIG) config: AlerterConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Inject(DIGEST_CLOCK) clock: DigestClock,
    send: SendTeamDigestsUseCase,
  ) {
    this.task =
      config.extra.ALERTER_DIGESTS === 'on'
        ? new PeriodicTask('team digests', config.extra.ALERTER_DIGEST_INTERVAL_MS, () => send.execute(clock.now()), logger)
        : null;
  }

  onApplicationBootstrap(): void {
    this.task?.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
  }
}
