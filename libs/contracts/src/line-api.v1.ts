/**
 * The api's line routes, version 1 (HTTP API contract): what `GET /v1/lines`, `GET /v1/lines/:lineId`,
 * assessments and MoPI reviews take and answer. The request schemas are the ones the api validates
 * with (its one validation pipe); the answers are what a caller reads as JSON.
 */
import { z } from 'zod';
import { disposalHoldV1 } from './erasure-api.v1';
import { INTEL_EVENT_TYPES, instant, intelEventV1, lineAssessed } from './intel-event.v1';
import { IDENTIFIER_KINDS } from './line-identifier.v1';
import { LINE_LINK_TYPES } from './line-link.v1';
import { LINE_STATE_NAMES, TRANSITION_KINDS } from './state-change.v1';

/** A request's instant: ISO-8601 with an explicit offset, handed to the service as a Date. */
export const requestInstant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
/** An instant the api wrote (a Date in JSON: UTC with milliseconds). */
export const writtenInstant = z.iso.datetime();
const pageLimit = (max: number) => z.coerce.number().int().min(1).max(max).default(100);

export const lineParamsV1 = z.object({ lineId: z.string().min(1).max(64) });

export const lineListQueryV1 = z
  .object({
    state: z.enum(LINE_STATE_NAMES).optional(),
    area: z.string().min(1).max(64).optional(),
    // A whole brand, compared as line identity compares brands (not a pattern: % and _ are characters).
    brand: z.string().trim().min(1).max(64).optional(),
    // Lines that held this number or handset (normalised by the api: INVALID_MSISDN / INVALID_IMEI otherwise).
    msisdn: z.string().trim().min(1).max(40).optional(),
    imei: z.string().trim().min(1).max(40).optional(),
    changedSince: requestInstant.optional(),
    after: z.string().min(1).max(64).optional(),
    limit: pageLimit(500),
  })
  .strict();

export const lineQueryV1 = z.object({ asAt: requestInstant.optional() }).strict();

export const lineSummaryV1 = z
  .object({
    lineId: z.string(),
    state: z.enum(LINE_STATE_NAMES).nullable(),
    stateSince: writtenInstant.nullable(),
    area: z.string().nullable(),
    areas: z.array(z.string()),
    lastSightingAt: writtenInstant.nullable(),
    referrals: z.number().int(),
    dormancyOverrideDays: z.number().int().nullable(),
    updatedAt: writtenInstant,
    reviewDueAt: writtenInstant,
    /**
     * Line identity (PRODUCT.md): the brands the line used (compared form), most recently seen
     * first, and its current number (E.164; the latest-started one still held) — only what the
     * reader may see: for whoever is shown handling-C events withheld, nothing known only from them.
     */
    brands: z.array(z.string()),
    currentNumber: z.string().nullable(),
  })
  .strict();

export const lineListV1 = z.object({ lines: z.array(lineSummaryV1), next: z.string().nullable() }).strict();

export const statePeriodV1 = z
  .object({
    state: z.enum(LINE_STATE_NAMES),
    from: writtenInstant,
    to: writtenInstant.nullable(),
    cause: z.object({ eventId: z.string().nullable(), kind: z.enum(TRANSITION_KINDS) }).strict(),
    closureType: z.union([z.literal(1), z.literal(2)]).optional(),
  })
  .strict();

/** An event with handling code C as a caller who may not see it reads it: what, when, where, the grading. */
export const withheldEventV1 = z
  .object({
    eventId: z.string(),
    type: z.enum(INTEL_EVENT_TYPES),
    occurredAt: instant,
    area: z.string(),
    grading: z
      .object({ source: z.enum(['1', '2', '3']), intelligence: z.enum(['A', 'B', 'C', 'D', 'E']), handling: z.literal('C') })
      .strict(),
    /** Why the rest is not shown, and whom to ask. */
    withheld: z.string(),
  })
  .strict();

/**
 * An event of a line's detail: as stored (the resolved `intel.event.v1` the tracker validated,
 * JSON Schema in libs/contracts/schemas/), or withheld (handling code C, for a caller who may not
 * see it). Both are strict: an event either has `withheld` and no `source`/`body`, or is whole.
 */
export const lineEventV1 = z.union([withheldEventV1, intelEventV1]);

export const lineReviewV1 = z
  .object({
    reviewId: z.string(),
    lineId: z.string(),
    reviewedAt: writtenInstant,
    reviewedBy: z.string(),
    decision: z.enum(['retain', 'dispose']),
    rationale: z.string(),
    nextReviewAt: writtenInstant.nullable(),
  })
  .strict();

/**
 * A number or handset the line held over `[from, to)` (`to` null: still held), and the events that
 * started and ended it. The same shape as the lookup's interval (identity-api.v1); declared here
 * because that module imports this one.
 */
export const lineIdentifierIntervalV1 = z
  .object({
    kind: z.enum(IDENTIFIER_KINDS),
    value: z.string(),
    from: writtenInstant,
    to: writtenInstant.nullable(),
    startedBy: z.string(),
    endedBy: z.string().nullable(),
  })
  .strict();

