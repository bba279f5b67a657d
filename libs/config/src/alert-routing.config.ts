/**
 * The alert routing file (PRODUCT.md, "Alerts"): severity by transition, the neighbourhood teams
 * with their escalation levels, recipients and quiet hours, and the digest window. Loaded once at
 * boot against the areas config, so that every area an event may name reaches a team.
 *
 * Owns: reading and validating the file. Must not touch: delivery, the clock, the environment
 * (the caller picks the file), other libraries.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { AreasConfig } from './areas.config';
import { ConfigError } from './load-config';

export type AlertSeverity = 'low' | 'medium' | 'high' | 'critical';
export type TransitionKindName = 'new' | 'reactivated' | 'resurfaced' | 'went_dormant' | 'disrupted' | 'closed';

export interface AlertRecipient {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  readonly webhookUrl?: string;
}

export interface EscalationLevel {
  readonly level: number;
  readonly name: string;
  readonly afterMinutes: number;
  readonly recipients: readonly AlertRecipient[];
}

export interface QuietHours {
  /** "HH:MM", wall clock in `timeZone`. */
  readonly from: string;
  readonly to: string;
  /** IANA zone; Europe/London when the file leaves it out. */
  readonly timeZone: string;
  /** Alerts at or above it are still delivered during quiet hours. */
  readonly minimumSeverity: AlertSeverity;
}

export interface AlertTeam {
  readonly id: string;
  readonly name: string;
  readonly levels: readonly EscalationLevel[];
  readonly quietHours?: QuietHours;
  readonly severityOverrides?: Partial<Record<TransitionKindName, AlertSeverity>>;
  readonly digestWindowSeconds?: number;
  /** When the team's digest goes out (PRODUCT.md "Team digest"); defaults filled in. */
  readonly digest: { readonly schedule: TeamDigestSchedule };
}

/** Daily (or on `days`) at each of `at`, wall clock in `timeZone` (docs/alerts.md, "Team digests"). */
export interface TeamDigestSchedule {
  readonly at: readonly string[];
  /** Lower-case English weekday names; empty: every day. */
  readonly days: readonly ('monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday')[];
  readonly timeZone: string;
}

/**
 * The intelligence team (PRODUCT.md "Closure check-backs"): who is reminded of a closure check-back
 * overdue by more than the alerter's CHECK_BACK_REMINDER_AFTER_DAYS — never officers, so its
 * recipients may not also be a neighbourhood team's. Optional: without it no reminder is sent
 * (the alerter says so at boot) and overdue check-backs wait for one.
 */
export interface IntelligenceTeam {
  readonly id: string;
  readonly name: string;
  readonly recipients: readonly AlertRecipient[];
}

export interface AlertRouting {
  readonly file: string;
  readonly severityByKind: Readonly<Record<TransitionKindName, AlertSeverity>>;
  readonly referralsRaiseSeverity: boolean;
  /** Several lines of one area changing within this window go out as one digest. */
  readonly digestWindowSeconds: number;
  readonly digestMinimumAlerts: number;
  /** How long alerts below high severity wait to be grouped with others for the same recipient (high and critical go at once). */
  readonly digestWaitSeconds: number;
  /**
   * Which areas' teams hear of a change: those of the line's evidence within this many days before
   * the change, plus the causing event's area and the line's own (latest sighting) area; null: every
   * area the line ever had evidence in.
   */
  readonly recentAreaDays: number | null;
  readonly teams: readonly AlertTeam[];
  /** Closure check-back reminders go to these recipients only; null when the file names none. */
  readonly intelligenceTeam: IntelligenceTeam | null;
  /** area code -> team id, from the areas config's neighbourhoodTeam */
  readonly teamOfArea: Readonly<Record<string, string>>;
}

const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const satisfies readonly AlertSeverity[];
const TRANSITION_KIND_NAMES = ['new', 'reactivated', 'resurfaced', 'went_dormant', 'disrupted', 'closed'] as const;

/** Resurfaced and reactivated lines rank above the rest (PRODUCT.md: "resurfaced/reactivated above dormant"). */
const DEFAULT_SEVERITY_BY_KIND: Readonly<Record<TransitionKindName, AlertSeverity>> = Object.freeze({
  resurfaced: 'high',
  reactivated: 'high',
  new: 'medium',
  disrupted: 'medium',
  closed: 'low',
  went_dormant: 'low',
});
const DEFAULT_DIGEST_WINDOW_SECONDS = 120;
const DEFAULT_DIGEST_MINIMUM_ALERTS = 3;
/** Alertmanager's group_wait is 30 s; lives depend on these, so shorter, and never for high alerts. */
const DEFAULT_DIGEST_WAIT_SECONDS = 10;
/** A line seen in Keynsham two years ago is no longer Keynsham's business. */
const DEFAULT_RECENT_AREA_DAYS = 90;
const DEFAULT_QUIET_HOURS_ZONE = 'Europe/London';

