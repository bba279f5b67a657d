/**
 * `POST /v1/silences`, version 1: a line or an area silenced until a time, with a reason. The line
 * id and the area follow the same rules as in events (a typo must not silence nothing while the
 * analyst believes it silences a line); whether the area is configured is checked by the api,
 * which has the areas file.
 */
import { z } from 'zod';
import { areaCode, instant, lineId } from './intel-event.v1';

export const silenceRequestV1 = z
  .object({
    lineId: lineId.optional(),
    area: areaCode.optional(),
    startsAt: instant.optional(),
    endsAt: instant,
    reason: z.string().min(3).max(500),
  })
  .strict()
  .refine((s) => (s.lineId === undefined) !== (s.area === undefined), 'silence either a lineId or an area');

export type SilenceRequestV1 = z.infer<typeof silenceRequestV1>;
