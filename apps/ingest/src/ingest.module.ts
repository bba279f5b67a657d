import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@linewatch/platform';
import { EventStandingController } from './event-standing.controller';
import { EventsController } from './events.controller';
import { GetEventStandingUseCase } from './get-event-standing.usecase';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config';
import { BulkUploadUseCase } from './bulk-upload.usecase';
import { PublishEventsUseCase } from './publish-events.usecase';

/** HTTP intake: validates events and publishes them to Kafka. */
@Module({})
export class IngestModule {
  static forRoot(config: IngestConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [EventsController, EventStandingController],
      providers: [{ provide: INGEST_CONFIG, useValue: config }, PublishEventsUseCase, BulkUploadUseCase, GetEventStandingUseCase],
    };
  }
}
