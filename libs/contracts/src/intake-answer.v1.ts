import { z } from 'zod';
import { REJECTION_CODES } from './intel-event.validation';
import { lineId, lineResolution, RESOLUTION_HOWS } from './line-identifier.v1';

/**
 * What ingest's `POST /v1/events` answers (HTTP API contract, v1). One event: its outcome
 * (202 accepted, 200 duplicate, 422 rejected). A JSON array: each event's outcome and a summary
 * (200). A streamed NDJSON or CSV upload: counts and the first rejected rows (200; 400, 413 or
 * 503 with the same counts when the upload stopped part-way — what was counted stays accepted).
 */
const fieldError = z.object({ path: z.string(), message: z.string() });

/**
 * Accepted (or a duplicate of one accepted before): where it went. `lines` lists every line it went
 * to and how it was resolved (`given`, `held`, `held_before`, `held_after`, `new`; a merged line
 * as its survivor); an event on exactly one line also has that line's `lineId`, `how` and
 * `conflictWith` at the top. A referral naming no line has `lines: []`.
 */
export const eventAcceptedV1 = z.object({
  index: z.number().int().min(0),
  eventId: z.string(),
  status: z.enum(['accepted', 'duplicate']),
  lineId: lineId.optional(),
  how: z.enum(RESOLUTION_HOWS).optional(),
  conflictWith: lineId.optional(),
  /** Absent only for a duplicate whose first copy was accepted before lines were recorded (and is not stored yet). */
  lines: z.array(lineResolution).optional(),
});

export const eventRejectedV1 = z.object({
  index: z.number().int().min(0),
  eventId: z.string().nullable(),
  status: z.literal('rejected'),
  code: z.enum(REJECTION_CODES),
  message: z.string(),
  errors: z.array(fieldError),
});

export const eventOutcomeV1 = z.discriminatedUnion('status', [eventAcceptedV1, eventRejectedV1]);

export const intakeSummaryV1 = z.object({
  accepted: z.number().int().min(0),
  duplicate: z.number().int().min(0),
  rejected: z.number().int().min(0),
});

export const batchAnswerV1 = z.object({ results: z.array(eventOutcomeV1), summary: intakeSummaryV1 });

export const bulkRejectionV1 = z.object({
  position: z.number().int().min(0),
  eventId: z.string().nullable(),
  code: z.enum(REJECTION_CODES),
  message: z.string(),
  errors: z.array(fieldError),
});

export const bulkReportV1 = z.object({
  summary: intakeSummaryV1,
  rejected: z.array(bulkRejectionV1),
  rejectedTruncated: z.boolean(),
});

/** A JSON submission's 2xx answer: one outcome (single event) or the batch's. */
export const intakeAnswerV1 = z.union([eventOutcomeV1, batchAnswerV1, bulkReportV1]);

export type EventOutcomeV1 = z.infer<typeof eventOutcomeV1>;
export type BulkReportV1 = z.infer<typeof bulkReportV1>;
