import { loadServiceConfig, positiveIntegerVariable, type Env } from '@linewatch/config';

export function loadIngestConfig(env: Env) {
  return loadServiceConfig('ingest', env, {
    /** Most events one request may carry (an array body). */
    INGEST_MAX_EVENTS_PER_REQUEST: positiveIntegerVariable(1000),
    /** Largest JSON body accepted, in bytes. */
    INGEST_MAX_BODY_BYTES: positiveIntegerVariable(5 * 1024 * 1024),
    /** Largest streamed NDJSON/CSV upload, in bytes (it is never held in memory whole). */
    INGEST_MAX_UPLOAD_BYTES: positiveIntegerVariable(1024 * 1024 * 1024),
    /**
     * Longest one request may take to arrive, in ms — a streamed upload of INGEST_MAX_UPLOAD_BYTES
     * on a busy database takes many minutes (default one hour; Node's own default, 300 s, cut them).
     */
    INGEST_REQUEST_TIMEOUT_MS: positiveIntegerVariable(60 * 60 * 1000),
    /**
     * Longest ingest waits for Kafka to acknowledge a request's events from every in-sync replica,
     * in ms; past it the request is refused (503 PUBLISH_FAILED, Retry-After) rather than held
     * while the producer retries — a cluster short of in-sync replicas refuses writes.
     */
    INGEST_PUBLISH_TIMEOUT_MS: positiveIntegerVariable(10_000),
    /** How far in the future occurredAt/reportedAt may be (clock skew between systems). */
    INGEST_MAX_FUTURE_SKEW_MS: positiveIntegerVariable(5 * 60 * 1000),
  });
}

export type IngestConfig = ReturnType<typeof loadIngestConfig>;
export const INGEST_CONFIG = Symbol('INGEST_CONFIG');