/** An analyst's link decision concerning the line or one merged into it (who, when, why). */
export const lineLinkDecisionV1 = z
  .object({
    eventId: z.string(),
    type: z.enum(LINE_LINK_TYPES),
    /** The line the decision names: the merged line (B) of a merge or unmerge, the line given the identifier of an attachment. */
    lineId: z.string(),
    /** A merge: the line B was merged into. */
    into: z.string().nullable(),
    /** An unmerge: the merge it undid. */
    mergeEventId: z.string().nullable(),
    /** An attachment: the number or handset attached from `occurredAt`. */
    identifier: z
      .object({ kind: z.enum(IDENTIFIER_KINDS), value: z.string() })
      .strict()
      .nullable(),
    occurredAt: writtenInstant,
    decidedBy: z.string(),
    rationale: z.string(),
  })
  .strict();

/**
 * A line's identity as the reader may see it: numbers and handsets with their intervals (oldest
 * first), brands (compared form; `writtenAs` only for readers shown handling-C evidence), the lines
 * merged into it (aliases: their ids resolve to this line) and the link decisions concerning it.
 * Whoever is shown handling-C events withheld sees no identifier or brand known only from them.
 */
export const lineIdentityV1 = z
  .object({
    numbers: z.array(lineIdentifierIntervalV1),
    handsets: z.array(lineIdentifierIntervalV1),
    brands: z.array(
      z
        .object({ brand: z.string(), writtenAs: z.array(z.string()).optional(), firstSeenAt: writtenInstant, lastSeenAt: writtenInstant })
        .strict(),
    ),
    aliases: z.array(
      z
        .object({
          lineId: z.string(),
          /** The line it was merged into (this line, or another alias of it: a chain). */
          mergedInto: z.string(),
          mergedAt: writtenInstant,
          mergeEventId: z.string(),
        })
        .strict(),
    ),
    links: z.array(lineLinkDecisionV1),
  })
  .strict();

export const lineDetailV1 = lineSummaryV1
  .extend({
    /**
     * The id asked for when it is a merged line's (an alias): the answer is the line it resolves
     * to (its survivor), whose id is `lineId`. Absent when the line was asked for by its own id.
     */
    resolvedFrom: z.string().optional(),
    identity: lineIdentityV1,
    periods: z.array(statePeriodV1),
    /** The most recent events, newest first. */
    events: z.array(lineEventV1),
    reviews: z.array(lineReviewV1),
    /** The line's disposal hold (a `dispose` review, not yet erased nor cancelled), or null. */
    disposal: disposalHoldV1.nullable(),
    asAt: z
      .object({ at: writtenInstant, state: z.enum(LINE_STATE_NAMES).nullable(), since: writtenInstant.nullable() })
      .strict()
      .optional(),
  })
  .strict();

export const assessmentRequestV1 = z
  .object({
    decision: z.enum(['closure_type_1', 'closure_type_2', 'reopen', 'dormancy_override']),
    rationale: z.string().trim().min(3).max(2000),
    dormancyWindowDays: z.number().int().min(1).max(365).optional(),
    occurredAt: requestInstant.optional(),
    handling: z.enum(['P', 'C']).optional(),
  })
  .strict();

export const assessmentAnswerV1 = z.object({ eventId: z.string(), status: z.literal('accepted'), event: lineAssessed }).strict();

export const reviewRequestV1 = z
  .object({
    decision: z.enum(['retain', 'dispose']),
    rationale: z.string().trim().min(3).max(2000),
    nextReviewAt: requestInstant.optional(),
  })
  .strict();

export const dueReviewsQueryV1 = z
  .object({ by: requestInstant.optional(), after: z.string().min(1).max(200).optional(), limit: pageLimit(500) })
  .strict();

export const dueReviewsV1 = z
  .object({
    by: writtenInstant,
    lines: z.array(
      z
        .object({
          lineId: z.string(),
          state: z.enum(LINE_STATE_NAMES).nullable(),
          area: z.string().nullable(),
          areas: z.array(z.string()),
          reviewDueAt: writtenInstant,
          lastReviewedAt: writtenInstant.nullable(),
          lastSightingAt: writtenInstant.nullable(),
          /** A line marked for disposal is listed with its hold until it is erased (or the hold is cancelled). */
          disposal: disposalHoldV1.nullable(),
        })
        .strict(),
    ),
    next: z.string().nullable(),
  })
  .strict();

export type LineSummaryV1 = z.output<typeof lineSummaryV1>;
export type LineListV1 = z.output<typeof lineListV1>;
export type StatePeriodV1 = z.output<typeof statePeriodV1>;
export type WithheldEventV1 = z.output<typeof withheldEventV1>;
export type LineEventV1 = z.output<typeof lineEventV1>;
export type LineReviewV1 = z.output<typeof lineReviewV1>;
export type LineDetailV1 = z.output<typeof lineDetailV1>;
export type LineIdentityV1 = z.output<typeof lineIdentityV1>;
export type LineIdentifierIntervalV1 = z.output<typeof lineIdentifierIntervalV1>;
export type LineLinkDecisionV1 = z.output<typeof lineLinkDecisionV1>;
