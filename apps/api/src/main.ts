import 'reflect-metadata';
import { runService } from '@linewatch/observability';
import { mountOpenApi } from '@linewatch/platform';
import { loadApiConfig } from './api.config';
import { ApiModule } from './api.module';
import { mountDashboard } from './dashboard.static';

runService(
  'api',
  () => loadApiConfig(process.env),
  (config) => ({
    module: ApiModule.forRoot(config),
    configure: (app) => {
      mountOpenApi(app, 'LineWatch API', 'County Lines line status, alerts, assessments, reviews, audit, live stream and exports');
      mountDashboard(app);
    },
  }),
);
