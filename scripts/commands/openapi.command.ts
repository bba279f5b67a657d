/**
 * `npx linewatch openapi` (or `npm run openapi`): writes each service's OpenAPI document to
 * docs/openapi/<service>.json, built from the controllers' contracts without running anything
 * (test/openapi.e2e-spec.ts fails when a committed document differs from what the code serves).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DynamicModule } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { register } from 'prom-client';
import { openApiDocumentOf, type OpenApiInfo } from '@linewatch/platform';
import { loadAlerterConfig } from '../../apps/alerter/src/alerter.config';
import { AlerterModule } from '../../apps/alerter/src/alerter.module';
import { ALERTER_OPENAPI } from '../../apps/alerter/src/alerter.openapi';
import { loadApiConfig } from '../../apps/api/src/api.config';
import { ApiModule } from '../../apps/api/src/api.module';
import { API_OPENAPI } from '../../apps/api/src/api.openapi';
import { loadIngestConfig } from '../../apps/ingest/src/ingest.config';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { INGEST_OPENAPI } from '../../apps/ingest/src/ingest.openapi';
import { loadTrackerConfig } from '../../apps/tracker/src/tracker.config';
import { TrackerModule } from '../../apps/tracker/src/tracker.module';
import { TRACKER_OPENAPI } from '../../apps/tracker/src/tracker.openapi';
import { repoRoot } from '../repo-paths';

/**
 * Settings the modules need to be declared (nothing connects in preview mode): placeholders, so
 * the documents never depend on the machine that writes them.
 */
const PLACEHOLDER_ENV: NodeJS.ProcessEnv = {
  KAFKA_BROKERS: '127.0.0.1:9',
  DATABASE_URL: 'postgres://linewatch@127.0.0.1:9/linewatch',
  REDIS_URL: 'redis://127.0.0.1:9',
  AUTH_JWT_SECRET: 'openapi-document-placeholder-key-0123456789',
  ALERT_LINK_SECRET: 'openapi-document-placeholder-key-0123456789',
  ALERT_WEBHOOK_SECRET: 'openapi-document-placeholder-key-0123456789',
  EXPORT_SCHEDULE: 'off',
};

const SERVICES: readonly { readonly info: OpenApiInfo; readonly module: () => DynamicModule }[] = [
  { info: API_OPENAPI, module: () => ApiModule.forRoot(loadApiConfig(PLACEHOLDER_ENV)) },
  { info: INGEST_OPENAPI, module: () => IngestModule.forRoot(loadIngestConfig(PLACEHOLDER_ENV)) },
  { info: ALERTER_OPENAPI, module: () => AlerterModule.forRoot(loadAlerterConfig(PLACEHOLDER_ENV)) },
  { info: TRACKER_OPENAPI, module: () => TrackerModule.forRoot(loadTrackerConfig(PLACEHOLDER_ENV)) },
];

export const OPENAPI_DIR = join('docs', 'openapi');

/** Every service's document, by file name (api.json, ingest.json, …). */
export async function openApiDocuments(): Promise<Record<string, OpenAPIObject>> {
  const documents: Record<string, OpenAPIObject> = {};
  for (const service of SERVICES) {
    // Each module registers the default metrics in prom-client's global registry; one process declares four.
    register.clear();
    documents[`${service.info.file}.json`] = await openApiDocumentOf(service.module(), service.info);
  }
  register.clear();
  return documents;
}

export async function writeOpenApiDocuments(): Promise<void> {
  const dir = join(repoRoot(), OPENAPI_DIR);
  mkdirSync(dir, { recursive: true });
  const documents = await openApiDocuments();
  for (const [file, document] of Object.entries(documents)) writeFileSync(join(dir, file), `${JSON.stringify(document, null, 2)}\n`);
  console.log(`wrote ${Object.keys(documents).length} OpenAPI documents to ${relative(process.cwd(), dir) || '.'}/`);
}
