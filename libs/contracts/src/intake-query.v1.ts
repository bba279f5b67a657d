/**
 * `POST /v1/events`'s query string. `history=true` marks the request (a single event, a batch or a
 * whole upload) as a history import: a records system's backfill or a replay of old files. Its
 * events are tracked like any others, but the changes they cause are not pushed as alerts; they
 * are held for the teams' digest (docs/alerts.md "Alert noise"). Only `true` and `false` are
 * accepted, so that a typo cannot turn a backfill into an alert storm.
 */
import { z } from 'zod';

export const intakeQueryV1 = z
  .object({
    history: z
      .enum(['true', 'false'])
      .optional()
      .transform((value) => value === 'true')
      .describe(
        'true: a history import (backfill, replay of old files): its changes are recorded but raise no pushed alert; they are listed in the next team digest.',
      ),
  })
  .strict();

export type IntakeQueryV1 = z.output<typeof intakeQueryV1>;
