import 'reflect-metadata';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { KafkaBatchTransport } from '@linewatch/messaging';
import { runService } from '@linewatch/observability';
import { mountOpenApi } from '@linewatch/platform';
import { loadAlerterConfig } from './alerter.config';
import { AlerterModule } from './alerter.module';
import { ALERTER_OPENAPI } from './alerter.openapi';

runService(
  'alerter',
  () => loadAlerterConfig(process.env),
  (config) => ({
    module: AlerterModule.forRoot(config),
    // The consumer is a Nest microservice on our batch transport (libs/messaging); it does not
    // inherit the HTTP app's guards and filters. It starts consuming once the app has bootstrapped.
    configure: async (app) => {
      mountOpenApi(app, ALERTER_OPENAPI);
      app.connectMicroservice<MicroserviceOptions>({ strategy: app.get(KafkaBatchTransport) }, { inheritAppConfig: false });
      await app.startAllMicroservices();
    },
  }),
);
