/**
 * Disposal holds and tombstones (issue 19; docs/api.md, "Disposal and erasure"), version 1: the hold
 * a `dispose` review starts (shown on the line and in reviews due), an admin's cancellation, and
 * what stays of an erased line (admins only).
 */
import { z } from 'zod';

/** An instant the api wrote (a Date in JSON: UTC with milliseconds). */
const written = z.iso.datetime();

/** The disposal hold of a line: erased at the first erasure job run after `eraseAfter`, unless an admin cancels it first. */
export const disposalHoldV1 = z
  .object({
    reviewId: z.string(),
    decidedAt: written,
    decidedBy: z.string(),
    eraseAfter: written,
    /** `held` (cancellable) or `erasing` (the job has begun: no longer cancellable). */
    status: z.enum(['held', 'erasing']),
  })
  .strict();

export const disposalCancelRequestV1 = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();

export const disposalCancelledV1 = z
  .object({
    reviewId: z.string(),
    lineId: z.string(),
    decidedAt: written,
    decidedBy: z.string(),
    eraseAfter: written,
    status: z.literal('cancelled'),
    cancelledAt: written,
    cancelledBy: z.string(),
    reason: z.string(),
  })
  .strict();

/** What stays of an erased line: its id, the erasure, the decision and the counts — and the ids of its erased events. No content. */
export const lineTombstoneV1 = z
  .object({
    erasureId: z.string(),
    erasedAt: written,
    reviewId: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: written.nullable(),
    legalBasis: z.string(),
    events: z.number().int(),
    alerts: z.number().int(),
    identifiers: z.number().int(),
    eventIds: z.array(z.string()),
  })
  .strict();

export const lineTombstonesV1 = z.object({ lineId: z.string(), tombstones: z.array(lineTombstoneV1) }).strict();

export type DisposalHoldV1 = z.output<typeof disposalHoldV1>;
export type DisposalCancelledV1 = z.output<typeof disposalCancelledV1>;
export type LineTombstonesV1 = z.output<typeof lineTombstonesV1>;
