import {
  auditCheckpointConfigFrom,
  auditCheckpointEnvShape,
  defaultAlertRoutingFile,
  loadAlertRouting,
  loadServiceConfig,
  positiveIntegerVariable,
  type Env,
} from '@linewatch/config';
import { z } from 'zod';
import { exportEnvShape } from './exports/exports.config';

export function loadApiConfig(env: Env) {
  const config = loadServiceConfig('api', env, {
    /** Checks the acknowledgement links in alert messages (the alerter signs them with the same key). */
    ALERT_LINK_SECRET: z.string().min(32, 'must be at least 32 characters'),
    /** The routing file the alerter uses: the api lists its teams (config/alert-routing.json). */
    ALERT_ROUTING_FILE: z.string().min(1).optional(),
    /** MoPI: a line never reviewed is due for review this many days after its first record. */
    LINE_REVIEW_INTERVAL_DAYS: positiveIntegerVariable(365),
    /** MoPI: a `dispose` review holds the line this many days (an admin may cancel) before the erasure job erases it. */
    DISPOSAL_HOLD_DAYS: positiveIntegerVariable(28),
    /** How far in the future an analyst's assessment may be dated (clock skew), as at intake. */
    INGEST_MAX_FUTURE_SKEW_MS: positiveIntegerVariable(5 * 60 * 1000),
    /**
     * The consumer groups whose lag the api reports on /metrics (docs/operations.md, "Monitoring"):
     * the same variables, with the same defaults, as the tracker's and the alerter's.
     */
    TRACKER_GROUP_ID: z.string().min(1).default('linewatch-tracker'),
    ALERTER_GROUP_ID: z.string().min(1).default('linewatch-alerter'),
    /** Weekly trend exports and their schedule (docs/exports.md). */
    ...exportEnvShape,
    /** The s.62 log's checkpoints outside the database (docs/operations.md): key, file. */
    ...auditCheckpointEnvShape,
    /** How often the chain head is checkpointed (one replica per interval, under a lease); at most an hour. */
    AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce
      .number()
      .int()
      .positive()
      .max(3_600_000, 'at most an hour (3600000): the s.62 duty is a checkpoint at least hourly')
      .default(3_600_000),
  });
  const routingFile = config.extra.ALERT_ROUTING_FILE ?? defaultAlertRoutingFile();
  return Object.freeze({
    ...config,
    routing: loadAlertRouting(routingFile, config.areas),
    auditCheckpoints: auditCheckpointConfigFrom(config.extra),
  });
}

export type ApiConfig = ReturnType<typeof loadApiConfig>;
export const API_CONFIG = Symbol('API_CONFIG');
