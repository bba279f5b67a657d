import { type DynamicModule, Module } from '@nestjs/common';
import { makeCounterProvider } from '@linewatch/observability';
import { PlatformModule } from '@linewatch/platform';
import { IntelEventsConsumer } from './intel-events.consumer';
import { StoreEventsUseCase } from './store-events.usecase';
import { TRACKER_CONFIG, type TrackerConfig } from './tracker.config';

/** Kafka → TimescaleDB: stores events (and, next, line state) per batch. */
@Module({})
export class TrackerModule {
  static forRoot(config: TrackerConfig): DynamicModule {
    return {
      module: TrackerModule,
      imports: [PlatformModule.forRoot(config, [IntelEventsConsumer])],
      providers: [
        { provide: TRACKER_CONFIG, useValue: config },
        StoreEventsUseCase,
        IntelEventsConsumer,
        makeCounterProvider({ name: 'linewatch_tracker_events_total', help: 'Events consumed, by outcome', labelNames: ['outcome'] }),
      ],
    };
  }
}
