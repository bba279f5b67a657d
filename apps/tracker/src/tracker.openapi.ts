import type { OpenApiInfo } from '@linewatch/platform';

/** The tracker's OpenAPI document (served at /docs, published as docs/openapi/tracker.json): health and metrics only. */
export const TRACKER_OPENAPI: OpenApiInfo = {
  file: 'tracker',
  title: 'LineWatch tracker',
  description: "Tracks each line's state from intelligence events; over HTTP only its health and metrics",
};
