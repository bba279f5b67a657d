import 'reflect-metadata';
import { runService } from '@linewatch/observability';
import { mountOpenApi } from '@linewatch/platform';
import { loadIngestConfig } from './ingest.config';
import { IngestModule } from './ingest.module';
import { INGEST_OPENAPI } from './ingest.openapi';

runService(
  'ingest',
  () => loadIngestConfig(process.env),
  (config) => ({
    module: IngestModule.forRoot(config),
    bodyLimit: `${config.extra.INGEST_MAX_BODY_BYTES}b`,
    requestTimeoutMs: config.extra.INGEST_REQUEST_TIMEOUT_MS,
    configure: (app) => mountOpenApi(app, INGEST_OPENAPI),
  }),
);
