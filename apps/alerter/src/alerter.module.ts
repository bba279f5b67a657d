import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaReadiness, MessagingModule, RedisReadiness } from '@linewatch/messaging';
import { ObservabilityModule } from '@linewatch/observability';
import { DatabaseReadiness, PersistenceModule } from '@linewatch/persistence';
import { SecurityModule } from '@linewatch/security';
import type { AlerterConfig } from './alerter.config';

/**
 * State changes → alerts to neighbourhood teams. This module owns the
 * service's wiring; alert routing and delivery arrive with the alerts issue.
 */
@Module({})
export class AlerterModule {
  static forRoot(config: AlerterConfig): DynamicModule {
    return {
      module: AlerterModule,
      imports: [
        ObservabilityModule.forRoot({
          service: 'alerter',
          logLevel: config.log.level,
          readiness: [KafkaReadiness, DatabaseReadiness, RedisReadiness],
        }),
        MessagingModule.forRoot(config.kafka, config.redis),
        PersistenceModule.forRoot(config.database, 'linewatch-alerter'),
        SecurityModule.forRoot(config.auth),
      ],
    };
  }
}
