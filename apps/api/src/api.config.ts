import { defaultAlertRoutingFile, loadAlertRouting, loadServiceConfig, positiveIntegerVariable, type Env } from '@linewatch/config';
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
  });
  const routingFile = config.extra.ALERT_ROUTING_FILE ?? defaultAlertRoutingFile();
  return Object.freeze({ ...config, routing: loadAlertRouting(routingFile, config.areas) });
}

export type ApiConfig = ReturnType<typeof loadApiConfig>;
export const API_CONFIG = Symbol('API_CONFIG');
