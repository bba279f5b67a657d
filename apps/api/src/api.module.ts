import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@linewatch/platform';
import type { ApiConfig } from './api.config';
import { LinesController } from './lines.controller';
import { ReadLinesUseCase } from './read-lines.usecase';

/** Queries, live stream, exports and dashboard (REST under /v1, OpenAPI at /docs). */
@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return { module: ApiModule, imports: [PlatformModule.forRoot(config)], controllers: [LinesController], providers: [ReadLinesUseCase] };
  }
}
