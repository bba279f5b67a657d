/**
 * Closure check-backs, version 1 (HTTP API contract; PRODUCT.md "Closure check-backs"): recording
 * a check-back (`POST /v1/lines/:lineId/check-backs`), the check-backs due
 * (`GET /v1/check-backs/due`), and the reminder an overdue one sends the intelligence team's
 * recipients by webhook.
 */
import { z } from 'zod';
import { lineSighting } from './intel-event.v1';
import { requestInstant, writtenInstant } from './line-api.v1';

export const CHECK_BACK_OUTCOMES = ['out_of_use', 'in_use'] as const;
export const CHECK_BACK_STATUSES = ['scheduled', 'done', 'cancelled'] as const;
const pageLimit = z.coerce.number().int().min(1).max(500).default(100);

/**
 * An analyst's check-back: the number is still out of use (`out_of_use`, an alteration in the s.62
 * log) or in use (`in_use`: published as a sighting dated `checkedAt`, so the line resurfaces and
 * alerts as usual). `checkBackId` names which (GET /v1/check-backs/due, or the line's
 * `checkBacks`); left out: the earliest still scheduled of the line's current closure.
 */
export const checkBackRequestV1 = z
  .object({
    outcome: z.enum(CHECK_BACK_OUTCOMES),
    rationale: z.string().trim().min(3).max(2000),
    /** When the number was checked (default now); not in the future, not before the closure. */
    checkedAt: requestInstant.optional(),
    checkBackId: z.uuid({ message: 'expected a UUID' }).optional(),
  })
  .strict();

export const checkBackV1 = z
  .object({
    checkBackId: z.string(),
    lineId: z.string(),
    /** The Type 1 closure (a `line.assessed` event) that called for it, and when it took effect (event time). */
    closureEventId: z.string(),
    closedAt: writtenInstant,
    offsetDays: z.number().int().min(1),
    dueAt: writtenInstant,
    status: z.enum(CHECK_BACK_STATUSES),
    outcome: z.enum(CHECK_BACK_OUTCOMES).nullable(),
    checkedAt: writtenInstant.nullable(),
    recordedAt: writtenInstant.nullable(),
    recordedBy: z.string().nullable(),
    rationale: z.string().nullable(),
    /** With `in_use`: the sighting event published for it. */
    sightingEventId: z.string().nullable(),
  })
  .strict();

/** What recording a check-back answers: the check-back as recorded, and (in_use) the sighting published. */
export const checkBackAnswerV1 = z.object({ checkBack: checkBackV1, sighting: lineSighting.nullable() }).strict();

export const dueCheckBacksQueryV1 = z
  .object({ by: requestInstant.optional(), after: z.string().min(1).max(200).optional(), limit: pageLimit })
  .strict();

export const checkBackDueV1 = z
  .object({
    checkBackId: z.string(),
    lineId: z.string(),
    area: z.string().nullable(),
    areas: z.array(z.string()),
    closureEventId: z.string(),
    closedAt: writtenInstant,
    offsetDays: z.number().int().min(1),
    dueAt: writtenInstant,
    /** Whole days past `dueAt` at the time of the request (0: due today). */
    daysOverdue: z.number().int().min(0),
  })
  .strict();

export const dueCheckBacksV1 = z.object({ by: writtenInstant, checkBacks: z.array(checkBackDueV1), next: z.string().nullable() }).strict();

/** The reminder of a check-back overdue by more than the configured days, as posted to an intelligence-team webhook. */
export const checkBackReminderWebhookV1 = z
  .object({
    type: z.literal('check-back-reminder'),
    reminderId: z.string(),
    deliveryId: z.string(),
    severity: z.literal('low'),
    checkBack: checkBackDueV1,
    subject: z.string(),
    text: z.string(),
    sentAt: writtenInstant,
  })
  .strict();

export type CheckBackV1 = z.output<typeof checkBackV1>;
export type CheckBackDueV1 = z.output<typeof checkBackDueV1>;
export type DueCheckBacksV1 = z.output<typeof dueCheckBacksV1>;
export type CheckBackReminderWebhookV1 = z.output<typeof checkBackReminderWebhookV1>;
