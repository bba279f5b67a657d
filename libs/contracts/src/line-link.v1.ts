/**
 * Link decisions (PRODUCT.md, "Line identity", Links): an analyst merges line B into line A, undoes
 * a merge, or attaches a number or handset to a line from an instant. They travel on
 * `intel.events.v1` like assessments, with the same envelope (event time, area, grading, source),
 * and say who decided and why. Only LineWatch's api publishes them (analyst role): they are not
 * part of the intake union, so `POST /v1/events` refuses them (UNKNOWN_TYPE). What a decision does
 * is the domain's rule (`libs/domain`, `line-links.rules.ts`).
 */
import { z } from 'zod';
import { envelopeShape } from './intel-event.v1';
import { checkedImei, lineId, phoneNumber } from './line-identifier.v1';

export const LINE_LINK_TYPES = ['line.merged', 'line.unmerged', 'line.identifier_attached'] as const;
export type LineLinkType = (typeof LINE_LINK_TYPES)[number];

/** Who decided: the analyst's token subject (the s.62 combination entry names them). */
const decidedBy = z.string().min(1).max(128);
/** Why: required, as for every s.62 entry. */
const justification = z.string().min(1).max(2000);

/**
 * Line B (`lineId`) merged into line A (`body.into`) — A survives, B's id becomes an alias of A.
 * `occurredAt` is the decision's instant in event time; the merge joins ALL of B's events to A.
 */
export const lineMerged = z
  .object({
    ...envelopeShape,
    type: z.literal('line.merged'),
    lineId,
    body: z.object({ into: lineId, decidedBy, justification }).strict(),
  })
  .strict();

/** Undoes exactly the merge `body.mergeEventId` of line `lineId` (the merged line, B). */
export const lineUnmerged = z
  .object({
    ...envelopeShape,
    type: z.literal('line.unmerged'),
    lineId,
    body: z
      .object({ mergeEventId: z.uuid({ message: 'expected the eventId (UUID) of the merge to undo' }), decidedBy, justification })
      .strict(),
  })
  .strict();

/** A number or handset attached to line `lineId` from `occurredAt` on (an analyst's attribution). */
export const lineIdentifierAttached = z
  .object({
    ...envelopeShape,
    type: z.literal('line.identifier_attached'),
    lineId,
    body: z
      .object({ msisdn: phoneNumber.optional(), imei: checkedImei.optional(), decidedBy, justification })
      .strict()
      .refine((b) => (b.msisdn === undefined) !== (b.imei === undefined), { message: 'attach exactly one identifier: msisdn or imei' }),
  })
  .strict();

export const lineLinkV1 = z.discriminatedUnion('type', [lineMerged, lineUnmerged, lineIdentifierAttached]);

export type LineLinkV1 = z.infer<typeof lineLinkV1>;
export type LineLinkInput = z.input<typeof lineLinkV1>;

/** The lines a link decision concerns (its Kafka keys): both lines of a merge, the line otherwise. */
export function linesOfLink(event: LineLinkV1): readonly string[] {
  switch (event.type) {
    case 'line.merged':
      return [event.lineId, event.body.into];
    case 'line.unmerged':
    case 'line.identifier_attached':
      return [event.lineId];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
