import { Injectable } from '@nestjs/common';
import type { DueCheckBacksV1 } from '@linewatch/contracts';
import { AreaScope, ClosureCheckBacksRepository, Database, checkBackDueV1Of } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { z } from 'zod';
import { ConsultationLog } from '../audit/consultation.log';
import { decodeCursor, encodeCursor } from '../http/request-validation';

export interface DueCheckBacksQuery {
  /** Due by this instant; now when left out. */
  readonly by?: Date;
  readonly after?: string;
  readonly limit: number;
}

const cursor = z.object({ dueAt: z.iso.datetime().transform((s) => new Date(s)), checkBackId: z.uuid() });

/** Closure check-backs still scheduled and due by a date, in the caller's scope, earliest first, by pages; the read is logged. */
@Injectable()
export class ListDueCheckBacksUseCase {
  constructor(
    private readonly database: Database,
    private readonly checkBacks: ClosureCheckBacksRepository,
    private readonly log: ConsultationLog,
  ) {}

  async execute(principal: Principal, query: DueCheckBacksQuery, justification: string | undefined, now: Date): Promise<DueCheckBacksV1> {
    const by = query.by ?? now;
    const due = await this.database.autocommit((q) =>
      this.checkBacks.due(q, AreaScope.of(principal), by, {
        limit: query.limit,
        after: query.after ? decodeCursor(cursor, query.after) : undefined,
      }),
    );
    await this.log.record(principal, { type: 'check-backs-due', id: by.toISOString() }, justification, { returned: due.length });
    const last = due.at(-1);
    return {
      by: by.toISOString(),
      checkBacks: due.map((d) => checkBackDueV1Of(d, now)),
      next: due.length === query.limit && last ? encodeCursor({ dueAt: last.dueAt.toISOString(), checkBackId: last.checkBackId }) : null,
    };
  }
}
