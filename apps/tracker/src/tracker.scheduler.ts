import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { PeriodicTask } from '@linewatch/platform';
import { RelayStateChangesUseCase } from './relay-state-changes.usecase';
import { SweepDormancyUseCase } from './sweep-dormancy.usecase';
import { TRACKER_CONFIG, type TrackerConfig } from './tracker.config';

/** The tracker's clocks: the dormancy sweep and the outbox relay. */
@Injectable()
export class TrackerScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly sweep: PeriodicTask;
  private readonly relay: PeriodicTask;

  constructor(
    @Inject(TRACKER_CONFIG) config: TrackerConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly sweepDormancy: SweepDormancyUseCase,
    private readonly relayChanges: RelayStateChangesUseCase,
  ) {
    this.sweep = new PeriodicTask(
      'dormancy sweep',
      config.extra.TRACKER_SWEEP_INTERVAL_MS,
      async () => {
        const report = await this.sweepDormancy.execute(new Date());
        if (report.changes > 0) {
          this.logger.info(report, 'dormancy sweep changed lines');
          this.relay.wake();
        }
      },
      logger,
    );
    this.relay = new PeriodicTask('outbox relay', config.extra.TRACKER_RELAY_INTERVAL_MS, () => this.relayChanges.execute(), logger);
  }

  onApplicationBootstrap(): void {
    this.sweep.start();
    this.relay.start();
  }

  /** New entries may be in the outbox (after a batch). */
  wakeRelay(): void {
    this.relay.wake();
  }

  async onModuleDestroy(): Promise<void> {
    await this.sweep.stop();
    await this.relay.stop();
    await this.relayChanges.release().catch((error: unknown) => this.logger.warn({ err: error }, 'could not release the relay lease'));
  }
}
