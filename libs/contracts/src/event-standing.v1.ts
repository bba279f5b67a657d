import { z } from 'zod';
import { LINE_STATE_NAMES } from './state-change.v1';
import { lineId, RESOLUTION_HOWS } from './line-identifier.v1';

/** `GET /v1/events/{eventId}`'s path: an eventId is a UUID. */
export const eventStandingParamsV1 = z.object({ eventId: z.uuid({ message: 'expected an eventId (a UUID)' }) }).strict();

/** One line an event went to, as it stands now. */
export const standingLineV1 = z.object({
  /** Where the event is now: the line it went to, or that line's survivor if it was merged since. */
  lineId,
  /** The id the stored event names, when it is not `lineId` (a merged line). */
  namedAs: lineId.optional(),
  how: z.enum(RESOLUTION_HOWS),
  conflictWith: lineId.optional(),
  /** The line's current state; null while the tracker keeps no timeline for it (the event not applied yet). */
  state: z.enum(LINE_STATE_NAMES).nullable(),
});

/**
 * Where an event stands (HTTP API contract, v1): `received` (ingest had Kafka's acknowledgement,
 * or the tracker stored it — a direct producer's event has no intake receipt), `stored` (the
 * tracker stored it), `applied` (on its lines' timelines). The tracker stores and applies an event
 * in one transaction, so `stored` and `applied` turn true together; `status` is the furthest step.
 * `erased`: the event was erased (its line's disposal, or retention): its id stays as a tombstone
 * (a resend is a duplicate, never stored again), its content is gone (`stored` false, no type).
 */
export const eventStandingV1 = z.object({
  eventId: z.string(),
  status: z.enum(['received', 'stored', 'applied', 'erased']),
  received: z.boolean(),
  receivedAt: z.string().nullable(),
  /** When it was erased (status `erased`). */
  erasedAt: z.string().optional(),
  stored: z.boolean(),
  applied: z.boolean(),
  /** Known once stored. */
  type: z.string().optional(),
  occurredAt: z.string().optional(),
  area: z.string().optional(),
  lines: z.array(standingLineV1),
});

export type EventStandingV1 = z.infer<typeof eventStandingV1>;
export type StandingLineV1 = z.infer<typeof standingLineV1>;
