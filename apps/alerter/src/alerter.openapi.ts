import type { OpenApiInfo } from '@linewatch/platform';

/** The alerter's OpenAPI document (served at /docs, published as docs/openapi/alerter.json): health and metrics only. */
export const ALERTER_OPENAPI: OpenApiInfo = {
  file: 'alerter',
  title: 'LineWatch alerter',
  description: 'Raises, delivers and escalates alerts from line state changes; over HTTP only its health and metrics',
};
