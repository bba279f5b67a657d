import 'reflect-metadata';
import { runService } from '@linewatch/observability';
import { mountOpenApi } from '@linewatch/platform';
import { loadApiConfig } from './api.config';
import { ApiModule } from './api.module';

runService(
  'api',
  () => loadApiConfig(process.env),
  (config) => ({
    module: ApiModule.forRoot(config),
    configure: (app) => {
      mountOpenApi(app, 'LineWatch API', 'County Lines line status, alerts, assessments, reviews, audit, live stream and exports');
    },
  }),
);
