import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaReadiness, MessagingModule, RedisReadiness } from '@linewatch/messaging';
import { ObservabilityModule } from '@linewatch/observability';
import { DatabaseReadiness, PersistenceModule } from '@linewatch/persistence';
import { SecurityModule } from '@linewatch/security';
import { EventsController } from './events.controller';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config';
import { PublishEventsUseCase } from './publish-events.usecase';

/** HTTP intake: validates events and publishes them to Kafka. */
@Module({})
export class IngestModule {
  static forRoot(config: IngestConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        ObservabilityModule.forRoot({
          service: 'ingest',
          logLevel: config.log.level,
          readiness: [KafkaReadiness, DatabaseReadiness, RedisReadiness],
        }),
        MessagingModule.forRoot(config.kafka, config.redis),
        PersistenceModule.forRoot(config.database, 'linewatch-ingest'),
        SecurityModule.forRoot(config.auth),
      ],
      controllers: [EventsController],
      providers: [{ provide: INGEST_CONFIG, useValue: config }, PublishEventsUseCase],
    };
  }
}
