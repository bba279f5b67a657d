/**
 * The api's alert and silence routes, version 1 (HTTP API contract): what they take (the schemas
 * the api validates with) and answer besides the alert view itself (alert-view.v1.ts).
 */
import { z } from 'zod';
import { ALERT_SEVERITIES } from './alert-view.v1';
import { requestInstant, writtenInstant } from './line-api.v1';

/** `open` = raised or delivered (not yet acknowledged). */
export const ALERT_STATUS_FILTERS = ['open', 'raised', 'delivered', 'acknowledged', 'resolved', 'silenced', 'held'] as const;

export const alertListQueryV1 = z
  .object({
    status: z.enum(ALERT_STATUS_FILTERS).optional(),
    severity: z.enum(ALERT_SEVERITIES).optional(),
    area: z.string().min(1).max(64).optional(),
    lineId: z.string().min(1).max(64).optional(),
    teamId: z.string().min(1).max(64).optional(),
    since: requestInstant.optional(),
    after: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const alertParamsV1 = z.object({ id: z.uuid() });

export const alertNoteV1 = z.object({ note: z.string().max(2000).optional() }).strict();

/** The signed token an acknowledgement link carries: checked by the api (missing, expired or altered: 401 INVALID_LINK). */
export const ackLinkQueryV1 = z.object({ token: z.string().max(2000).optional() }).strict();

export const silenceParamsV1 = z.object({ id: z.uuid() });

export const silenceV1 = z
  .object({
    silenceId: z.string(),
    lineId: z.string().nullable(),
    area: z.string().nullable(),
    startsAt: writtenInstant,
    endsAt: writtenInstant,
    reason: z.string(),
    createdBy: z.string(),
  })
  .strict();

export const silenceListV1 = z.object({ silences: z.array(silenceV1) }).strict();
