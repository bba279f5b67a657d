/**
 * What the contracts' transforms produce, for the documents of what a service ANSWERS (zod's output
 * side): zod cannot see through a transform, so an answer holding a normalised phone number or a
 * mapped grading came out as `{}` (anything). Each entry pairs a transforming schema with the
 * schema of its result; `openApiSchemaOf(…, 'output')` (libs/platform) writes the latter in its
 * place. Documentation only: nothing here is parsed at run time, so intake's and the tracker's
 * parsing is unchanged.
 */
import { z } from 'zod';
import { grading } from './intel-event.v1';
import { checkedImei, phoneNumber } from './line-identifier.v1';

/** A number as intake normalises it: E.164. */
export const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/);

const grading5x5x5Output = z
  .object({
    system: z.literal('5x5x5'),
    source: z.enum(['A', 'B', 'C', 'D', 'E']),
    intelligence: z.enum(['1', '2', '3', '4', '5']),
    handling: z.enum(['1', '2', '3', '4', '5']),
  })
  .strict();

/** A grading as stored and answered: always 3x5x2, with the 5x5x5 it was mapped from when it was. */
export const gradingOutputV1 = z
  .object({
    system: z.literal('3x5x2'),
    source: z.enum(['1', '2', '3']),
    intelligence: z.enum(['A', 'B', 'C', 'D', 'E']),
    handling: z.enum(['P', 'C']),
    original: grading5x5x5Output.optional(),
  })
  .strict();

/** Transforming schema → the schema of what it produces. */
export const OUTPUT_FORMS: ReadonlyMap<z.core.$ZodType, z.ZodType> = new Map<z.core.$ZodType, z.ZodType>([
  [grading, gradingOutputV1],
  [phoneNumber, e164],
  [checkedImei, z.string().regex(/^\d{15}$/)],
]);
