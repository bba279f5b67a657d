import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { PeriodicTask } from '@linewatch/platform';
import { ALERTER_CONFIG, type AlerterConfig } from '../alerter.config';
import { ROUTING, type RoutingHolder } from '../routing.holder';
import { SendCheckBackRemindersUseCase } from './send-check-back-reminders.usecase';

/** Ticks the check-back reminders on every replica (at boot, then each CHECK_BACK_REMINDER_INTERVAL_MS); the record makes one send. */
@Injectable()
export class CheckBackRemindersScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask | null;

  constructor(
    @Inject(ALERTER_CONFIG) config: AlerterConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Inject(ROUTING) private readonly routing: RoutingHolder,
    send: SendCheckBackRemindersUseCase,
  ) {
    this.task =
      config.extra.CHECK_BACK_REMINDERS === 'on'
        ? new PeriodicTask('check-back reminders', config.extra.CHECK_BACK_REMINDER_INTERVAL_MS, () => send.execute(new Date()), logger)
        : null;
  }

  onApplicationBootstrap(): void {
    if (this.task && this.routing.current.intelligenceTeam === null)
      this.logger.warn(
        { file: this.routing.current.file },
        'no intelligenceTeam in the alert routing file: overdue closure check-backs raise no reminder until one is configured',
      );
    this.task?.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
  }
}
