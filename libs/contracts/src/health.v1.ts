import { z } from 'zod';

/**
 * The health answers every service gives (HTTP API contract, v1): `/health/live` says the process
 * runs; `/health/ready` (and `/health`) Terminus's report of each dependency — 200 when all are up,
 * 503 (errorBodyV1, code NOT_READY, with Terminus's fields beside it) otherwise.
 */
export const healthLiveV1 = z.object({ status: z.literal('ok') });

const indicators = z.record(z.string(), z.looseObject({ status: z.string() }));

export const healthReadyV1 = z.object({
  status: z.literal('ok'),
  info: indicators,
  error: indicators,
  details: indicators,
});

export type HealthReadyV1 = z.infer<typeof healthReadyV1>;
