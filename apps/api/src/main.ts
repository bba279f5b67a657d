import 'reflect-metadata';
import { runService } from '@linewatch/observability';
import { loadApiConfig } from './api.config';
import { ApiModule } from './api.module';
import { mountOpenApi } from './openapi';

runService(
  'api',
  () => loadApiConfig(process.env),
  (config) => ({ module: ApiModule.forRoot(config), configure: mountOpenApi }),
);
