/**
 * The api's overview, version 1 (HTTP API contract): what `GET /v1/overview` answers — the figures of
 * the dashboard's home view, counted in the caller's scope (officers: their areas). Each figure is
 * the size of a list another route answers with the same filter (`GET /v1/lines?state=&area=`,
 * `?changedSince=`, `GET /v1/alerts?status=open&severity=`, `GET /v1/reviews/due`, `GET /v1/dead-letters`).
 */
import { z } from 'zod';
import { ALERT_SEVERITIES } from './alert-view.v1';
import { writtenInstant } from './line-api.v1';
import { LINE_STATE_NAMES } from './state-change.v1';

const count = z.number().int().min(0);

export const overviewV1 = z
  .object({
    /** When the figures were counted (the api's clock). */
    at: writtenInstant,
    /** `changes.lines` counts lines changed since this instant (24 hours before `at`). */
    changedSince: writtenInstant,
    /** Lines by area and state (a line in two areas counts in each; officers: only their areas). Areas without lines are left out. */
    lines: z.array(z.object({ area: z.string(), state: z.enum(LINE_STATE_NAMES), count }).strict()),
    changes: z.object({ lines: count }).strict(),
    /** Open alerts (raised or delivered) by severity and age (raised less than an hour ago, within a day, before). */
    openAlerts: z.array(
      z.object({ severity: z.enum(ALERT_SEVERITIES), total: count, underHour: count, underDay: count, older: count }).strict(),
    ),
    /** Lines whose MoPI review is due by `at`: analysts and admins only (null for others, who may not list them). */
    reviewsDue: count.nullable(),
    /** Closure check-backs still scheduled and due by `at` (GET /v1/check-backs/due): analysts and admins only (null for others). */
    checkBacksDue: count.nullable(),
    /**
     * Dead letters waiting (on `intel.events.dlq.v1`, not re-driven by `linewatch dlq retry`): admins
     * only (null for others); `GET /v1/dead-letters` lists them.
     */
    deadLetters: count.nullable(),
  })
  .strict();

export type OverviewV1 = z.output<typeof overviewV1>;
