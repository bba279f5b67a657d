/**
 * `line.state-change.v1`: a change of a line's CURRENT state, published by the tracker on
 * `lines.state-changes.v1` (key `lineId`) for the alerter and the live stream. One message per
 * real change: `changeId` is its identity, also in the `linewatch-change-id` header, so that a
 * consumer can drop the rare redelivery (the relay publishes at least once).
 *
 * `at` is event time (when the new state began); `detectedAt` is when the tracker decided it.
 * `late` says the change was caused by a report about the past (PRODUCT.md: a late report raises
 * an alert only when it changes the current state).
 *
 * `pushed` (added after the first release of v1; absent means true) says whether the change is
 * worth a pushed alert (webhook, e-mail). False for a change caused only by a history import, and
 * for the first record of a line that is already dormant or closed ("Alert noise", PRODUCT.md):
 * recorded everywhere, listed in the teams' digest, pushed to nobody; `heldReason` says why.
 */
import { z } from 'zod';
import { INTEL_EVENT_TYPES, areaCode, instant, lineId } from './intel-event.v1';

export const STATE_CHANGE_SCHEMA = 'line.state-change.v1';

export const LINE_STATE_NAMES = ['active', 'dormant', 'disrupted', 'closed'] as const;
export const TRANSITION_KINDS = ['new', 'reactivated', 'resurfaced', 'went_dormant', 'disrupted', 'closed'] as const;
/** Why a change is not pushed: a history import, or a line first recorded already dormant or closed. */
export const HELD_REASONS = ['history', 'first_record_dormant', 'first_record_closed'] as const;
export type HeldReason = (typeof HELD_REASONS)[number];

const lineState = z.enum(LINE_STATE_NAMES);
const transition = z.enum(TRANSITION_KINDS);

export const stateChangeV1 = z
  .object({
    schema: z.literal(STATE_CHANGE_SCHEMA),
    changeId: z.uuid(),
    lineId,
    /** Null: the line was never seen before. */
    from: lineState.nullable(),
    to: lineState,
    /** The change as seen by whoever saw `from` (new, reactivated, resurfaced, went_dormant, disrupted, closed). */
    kind: transition,
    /** When the new current state began, in event time. */
    at: instant,
    /** Caused by a report about the past (it sorted before what the line already knew). */
    late: z.boolean(),
    cause: z
      .object({
        /** The event that began the current period; null for dormancy (the absence of sightings). */
        eventId: z.uuid().nullable(),
        /** The cause's own kind in event time (may differ from `kind` after a late report). */
        kind: transition,
        type: z.enum(INTEL_EVENT_TYPES).nullable(),
        /** The cause's 3x5x2 grading (handling `C`: share only with conditions). Null for dormancy. */
        grading: z
          .object({
            source: z.enum(['1', '2', '3']),
            intelligence: z.enum(['A', 'B', 'C', 'D', 'E']),
            handling: z.enum(['P', 'C']),
          })
          .strict()
          .nullable(),
      })
      .strict(),
    /** Only when `to` is closed: Home Office closure type. */
    closureType: z.union([z.literal(1), z.literal(2)]).optional(),
    /** The area of the line's latest sighting (whose dormancy window applies). */
    area: areaCode.nullable(),
    /** Every area the line has evidence in: the neighbourhood teams to alert. */
    areas: z.array(areaCode),
    /** Safeguarding referrals linked to the line so far. */
    referrals: z.number().int().min(0),
    /** What found it: a batch of events, the dormancy sweep (no event needed). */
    trigger: z.enum(['events', 'dormancy_sweep']),
    detectedAt: instant,
    /** Worth a pushed alert (webhook, e-mail); absent means true (changes published before the field existed). */
    pushed: z.boolean().optional(),
    /** Only when `pushed` is false: why (history import, or a first record already dormant or closed). */
    heldReason: z.enum(HELD_REASONS).optional(),
  })
  .strict();

export type StateChangeV1 = z.infer<typeof stateChangeV1>;