const severity = z.enum(ALERT_SEVERITIES);
// Every key optional, unknown keys refused: a typo in a kind must not pass silently.
const severityByKind = z.strictObject(Object.fromEntries(TRANSITION_KIND_NAMES.map((kind) => [kind, severity.optional()]))) as z.ZodType<
  Partial<Record<TransitionKindName, AlertSeverity>>
>;
const digestWindowSeconds = z.number().int().positive('must be a positive number of seconds');

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a wall-clock time "HH:MM" (00:00 to 23:59)');
const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as "Europe/London"');

const DIGEST_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
/** Default: daily 07:00 Europe/London. `at` is one "HH:MM" or a list; `days` leaves some weekdays out. */
const digest = z
  .object({
    schedule: z
      .object({
        at: z
          .union([clockTime, z.array(clockTime).min(1, 'at least one time')])
          .default('07:00')
          .transform((at) => [...new Set(typeof at === 'string' ? [at] : at)].sort()),
        days: z.array(z.enum(DIGEST_DAYS, { message: `expected one of ${DIGEST_DAYS.join(', ')}` })).default([]),
        timeZone: timeZone.default(DEFAULT_QUIET_HOURS_ZONE),
      })
      .strict()
      .default({ at: ['07:00'], days: [], timeZone: DEFAULT_QUIET_HOURS_ZONE }),
  })
  .strict()
  .default({ schedule: { at: ['07:00'], days: [], timeZone: DEFAULT_QUIET_HOURS_ZONE } });

const recipient = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    email: z.email('expected an e-mail address').optional(),
    // Only http(s): anything else (file:, javascript:) is not a webhook.
    webhookUrl: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' }).optional(),
  })
  .strict()
  .refine((r) => r.email !== undefined || r.webhookUrl !== undefined, 'a recipient needs an email or a webhookUrl');

const level = z
  .object({
    level: z.number().int().min(1),
    name: z.string().min(1),
    // Minutes, fractions allowed (0.5 = 30 s).
    afterMinutes: z.number().min(0),
    recipients: z.array(recipient).min(1, 'each level needs at least one recipient'),
  })
  .strict();

const levels = z
  .array(level)
  .min(1, 'a team needs at least one escalation level')
  .superRefine((all, ctx) => {
    all.forEach((l, i) => {
      if (l.level !== i + 1)
        ctx.addIssue({ code: 'custom', path: [i, 'level'], message: `levels are numbered 1..n in order: expected ${i + 1}` });
      if (i === 0 && l.afterMinutes !== 0)
        ctx.addIssue({ code: 'custom', path: [i, 'afterMinutes'], message: 'level 1 is alerted at once: afterMinutes must be 0' });
      if (i > 0 && l.afterMinutes <= all[i - 1].afterMinutes)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'afterMinutes'],
          message: `afterMinutes must increase: above ${all[i - 1].afterMinutes}`,
        });
    });
  });

const quietHours = z
  .object({
    from: clockTime,
    to: clockTime,
    timeZone: timeZone.default(DEFAULT_QUIET_HOURS_ZONE),
    minimumSeverity: severity,
  })
  .strict()
  // An empty window is surely a mistake (and "all day" is better said by minimumSeverity).
  .refine((q) => q.from !== q.to, { message: 'from and to must differ', path: ['to'] });

const team = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    levels,
    quietHours: quietHours.optional(),
    severityOverrides: severityByKind.optional(),
    digestWindowSeconds: digestWindowSeconds.optional(),
    digest,
  })
  .strict()
  .superRefine((t, ctx) => {
    const seen = new Map<string, string>();
    t.levels.forEach((l, i) =>
      l.recipients.forEach((r, j) => {
        const first = seen.get(r.id);
        if (first !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['levels', i, 'recipients', j, 'id'],
            message: `recipient id "${r.id}" already used at ${first}`,
          });
        else seen.set(r.id, `levels.${i}.recipients.${j}`);
      }),
    );
  });

const intelligenceTeam = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    recipients: z.array(recipient).min(1, 'the intelligence team needs at least one recipient'),
  })
  .strict()
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.recipients.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['recipients', i, 'id'], message: `recipient id "${r.id}" used twice` });
      seen.add(r.id);
    });
  });

