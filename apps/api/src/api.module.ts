import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaReadiness, MessagingModule, RedisReadiness } from '@linewatch/messaging';
import { ObservabilityModule } from '@linewatch/observability';
import { DatabaseReadiness, PersistenceModule } from '@linewatch/persistence';
import { SecurityModule } from '@linewatch/security';
import type { ApiConfig } from './api.config';

/** Queries, live stream, exports and dashboard (REST under /v1, OpenAPI at /docs). */
@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ObservabilityModule.forRoot({
          service: 'api',
          logLevel: config.log.level,
          readiness: [KafkaReadiness, DatabaseReadiness, RedisReadiness],
        }),
        MessagingModule.forRoot(config.kafka, config.redis),
        PersistenceModule.forRoot(config.database, 'linewatch-api'),
        SecurityModule.forRoot(config.auth),
      ],
    };
  }
}
