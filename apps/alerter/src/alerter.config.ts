import {
  ConfigError,
  DEFAULT_WEBHOOK_ALLOWED_HOSTS,
  defaultAlertRoutingFile,
  loadAlertRouting,
  loadServiceConfig,
  parseWebhookAllowList,
  positiveIntegerVariable,
  webhookProblemsOf,
  type Env,
  type WebhookAllowList,
} from '@linewatch/config';
import { z } from 'zod';

const secret = z.string().min(32, 'must be at least 32 characters');

export function loadAlerterConfig(env: Env) {
  const config = loadServiceConfig('alerter', env, {
    ALERTER_GROUP_ID: z.string().min(1).default('linewatch-alerter'),
    /** Areas → teams → recipients, channels, escalation, quiet hours (config/alert-routing.json). */
    ALERT_ROUTING_FILE: z.string().min(1).optional(),
    /** HMAC key for webhook signatures; receivers verify with it (npm start makes a development one). */
    ALERT_WEBHOOK_SECRET: secret,
    /** Signs the acknowledgement links in messages (the api checks them with the same key). */
    ALERT_LINK_SECRET: secret,
    /** Where officers reach the api from a message (acknowledgement links). */
    ALERT_LINK_BASE_URL: z.url().default('http://127.0.0.1:3000'),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).default('smtp://127.0.0.1:2525'),
    SMTP_FROM: z.string().min(3).default('LineWatch alerts <alerts@linewatch.invalid>'),
    /** How often due deliveries are looked for (new alerts wake the worker at once). */
    ALERTER_DELIVERY_INTERVAL_MS: positiveIntegerVariable(1_000),
    /** How often unacknowledged alerts are checked for escalation. */
    ALERTER_ESCALATION_INTERVAL_MS: positiveIntegerVariable(5_000),
    /** Attempts per delivery before it is given up (and reported failed). */
    ALERTER_MAX_ATTEMPTS: positiveIntegerVariable(8),
    /** Longest a claimed delivery waits before another worker may retry it (a worker that died mid-send). */
    ALERTER_DELIVERY_LEASE_MS: positiveIntegerVariable(30_000),
    ALERTER_SESSION_TIMEOUT_MS: positiveIntegerVariable(30_000),
    /** Team digests on their schedules (routing file, digest.schedule); off: none sent. */
    ALERTER_DIGESTS: z.enum(['on', 'off'], { message: 'expected on or off' }).default('on'),
    /** How often each replica looks for a digest due (a missed one is caught up at boot). */
    ALERTER_DIGEST_INTERVAL_MS: positiveIntegerVariable(30_000),
    /** How long a replica may hold a team's digest before another takes over (one that died mid-send). */
    ALERTER_DIGEST_LEASE_MS: positiveIntegerVariable(120_000),
    /** Closure check-back reminders to the routing file's intelligenceTeam (docs/alerts.md); off: none sent. */
    CHECK_BACK_REMINDERS: z.enum(['on', 'off'], { message: 'expected on or off' }).default('on'),
    /** A check-back overdue by MORE than this many days raises its one reminder (PRODUCT.md: 7). */
    CHECK_BACK_REMINDER_AFTER_DAYS: positiveIntegerVariable(7),
    /** How often each replica looks for check-backs wanting a reminder. */
    CHECK_BACK_REMINDER_INTERVAL_MS: positiveIntegerVariable(60_000),
    /** How long a replica may hold a reminder before another takes over (one that died mid-send). */
    CHECK_BACK_REMINDER_LEASE_MS: positiveIntegerVariable(120_000),
    /** host[:port] patterns webhooks may go to (no server-side request forgery); the default is the local alert sink. */
    ALERT_WEBHOOK_ALLOWED_HOSTS: z
      .string()
      .default(DEFAULT_WEBHOOK_ALLOWED_HOSTS)
      .superRefine((value, ctx) => {
        for (const problem of parseWebhookAllowList(value).problems) ctx.addIssue({ code: 'custom', message: problem });
      }),
    /** Private and loopback addresses reached through an allowed host name (internal receivers). */
    ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS: z
      .enum(['true', 'false'], { message: 'expected true or false' })
      .default('false')
      .transform((v) => v === 'true'),
  });
  const webhooks: WebhookAllowList = Object.freeze({
    hosts: parseWebhookAllowList(config.extra.ALERT_WEBHOOK_ALLOWED_HOSTS).hosts,
    allowPrivateNetworks: config.extra.ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS,
  });
  // Validated at boot with the rest (exit 78 naming every problem); reloadable later (RoutingHolder).
  const routingFile = config.extra.ALERT_ROUTING_FILE ?? defaultAlertRoutingFile();
  const routing = loadAlertRouting(routingFile, config.areas);
  const problems = webhookProblemsOf(routing, webhooks);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({ ...config, routingFile, routing, webhooks });
}

export type AlerterConfig = ReturnType<typeof loadAlerterConfig>;
export const ALERTER_CONFIG = Symbol('ALERTER_CONFIG');
