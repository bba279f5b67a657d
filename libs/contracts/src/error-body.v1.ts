import { z } from 'zod';

/**
 * The one body of every 4xx and 5xx answer of every LineWatch service (HTTP API contract, v1):
 * a stable machine-readable `code` (UPPER_SNAKE), a `message` for people, and `errors[]` naming
 * each problem (`path` says where: a body field, `(query).area`, `(path).lineId`, `(header).x-…`,
 * `(body)`). A few codes add fields of their own (`RATE_LIMITED` its `retryAfterSeconds`, a
 * failed bulk upload its counts); none ever carries a stack trace or the request's path.
 */
export const errorItemV1 = z.object({
  path: z.string(),
  message: z.string(),
});

export const errorBodyV1 = z
  .looseObject({
    code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    message: z.string().min(1),
    errors: z.array(errorItemV1),
  })
  .refine((body) => !('stack' in body) && !('statusCode' in body) && !('path' in body), {
    message: 'an error body carries no stack, statusCode or path',
  });

export type ErrorItemV1 = z.infer<typeof errorItemV1>;
export type ErrorBodyV1 = z.infer<typeof errorBodyV1>;
