/**
 * Dead letters, version 1 (HTTP API contract): what `GET /v1/dead-letters` answers (admins only) —
 * the messages of `intel.events.dlq.v1` as the tracker mirrors them: why each was refused, where it
 * came from, its eventId when one could be read, when it failed and whether `linewatch dlq retry`
 * re-drove it. Never the message's content (it stays on the topic: `linewatch dlq show`).
 */
import { z } from 'zod';
import { writtenInstant } from './line-api.v1';

export const DEAD_LETTER_STATUSES = ['waiting', 'redriven', 'all'] as const;

export const deadLettersQueryV1 = z
  .object({
    /** waiting (default): not re-driven; redriven; all. */
    status: z.enum(DEAD_LETTER_STATUSES).default('waiting'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

const offset = z.string().regex(/^\d+$/);

export const deadLetterV1 = z
  .object({
    /** `partition:offset` on the dead-letter topic: what `linewatch dlq show` and `dlq retry` take. */
    id: z.string(),
    topic: z.string(),
    partition: z.number().int().min(0),
    offset,
    /** The rejection code (REJECTION_CODES, or a resolution's code). */
    code: z.string(),
    reason: z.string(),
    /** The topic, partition and offset of the refused message. */
    source: z.object({ topic: z.string(), partition: z.number().int().min(0).nullable(), offset: offset.nullable() }).strict().nullable(),
    eventId: z.string().nullable(),
    /** `<dlq topic>:<partition>:<offset>` when this is a re-driven dead letter that failed again. */
    retriedFrom: z.string().nullable(),
    failedAt: writtenInstant.nullable(),
    /** Seconds between failedAt and the answer's `at`. */
    ageSeconds: z.number().int().min(0).nullable(),
    redriven: z.object({ at: writtenInstant, by: z.string() }).strict().nullable(),
  })
  .strict();

export const deadLettersV1 = z
  .object({
    at: writtenInstant,
    /** Dead letters waiting (the home figure), whatever the filter. */
    waiting: z.number().int().min(0),
    deadLetters: z.array(deadLetterV1),
  })
  .strict();

export type DeadLetterV1 = z.output<typeof deadLetterV1>;
export type DeadLettersV1 = z.output<typeof deadLettersV1>;
