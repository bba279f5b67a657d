import 'reflect-metadata';
import { runService } from '@linewatch/observability';
import { mountOpenApi } from '@linewatch/platform';
import { loadApiConfig } from './api.config';
import { ApiModule } from './api.module';
import { API_OPENAPI } from './api.openapi';
import { mountDashboard } from './dashboard.static';

runService(
  'api',
  () => loadApiConfig(process.env),
  (config) => ({
    module: ApiModule.forRoot(config),
    configure: (app) => {
      mountOpenApi(app, API_OPENAPI);
      mountDashboard(app);
    },
  }),
);
