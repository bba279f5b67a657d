import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaReadiness, MessagingModule, RedisReadiness } from '@linewatch/messaging';
import { ObservabilityModule, makeCounterProvider } from '@linewatch/observability';
import { DatabaseReadiness, PersistenceModule } from '@linewatch/persistence';
import { SecurityModule } from '@linewatch/security';
import { IntelEventsConsumer } from './intel-events.consumer';
import { StoreEventsUseCase } from './store-events.usecase';
import { TRACKER_CONFIG, type TrackerConfig } from './tracker.config';

/** Kafka → TimescaleDB: stores events (and, next, line state) per batch. */
@Module({})
export class TrackerModule {
  static forRoot(config: TrackerConfig): DynamicModule {
    return {
      module: TrackerModule,
      imports: [
        ObservabilityModule.forRoot({
          service: 'tracker',
          logLevel: config.log.level,
          readiness: [KafkaReadiness, DatabaseReadiness, RedisReadiness, IntelEventsConsumer],
        }),
        MessagingModule.forRoot(config.kafka, config.redis),
        PersistenceModule.forRoot(config.database, 'linewatch-tracker'),
        SecurityModule.forRoot(config.auth),
      ],
      providers: [
        { provide: TRACKER_CONFIG, useValue: config },
        StoreEventsUseCase,
        IntelEventsConsumer,
        makeCounterProvider({ name: 'linewatch_tracker_events_total', help: 'Events consumed, by outcome', labelNames: ['outcome'] }),
      ],
    };
  }
}
