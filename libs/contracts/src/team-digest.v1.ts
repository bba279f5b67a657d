/**
 * The team digest, content version 1 (PRODUCT.md "Team digest"; docs/alerts.md "Team digests"):
 * what a neighbourhood team is told on its schedule — the lines in its areas by state, every
 * change since its previous digest (pushed as an alert or not), and its alerts still open. The
 * alerter sends it by e-mail and as a signed webhook (`teamDigestWebhookV1`); the api answers a
 * preview of the next one (`GET /v1/teams/{teamId}/digest-preview`, `teamDigestV1`).
 *
 * Handling code C: a change whose cause is graded C carries no cause id, and the cause's source
 * and numbers are struck ("[withheld]") from anything else it shows, as in alerts.
 */
import { z } from 'zod';
import { ALERT_SEVERITIES, ALERT_STATUSES } from './alert-view.v1';
import { LINE_STATE_NAMES, TRANSITION_KINDS } from './state-change.v1';

export const TEAM_DIGEST_SCHEMA = 'linewatch.team-digest.v1';
export const TEAM_DIGEST_CONTENT_VERSION = 1;

/** An instant LineWatch wrote (UTC, ISO-8601). */
const writtenAt = z.iso.datetime();
const state = z.enum(LINE_STATE_NAMES);

export const digestStateCountsV1 = z
  .object({
    active: z.number().int().min(0),
    dormant: z.number().int().min(0),
    disrupted: z.number().int().min(0),
    closed: z.number().int().min(0),
  })
  .strict();

export const digestAreaV1 = z
  .object({
    area: z.string(),
    name: z.string(),
    total: z.number().int().min(0),
    byState: digestStateCountsV1,
  })
  .strict();

export const digestChangeV1 = z
  .object({
    /** The tracker's change id; null when the change is sanitised (handling code C) — it would lead back to the record. */
    changeId: z.uuid().nullable(),
    lineId: z.string(),
    from: state.nullable(),
    to: state,
    kind: z.enum(TRANSITION_KINDS),
    /** When the new state began, in event time. */
    at: z.string(),
    /** When LineWatch recorded the change (what "since the previous digest" counts by). */
    recordedAt: writtenAt,
    area: z.string().nullable(),
    /** Whether the team was pushed an alert for it (false: recorded only — a history import, a first record already dormant, a silence). */
    pushed: z.boolean(),
    /** Why it was not pushed: the change's `heldReason` ("history", "first_record_dormant", "first_record_closed"), or "silenced". */
    reason: z.string().optional(),
    /** Handling code C: source and numbers withheld; contact the intelligence unit. */
    sanitised: z.boolean(),
  })
  .strict();

export const digestOpenAlertV1 = z
  .object({
    alertId: z.uuid(),
    lineId: z.string(),
    severity: z.enum(ALERT_SEVERITIES),
    status: z.enum(ALERT_STATUSES),
    subject: z.string(),
    raisedAt: writtenAt,
    /** Whole minutes from raisedAt to generatedAt. */
    ageMinutes: z.number().int().min(0),
    sanitised: z.boolean(),
  })
  .strict();

export const teamDigestV1 = z
  .object({
    schema: z.literal(TEAM_DIGEST_SCHEMA),
    contentVersion: z.literal(TEAM_DIGEST_CONTENT_VERSION),
    team: z.object({ id: z.string(), name: z.string() }).strict(),
    period: z
      .object({
        /** Exclusive: the end of the previous digest's period. */
        from: writtenAt,
        /** Inclusive: the scheduled instant (a preview: now). */
        to: writtenAt,
      })
      .strict(),
    /** The zone the schedule and the e-mail's times are in. */
    timeZone: z.string(),
    generatedAt: writtenAt,
    lines: z.object({ total: z.number().int().min(0), byState: digestStateCountsV1, byArea: z.array(digestAreaV1) }).strict(),
    changes: z.array(digestChangeV1),
    /** Changes left out beyond the first 1,000 (the timelines have them all). */
    changesOmitted: z.number().int().min(0),
    openAlerts: z.array(digestOpenAlertV1),
    /** Whether any change or alert in it is sanitised (handling code C). */
    sanitised: z.boolean(),
  })
  .strict();

/** The webhook body: the digest, with its type, the digest's and this delivery's ids, the message as the e-mail says it, and when it was sent. */
export const teamDigestWebhookV1 = teamDigestV1
  .extend({
    /** What the body is, as the alert webhook bodies say it (`alert`, `companions`; alert-webhook.v2.ts). */
    type: z.literal('team-digest'),
    digestId: z.uuid(),
    deliveryId: z.string(),
    /** The e-mail's subject and plain text, for receivers that only show a message. */
    subject: z.string(),
    text: z.string(),
    sentAt: writtenAt,
  })
  .strict();

export const teamDigestPreviewParamsV1 = z.object({ teamId: z.string().min(1).max(64) }).strict();

export type TeamDigestV1 = z.infer<typeof teamDigestV1>;
export type TeamDigestWebhookV1 = z.infer<typeof teamDigestWebhookV1>;
export type DigestChangeV1 = z.infer<typeof digestChangeV1>;
export type DigestOpenAlertV1 = z.infer<typeof digestOpenAlertV1>;