/** Check-back reminders must not reach officers: the intelligence team shares no id, address or webhook with a neighbourhood team. */
function intelligenceTeamProblems(
  file: { teams: z.infer<typeof team>[]; intelligenceTeam?: z.infer<typeof intelligenceTeam> },
  ctx: z.RefinementCtx,
): void {
  const intel = file.intelligenceTeam;
  if (!intel) return;
  for (const t of file.teams) {
    if (t.id === intel.id)
      ctx.addIssue({ code: 'custom', path: ['intelligenceTeam', 'id'], message: `"${intel.id}" is also a neighbourhood team id` });
    const officers = t.levels.flatMap((l) => l.recipients);
    intel.recipients.forEach((r, i) => {
      for (const officer of officers) {
        if (r.email !== undefined && officer.email?.toLowerCase() === r.email.toLowerCase())
          ctx.addIssue({
            code: 'custom',
            path: ['intelligenceTeam', 'recipients', i, 'email'],
            message: `${r.email} is also a recipient of team "${t.id}": check-back reminders go to the intelligence team, not to officers`,
          });
        if (r.webhookUrl !== undefined && officer.webhookUrl === r.webhookUrl)
          ctx.addIssue({
            code: 'custom',
            path: ['intelligenceTeam', 'recipients', i, 'webhookUrl'],
            message: `this webhook is also team "${t.id}"'s: check-back reminders go to the intelligence team, not to officers`,
          });
      }
    });
  }
}

function routingFile(areas: AreasConfig) {
  return z
    .object({
      $comment: z.string().optional(),
      severityByKind: severityByKind.optional(),
      referralsRaiseSeverity: z.boolean().default(true),
      digestWindowSeconds: digestWindowSeconds.default(DEFAULT_DIGEST_WINDOW_SECONDS),
      // A digest of one alert is just an alert.
      digestMinimumAlerts: z.number().int().min(2).default(DEFAULT_DIGEST_MINIMUM_ALERTS),
      digestWaitSeconds: z.number().min(0).max(300).default(DEFAULT_DIGEST_WAIT_SECONDS),
      recentAreaDays: z.number().int().min(1).max(3650).nullable().default(DEFAULT_RECENT_AREA_DAYS),
      teams: z
        .array(team)
        .min(1, 'at least one team')
        .superRefine((teams, ctx) => {
          const index = new Map<string, number>();
          teams.forEach((t, i) => {
            if (index.has(t.id))
              ctx.addIssue({
                code: 'custom',
                path: [i, 'id'],
                message: `team ids must be unique: "${t.id}" is also teams.${index.get(t.id)}`,
              });
            else index.set(t.id, i);
          });
          // Every area an event may name must reach someone (areas file: neighbourhoodTeam).
          for (const area of areas.areas) {
            if (!index.has(area.neighbourhoodTeam))
              ctx.addIssue({
                code: 'custom',
                path: [],
                message: `area "${area.code}" has neighbourhoodTeam "${area.neighbourhoodTeam}" (${areas.file}), which is not a team in this file`,
              });
          }
        }),
      intelligenceTeam: intelligenceTeam.optional(),
    })
    .strict()
    .superRefine(intelligenceTeamProblems);
}

/** The shipped file, found from the code's location (sources, dist/ or an image alike). */
export function defaultAlertRoutingFile(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'config', 'alert-routing.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return join(process.cwd(), 'config', 'alert-routing.json');
  }
}

/** Reads and validates the routing file against the areas; every problem is reported against ALERT_ROUTING_FILE. */
export function loadAlertRouting(file: string, areas: AreasConfig): AlertRouting {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([`ALERT_ROUTING_FILE: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const result = routingFile(areas).safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map(
        (issue) => `ALERT_ROUTING_FILE (${file}) ${issue.path.join('.') || '(file)'}: ${issue.message}${teamNamed(raw, issue.path)}`,
      ),
    );
  }
  const { $comment: _comment, severityByKind: given, intelligenceTeam: intel, ...rest } = result.data;
  const teamOfArea: Record<string, string> = {};
  for (const area of areas.areas) teamOfArea[area.code] = area.neighbourhoodTeam;
  return deepFreeze({
    file,
    ...rest,
    severityByKind: { ...DEFAULT_SEVERITY_BY_KIND, ...given },
    intelligenceTeam: intel ?? null,
    teamOfArea,
  });
}

/** ` (team "bath-npt")` for a problem inside a team, so that the message names it, not only its index. */
function teamNamed(raw: unknown, path: readonly PropertyKey[]): string {
  if (path[0] !== 'teams' || typeof path[1] !== 'number') return '';
  const id = (raw as { teams?: { id?: unknown }[] } | null)?.teams?.[path[1]]?.id;
  return typeof id === 'string' ? ` (team "${id}")` : '';
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
