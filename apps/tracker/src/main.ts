import 'reflect-metadata';
import { runService } from '@linewatch/observability';
import { loadTrackerConfig } from './tracker.config';
import { TrackerModule } from './tracker.module';

runService(
  'tracker',
  () => loadTrackerConfig(process.env),
  (config) => ({ module: TrackerModule.forRoot(config) }),
);
