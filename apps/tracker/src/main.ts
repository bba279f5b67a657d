import 'reflect-metadata';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { KafkaBatchTransport } from '@linewatch/messaging';
import { runService } from '@linewatch/observability';
import { mountOpenApi } from '@linewatch/platform';
import { loadTrackerConfig } from './tracker.config';
import { TrackerModule } from './tracker.module';
import { TRACKER_OPENAPI } from './tracker.openapi';

runService(
  'tracker',
  () => loadTrackerConfig(process.env),
  (config) => ({
    module: TrackerModule.forRoot(config),
    // The consumer is a Nest microservice on our batch transport (libs/messaging); it does not
    // inherit the HTTP app's guards and filters. It starts consuming once the app has bootstrapped.
    configure: async (app) => {
      mountOpenApi(app, TRACKER_OPENAPI);
      app.connectMicroservice<MicroserviceOptions>({ strategy: app.get(KafkaBatchTransport) }, { inheritAppConfig: false });
      await app.startAllMicroservices();
    },
  }),
);
