/**
 * The alert view, version 1: one alert as the api answers it (`GET /v1/alerts`, `GET /v1/alerts/:id`,
 * acknowledge and resolve) and as the live stream's `alert` items carry it (raised by the alerter,
 * acknowledged or resolved through the api). One schema for every writer and reader, the dashboard
 * included (docs/api.md "Alerts").
 *
 * The change that raised the alert is typed at the top level (`change`); `content` is the message
 * the recipients were sent (its `fields` are the webhook's strings, kept as sent).
 */
import { z } from 'zod';
import { instant } from './intel-event.v1';
import { HELD_REASONS, LINE_STATE_NAMES, TRANSITION_KINDS } from './state-change.v1';

export const ALERT_STATUSES = ['raised', 'delivered', 'acknowledged', 'resolved', 'silenced', 'held'] as const;
export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

/** An instant the api wrote (a Date in JSON: UTC with milliseconds). */
const writtenAt = z.iso.datetime();

/** The state change the alert is about, from the tracker's `line.state-change.v1`. */
export const alertChangeV1 = z
  .object({
    /** Null: the line was never seen before. */
    from: z.enum(LINE_STATE_NAMES).nullable(),
    to: z.enum(LINE_STATE_NAMES),
    /** When the new state began, in event time (as the change carried it). */
    at: instant,
    /** Caused by a report about the past. */
    late: z.boolean(),
    /** Only for a `held` alert: why its change was not pushed (docs/alerts.md "Alert noise"). */
    heldReason: z.enum(HELD_REASONS).optional(),
  })
  .strict();

/** The message as built for the team (sanitised for handling code C). */
export const alertContentV1 = z
  .object({
    version: z.literal(1),
    sanitised: z.boolean(),
    subject: z.string(),
    text: z.string(),
    fields: z.record(z.string(), z.string()),
  })
  .strict();

export const alertViewV1 = z
  .object({
    alertId: z.uuid(),
    changeId: z.uuid(),
    lineId: z.string().min(1),
    teamId: z.string().min(1),
    areas: z.array(z.string()),
    kind: z.enum(TRANSITION_KINDS),
    severity: z.enum(ALERT_SEVERITIES),
    status: z.enum(ALERT_STATUSES),
    /** The escalation level reached (1 = the team's first level). */
    level: z.number().int().min(1),
    change: alertChangeV1,
    raisedAt: writtenAt,
    deliveredAt: writtenAt.nullable(),
    acknowledgedAt: writtenAt.nullable(),
    acknowledgedBy: z.string().nullable(),
    sanitised: z.boolean(),
    content: alertContentV1,
  })
  .strict();

/**
 * `GET /v1/alerts`: newest first — by `raisedAt`, then by the order the alerter raised them (alerts
 * of one batch share `raisedAt` to the millisecond; among them, the order of their state changes on
 * the topic, each change's teams in routing order). `next` is the opaque cursor of the next page.
 */
export const alertListV1 = z.object({ alerts: z.array(alertViewV1), next: z.string().nullable() }).strict();

export type AlertChangeV1 = z.infer<typeof alertChangeV1>;
export type AlertContentV1 = z.infer<typeof alertContentV1>;
export type AlertViewV1 = z.infer<typeof alertViewV1>;
export type AlertListV1 = z.infer<typeof alertListV1>;
export type AlertStatusV1 = (typeof ALERT_STATUSES)[number];
export type AlertSeverityV1 = (typeof ALERT_SEVERITIES)[number];
