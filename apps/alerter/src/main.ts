import 'reflect-metadata';
import { runService } from '@linewatch/observability';
import { loadAlerterConfig } from './alerter.config';
import { AlerterModule } from './alerter.module';

runService(
  'alerter',
  () => loadAlerterConfig(process.env),
  (config) => ({ module: AlerterModule.forRoot(config) }),
);
