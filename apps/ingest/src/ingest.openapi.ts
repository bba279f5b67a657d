import type { OpenApiInfo } from '@linewatch/platform';

/** Ingest's OpenAPI document (served at /docs, published as docs/openapi/ingest.json). */
export const INGEST_OPENAPI: OpenApiInfo = {
  file: 'ingest',
  title: 'LineWatch intake',
  description: 'Intelligence events in (JSON, NDJSON, CSV), answered once Kafka has them',
};
