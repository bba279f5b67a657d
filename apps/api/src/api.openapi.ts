import type { OpenApiInfo } from '@linewatch/platform';

/** The api's OpenAPI document (served at /docs, published as docs/openapi/api.json). */
export const API_OPENAPI: OpenApiInfo = {
  file: 'api',
  title: 'LineWatch API',
  description: 'County Lines line status, alerts, assessments, reviews, audit, live stream and exports',
};
