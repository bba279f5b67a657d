import { Injectable } from '@nestjs/common';
import type { AlertListV1 } from '@linewatch/contracts';
import { AlertsRepository, AreaScope, Database, alertViewOf, type AlertStatus } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { z } from 'zod';
import { ConsultationLog } from '../audit/consultation.log';
import { decodeCursor, encodeCursor } from '../http/request-validation';

/** `open` = raised or delivered (not yet acknowledged). */
export const STATUS_FILTERS = {
  open: ['raised', 'delivered'],
  raised: ['raised'],
  delivered: ['delivered'],
  acknowledged: ['acknowledged'],
  resolved: ['resolved'],
  silenced: ['silenced'],
  held: ['held'],
} as const satisfies Record<string, readonly AlertStatus[]>;

export type StatusFilter = keyof typeof STATUS_FILTERS;

export interface AlertsQuery {
  readonly status?: StatusFilter;
  readonly severity?: string;
  readonly area?: string;
  readonly lineId?: string;
  readonly teamId?: string;
  readonly since?: Date;
  /** The cursor of the previous page (`next`). */
  readonly after?: string;
  readonly limit: number;
}

/** The inbox's keyset position, opaque to callers (raiseSeq is a bigint: a string of digits). */
const cursor = z.object({ raisedAt: z.iso.datetime().transform((s) => new Date(s)), raiseSeq: z.string().regex(/^\d{1,19}$/) });

/**
 * The alert inbox in the caller's scope (officers: their areas), newest first in a stable order
 * (raisedAt, then the order the alerter raised them), by pages. The read is logged (s.62).
 */
@Injectable()
export class ListAlertsUseCase {
  constructor(
    private readonly database: Database,
    private readonly alerts: AlertsRepository,
    private readonly log: ConsultationLog,
  ) {}

  async execute(principal: Principal, query: AlertsQuery, justification: string | undefined): Promise<AlertListV1> {
    const before = query.after ? decodeCursor(cursor, query.after) : undefined;
    const found = await this.database.autocommit((q) =>
      this.alerts.list(q, AreaScope.of(principal), {
        statuses: query.status ? STATUS_FILTERS[query.status] : undefined,
        severity: query.severity,
        area: query.area,
        lineId: query.lineId,
        teamId: query.teamId,
        since: query.since,
        before,
        limit: query.limit,
      }),
    );
    await this.log.record(principal, { type: 'alerts', id: JSON.stringify({ ...query, after: undefined }) }, justification, {
      returned: found.length,
    });
    const last = found.at(-1);
    return {
      alerts: found.map(alertViewOf),
      next: found.length === query.limit && last ? encodeCursor({ raisedAt: last.raisedAt.toISOString(), raiseSeq: last.raiseSeq }) : null,
    };
  }
}
