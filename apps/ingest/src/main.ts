import 'reflect-metadata';
import { runService } from '@linewatch/observability';
import { loadIngestConfig } from './ingest.config';
import { IngestModule } from './ingest.module';

runService(
  'ingest',
  () => loadIngestConfig(process.env),
  (config) => ({ module: IngestModule.forRoot(config), bodyLimit: `${config.extra.INGEST_MAX_BODY_BYTES}b` }),
);
