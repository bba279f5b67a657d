import { type DynamicModule, Module } from '@nestjs/common';
import { webhookProblemsOf } from '@linewatch/config';
import { TOPICS } from '@linewatch/contracts';
import { KAFKA, KafkaBatchTransport, type KafkaClient } from '@linewatch/messaging';
import { ROOT_LOGGER, makeCounterProvider, type Logger } from '@linewatch/observability';
import { PlatformModule } from '@linewatch/platform';
import { AlertChannels } from './alert-channels';
import { ALERTER_CONFIG, type AlerterConfig } from './alerter.config';
import { AlerterScheduler } from './alerter.scheduler';
import { DeliverAlertsUseCase } from './deliver-alerts.usecase';
import { checkBackReminderProviders } from './check-backs/check-back-reminders.providers';
import { digestProviders } from './digest/digest.providers';
import { EscalateAlertsUseCase } from './escalate-alerts.usecase';
import { RaiseAlertsUseCase } from './raise-alerts.usecase';
import { ROUTING, RoutingHolder } from './routing.holder';
import { StateChangesConsumer } from './state-changes.consumer';

/** State changes → alerts to neighbourhood teams: routing, dedup, delivery with retries, acknowledgement, escalation, silences. */
@Module({})
export class AlerterModule {
  static forRoot(config: AlerterConfig): DynamicModule {
    return {
      module: AlerterModule,
      imports: [PlatformModule.forRoot(config, [KafkaBatchTransport])],
      controllers: [StateChangesConsumer],
      providers: [
        { provide: ALERTER_CONFIG, useValue: config },
        {
          provide: ROUTING,
          useFactory: (logger: Logger) =>
            new RoutingHolder(config.routingFile, config.areas, logger, config.routing, (routing) =>
              webhookProblemsOf(routing, config.webhooks),
            ),
          inject: [ROOT_LOGGER],
        },
        AlertChannels,
        RaiseAlertsUseCase,
        DeliverAlertsUseCase,
        EscalateAlertsUseCase,
        AlerterScheduler,
        ...digestProviders,
        ...checkBackReminderProviders,
        {
          // Connected in main.ts (connectMicroservice); readiness is its consumer-group membership.
          provide: KafkaBatchTransport,
          useFactory: (kafka: KafkaClient, logger: Logger) =>
            KafkaBatchTransport.overKafka(
              kafka,
              {
                groupId: config.extra.ALERTER_GROUP_ID,
                topics: [TOPICS.lineStateChanges],
                topicPrefix: config.kafka.topicPrefix,
                maxBatchSize: 200,
                sessionTimeoutMs: config.extra.ALERTER_SESSION_TIMEOUT_MS,
              },
              logger,
            ),
          inject: [KAFKA, ROOT_LOGGER],
        },
        makeCounterProvider({
          name: 'linewatch_alerter_alerts_total',
          help: 'Alerts by outcome and severity',
          labelNames: ['outcome', 'severity'],
        }),
        makeCounterProvider({
          name: 'linewatch_alerter_deliveries_total',
          help: 'Delivery attempts by channel and outcome',
          labelNames: ['channel', 'outcome'],
        }),
        makeCounterProvider({ name: 'linewatch_alerter_escalations_total', help: 'Escalations by level reached', labelNames: ['level'] }),
      ],
    };
  }
}
