import { loadServiceConfig, positiveIntegerVariable, type Env } from '@linewatch/config';
import { z } from 'zod';

export function loadTrackerConfig(env: Env) {
  return loadServiceConfig('tracker', env, {
    TRACKER_GROUP_ID: z.string().min(1).default('linewatch-tracker'),
    /** Most messages stored in one database transaction. */
    TRACKER_MAX_BATCH: positiveIntegerVariable(500),
    /** How far in the future occurredAt/reportedAt may be for events produced straight to Kafka. */
    TRACKER_MAX_FUTURE_SKEW_MS: positiveIntegerVariable(5 * 60 * 1000),
  });
}

export type TrackerConfig = ReturnType<typeof loadTrackerConfig>;
export const TRACKER_CONFIG = Symbol('TRACKER_CONFIG');
