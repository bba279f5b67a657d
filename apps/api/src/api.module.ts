import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@linewatch/platform';
import { API_CONFIG, type ApiConfig } from './api.config';
import { LiveStream } from './live-stream';
import { StreamController } from './stream.controller';
import { AuditController } from './audit.controller';
import { LinesController } from './lines.controller';
import { ReadLinesUseCase } from './read-lines.usecase';

/** Queries, live stream, exports and dashboard (REST under /v1, OpenAPI at /docs). */
@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [LinesController, AuditController, StreamController],
      providers: [{ provide: API_CONFIG, useValue: config }, ReadLinesUseCase, LiveStream],
    };
  }
}
