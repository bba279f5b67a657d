/**
 * The api's session, area, audit and export routes, version 1 (HTTP API contract): what they
 * take (the schemas the api validates with) and answer.
 */
import { z } from 'zod';
import { ALERT_SEVERITIES } from './alert-view.v1';
import { ROLES } from './roles';
import { requestInstant, writtenInstant } from './line-api.v1';

export const sessionV1 = z.object({ subject: z.string(), roles: z.array(z.enum(ROLES)), areas: z.array(z.string()) }).strict();

export const areasV1 = z
  .object({
    areas: z.array(
      z
        .object({ code: z.string(), name: z.string(), team: z.object({ teamId: z.string(), name: z.string() }).strict().nullable() })
        .strict(),
    ),
  })
  .strict();

const recipient = z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), webhookUrl: z.string().nullable() }).strict();

export const teamsV1 = z
  .object({
    teams: z.array(
      z
        .object({
          teamId: z.string(),
          name: z.string(),
          areas: z.array(z.string()),
          /** When alerts below `minimumSeverity` wait: "HH:MM" wall clock in `timeZone`, `from` later than `to` spans midnight. */
          quietHours: z
            .object({
              from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
              to: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
              timeZone: z.string(),
              minimumSeverity: z.enum(ALERT_SEVERITIES),
            })
            .strict()
            .nullable(),
          levels: z.array(
            z
              .object({
                level: z.number().int(),
                name: z.string(),
                afterMinutes: z.number(),
                // Recipients' addresses are personal data: admins get them, others their number.
                recipients: z.union([z.array(recipient), z.number().int()]),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();

export const AUDIT_ACTIONS = ['collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure'] as const;

export const auditQueryV1 = z
  .object({
    actor: z.string().min(1).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    subjectType: z.string().min(1).optional(),
    subjectId: z.string().min(1).optional(),
    since: requestInstant.optional(),
    until: requestInstant.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const auditEntriesV1 = z
  .object({
    entries: z.array(
      z
        .object({
          entryId: z.string(),
          chainSeq: z.string().nullable(),
          at: writtenInstant,
          actor: z.string(),
          action: z.string(),
          subjectType: z.string(),
          subjectId: z.string(),
          recipient: z.string().nullable(),
          channel: z.string().nullable(),
          justification: z.string(),
          details: z.unknown(),
          hash: z.string().nullable(),
        })
        .strict(),
    ),
  })
  .strict();

/** Where the checkpoints of the chain were read from, and what was found there. */
export const auditCheckpointSourceV1 = z
  .object({
    source: z.enum(['file', 'topic']),
    /** The file's path, or the topic's name. */
    location: z.string(),
    /** True when it was read; false with `error` when not (no file yet, broker unreachable, no key). */
    read: z.boolean(),
    checkpoints: z.number().int(),
    error: z.string().nullable(),
  })
  .strict();

/**
 * Where the database and a checkpoint disagree: `rewritten` (the entry, or one before it back to
 * the last agreeing checkpoint, no longer is what was checkpointed), `truncated` (a checkpoint
 * names entries beyond the current tail).
 */
export const auditDisagreementV1 = z
  .object({
    kind: z.enum(['rewritten', 'truncated']),
    chainSeq: z.string(),
    entryId: z.string().nullable(),
    /** The last checkpointed position that still agrees ("0": none); the change lies after it. */
    agreesUpTo: z.string(),
    checkpointId: z.string(),
    checkpointAt: writtenInstant,
    reason: z.string(),
  })
  .strict();

export const auditChainV1 = z
  .object({
    entries: z.number().int(),
    /** The chain holds in the database, agrees with every checkpoint, and no checkpoint is forged. */
    intact: z.boolean(),
    /** The first entry whose hash or link does not hold in the database itself. */
    firstBroken: z.object({ entryId: z.string(), chainSeq: z.string(), reason: z.string() }).strict().nullable(),
    checkpoints: z
      .object({
        /** False when no checkpoint key is configured: nothing outside the database was checked. */
        configured: z.boolean(),
        sources: z.array(auditCheckpointSourceV1),
        /** Distinct checkpoints with a valid signature, checked against the chain. */
        checked: z.number().int(),
        /** Checkpoints whose signature does not hold under the configured key. */
        forged: z.array(z.object({ checkpointId: z.string(), source: z.enum(['file', 'topic']), reason: z.string() }).strict()),
        /** The newest valid checkpoint. */
        latest: z.object({ chainSeq: z.string(), entryId: z.string().nullable(), at: writtenInstant }).strict().nullable(),
      })
      .strict(),
    /** The first entry (in chain order) where the database and a checkpoint disagree. */
    firstDisagreement: auditDisagreementV1.nullable(),
    /** A truncated tail, reported even when a rewrite comes first (`firstDisagreement`). */
    truncation: auditDisagreementV1.nullable(),
  })
  .strict();

export const EXPORT_FORMATS = ['csv', 'json', 'xlsx', 'svg', 'png'] as const;

export const weeklyExportQueryV1 = z
  .object({
    from: z.iso.date({ message: 'expected a date YYYY-MM-DD' }),
    to: z.iso.date({ message: 'expected a date YYYY-MM-DD' }),
    area: z.string().min(1).max(64).optional(),
    format: z.enum(EXPORT_FORMATS).default('json'),
    version: z.enum(['partner', 'full']).optional(),
  })
  .strict();

/**
 * The figures of a weekly row, in the CSV's column order (docs/exports.md): lines, then events and
 * the people they concern. The same names as libs/domain's WEEKLY_FIGURES (a spec of the api keeps
 * them in step).
 */
export const EXPORT_FIGURES = [
  'linesActive',
  'activeAtWeekEnd',
  'new',
  'reactivated',
  'resurfaced',
  'wentDormant',
  'disrupted',
  'closedType1',
  'closedType2',
  'raids',
  'arrests',
  'seizures',
  'referrals',
  'referralsChildren',
  'referralsAdults',
  'referralsCriminal',
  'referralsSexual',
  'referralsCuckooing',
  'checkBacksDone',
  'checkBacksOverdue',
] as const;

/** How the partner version shows a suppressed count of people (the ONS convention for "confidential"). */
export const EXPORT_SUPPRESSED_MARKER = '[c]';

/** A figure: a count, or (partner version, counts of people) the suppression marker. */
const exportFigure = z.union([z.number().int().min(0), z.literal(EXPORT_SUPPRESSED_MARKER)]);

/** One area (or "all") and ISO week. */
export const weeklyExportRowV1 = z
  .object({
    area: z.string(),
    areaName: z.string(),
    isoWeek: z.string().regex(/^\d{4}-W\d{2}$/),
    /** The week's local Monday, YYYY-MM-DD. */
    weekStart: z.iso.date(),
    ...(Object.fromEntries(EXPORT_FIGURES.map((figure) => [figure, exportFigure])) as Record<
      (typeof EXPORT_FIGURES)[number],
      typeof exportFigure
    >),
  })
  .strict();

/** `format=json`: one row per area and ISO week (the CSV's columns), figures as numbers or the suppression marker. */
export const weeklyExportJsonV1 = z
  .object({
    from: z.string(),
    to: z.string(),
    fromWeek: z.string(),
    toWeek: z.string(),
    version: z.enum(['partner', 'full']),
    area: z.string().nullable(),
    timeZone: z.string(),
    generatedAt: writtenInstant,
    suppressBelow: z.number().int().optional(),
    suppressedMarker: z.literal(EXPORT_SUPPRESSED_MARKER).optional(),
    rows: z.array(weeklyExportRowV1),
    /** One row per ISO week for all the areas asked for together (area "all"). */
    totals: z.array(weeklyExportRowV1),
  })
  .strict();

export type SessionV1 = z.output<typeof sessionV1>;
export type AreaV1 = z.output<typeof areasV1>['areas'][number];
export type TeamV1 = z.output<typeof teamsV1>['teams'][number];
export type WeeklyExportRowV1 = z.output<typeof weeklyExportRowV1>;
export type WeeklyExportJsonV1 = z.output<typeof weeklyExportJsonV1>;
