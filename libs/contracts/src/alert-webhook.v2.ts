/**
 * The body of an alert webhook, content version 2 (docs/alerts.md "Webhook bodies"): what the
 * alerter POSTs to a team's receivers, signed over the raw bytes (`X-LineWatch-Signature`).
 * Discriminated by `type`:
 *
 * - `alert`: one alert. `alerts` holds it (one item); the version 1 top-level fields (`alertId`,
 *   `severity`, `fields`, `acknowledgeUrl`) are kept beside it, with the same meaning as before.
 * - `companions`: several alerts of one team raised together (a burst: a raid naming several
 *   lines, a bulk load) sent as one message. `alerts` lists each with its own id, severity,
 *   subject, text and acknowledgement link. Version 1 sent these as `severity: "medium,medium"`,
 *   a space-separated `acknowledgeUrl` and an `alertId` naming only the first alert; those
 *   top-level fields are gone from this type.
 *
 * A receiver reads `contentVersion` first (1: the old flat body, which had no `type`). The JSON
 * Schema of each type is generated from these zod schemas (`npm run schemas`, libs/contracts/schemas/).
 */
import { z } from 'zod';
import { ALERT_SEVERITIES } from './alert-view.v1';

export const WEBHOOK_CONTENT_VERSION = 2;
export const WEBHOOK_BODY_SCHEMA = 'alert.webhook.v2';
export const WEBHOOK_BODY_TYPES = ['alert', 'companions'] as const;

const severity = z.enum(ALERT_SEVERITIES);
/** The message's strings, keyed (lineId, kind, from, to, severity, areas, team, …; no source for handling code C). */
const fields = z.record(z.string(), z.string());

/** One alert in a webhook body: everything a receiver needs to show and acknowledge it on its own. */
export const webhookAlertV2 = z
  .object({
    alertId: z.uuid(),
    severity,
    subject: z.string().min(1),
    text: z.string(),
    /** Opens a confirmation page; acknowledging is a POST from it (link scanners only GET). Per recipient, signed, 7 days. */
    acknowledgeUrl: z.url(),
    /** Handling code C: no source, no numbers. */
    sanitised: z.boolean(),
    fields,
  })
  .strict();

const envelope = {
  contentVersion: z.literal(WEBHOOK_CONTENT_VERSION),
  /** The delivery's id (also `X-LineWatch-Delivery`): a second copy after a crash carries the same one. */
  deliveryId: z.uuid(),
  /** The message as the e-mail shows it: its subject and whole text. */
  subject: z.string().min(1),
  text: z.string(),
  /** Any alert in it sanitised (handling code C). */
  sanitised: z.boolean(),
  /** When this attempt was sent (the signature's `t` is the same instant). */
  sentAt: z.iso.datetime(),
};

export const alertWebhookBodyV2 = z
  .object({
    type: z.literal('alert'),
    ...envelope,
    alerts: z.array(webhookAlertV2).length(1),
    /** As in version 1: the one alert's id, severity, fields and acknowledgement link (the same as `alerts[0]`'s). */
    alertId: z.uuid(),
    severity,
    fields,
    acknowledgeUrl: z.url(),
  })
  .strict();

export const companionsWebhookBodyV2 = z
  .object({
    type: z.literal('companions'),
    ...envelope,
    alerts: z.array(webhookAlertV2).min(2),
  })
  .strict();

export const webhookBodyV2 = z.discriminatedUnion('type', [alertWebhookBodyV2, companionsWebhookBodyV2]);

export type WebhookAlertV2 = z.infer<typeof webhookAlertV2>;
export type AlertWebhookBodyV2 = z.infer<typeof alertWebhookBodyV2>;
export type CompanionsWebhookBodyV2 = z.infer<typeof companionsWebhookBodyV2>;
export type WebhookBodyV2 = z.infer<typeof webhookBodyV2>;
