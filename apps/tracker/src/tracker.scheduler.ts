import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { PeriodicTask } from '@linewatch/platform';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { RelayStateChangesUseCase } from './relay-state-changes.usecase';
import { RunErasuresUseCase } from './run-erasures.usecase';
import { SweepDormancyUseCase } from './sweep-dormancy.usecase';
import { TRACKER_CONFIG, type TrackerConfig } from './tracker.config';

/** The tracker's clocks: the dormancy sweep, the outbox relay and the erasure job. */
@Injectable()
export class TrackerScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly sweep: PeriodicTask;
  private readonly relay: PeriodicTask;
  private readonly erasure: PeriodicTask;
  private stopping = false;

  constructor(
    @Inject(TRACKER_CONFIG) config: TrackerConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly sweepDormancy: SweepDormancyUseCase,
    private readonly relayChanges: RelayStateChangesUseCase,
    private readonly runErasures: RunErasuresUseCase,
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
    // One holder id per process: the lease (one runner across replicas) is released at the end of each run.
    const holder = `tracker-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.erasure = new PeriodicTask(
      'erasure job',
      config.extra.ERASURE_INTERVAL_MS,
      async () => {
        const report = await this.runErasures.execute({ now: new Date(), holder, shouldStop: () => this.stopping });
        if (report.linesErased.length > 0 || report.retentionEvents > 0) this.logger.info(report, 'erasure job erased records');
        if (report.checkpointFailures.length > 0)
          this.logger.error({ failures: report.checkpointFailures }, 's.62 checkpoint after an erasure could not be written');
      },
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.sweep.start();
    this.relay.start();
    this.erasure.start();
  }

  /** New entries may be in the outbox (after a batch). */
  wakeRelay(): void {
    this.relay.wake();
  }

  async onModuleDestroy(): Promise<void> {
    await this.sweep.stop();
    this.stopping = true;
    await this.erasure.stop();
    await this.relay.stop();
    await this.relayChanges.release().catch((error: unknown) => this.logger.warn({ err: error }, 'could not release the relay lease'));
  }
}
