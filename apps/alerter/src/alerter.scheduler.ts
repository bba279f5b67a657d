import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { PeriodicTask } from '@linewatch/platform';
import { ALERTER_CONFIG, type AlerterConfig } from './alerter.config';
import { DeliverAlertsUseCase } from './deliver-alerts.usecase';
import { EscalateAlertsUseCase } from './escalate-alerts.usecase';
import { ROUTING, type RoutingHolder } from './routing.holder';

/** The alerter's clocks: delivering (and retrying), escalating; and SIGHUP reloads the routing. */
@Injectable()
export class AlerterScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly delivery: PeriodicTask;
  private readonly escalation: PeriodicTask;
  private readonly onHangup = () => void this.routing.reload();

  constructor(
    @Inject(ALERTER_CONFIG) config: AlerterConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Inject(ROUTING) private readonly routing: RoutingHolder,
    deliver: DeliverAlertsUseCase,
    escalate: EscalateAlertsUseCase,
  ) {
    this.delivery = new PeriodicTask('alert delivery', config.extra.ALERTER_DELIVERY_INTERVAL_MS, () => deliver.execute(), logger);
    this.escalation = new PeriodicTask(
      'alert escalation',
      config.extra.ALERTER_ESCALATION_INTERVAL_MS,
      async () => {
        if ((await escalate.execute(new Date())) > 0) this.delivery.wake();
      },
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.delivery.start();
    this.escalation.start();
    process.on('SIGHUP', this.onHangup);
  }

  wakeDelivery(): void {
    this.delivery.wake();
  }

  async onModuleDestroy(): Promise<void> {
    process.off('SIGHUP', this.onHangup);
    await this.escalation.stop();
    await this.delivery.stop();
  }
}
