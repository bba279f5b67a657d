import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { positiveIntegerVariable } from '@linewatch/config';
import { WEEKDAYS } from '@linewatch/domain';
import { z } from 'zod';

/** The api's export variables (parsed once at boot with the rest of its config; docs/exports.md). */
export const exportEnvShape = {
  /** The weekly job: `on` (default) or `off`. */
  EXPORT_SCHEDULE: z.enum(['on', 'off']).default('on'),
  /** Day and local time (Europe/London) of the weekly run. */
  EXPORT_SCHEDULE_DAY: z.enum(WEEKDAYS).default('monday'),
  EXPORT_SCHEDULE_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time HH:MM')
    .default('06:00'),
  /** How often each replica looks whether a run is due (a missed run is caught up at boot). */
  EXPORT_SCHEDULE_INTERVAL_MS: positiveIntegerVariable(60_000),
  /** How long a replica holds a run before another may take it over. */
  EXPORT_SCHEDULE_LEASE_MS: positiveIntegerVariable(10 * 60_000),
  /** The job's name in export_schedule_runs (one per environment sharing a database). */
  EXPORT_SCHEDULE_JOB: z.string().min(1).max(64).default('weekly-export'),
  /** Weeks each scheduled export covers, ending with the last complete week. */
  EXPORT_WEEKS: positiveIntegerVariable(12),
  EXPORT_DIR: z.string().min(1).default('data/exports'),
  /** Comma-separated e-mail addresses that receive the partner version. */
  EXPORT_RECIPIENTS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0),
    )
    .pipe(z.array(z.email('expected e-mail addresses separated by commas'))),
  /** Partner version: counts of people from 1 to this − 1 are suppressed. */
  EXPORT_SUPPRESS_BELOW: positiveIntegerVariable(5),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).default('smtp://127.0.0.1:2525'),
  EXPORT_MAIL_FROM: z.string().min(3).default('LineWatch exports <exports@linewatch.invalid>'),
};

/** This replica's name in the job's lease. */
export const replicaName = () => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
