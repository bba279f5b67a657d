import { Inject, Injectable } from '@nestjs/common';
import { AreaScope, Database, ErasureRepository, LineQueriesRepository, type ReviewDue } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { z } from 'zod';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { ConsultationLog } from '../audit/consultation.log';
import { holdView } from '../disposals/hold-view';
import { decodeCursor, encodeCursor } from '../http/request-validation';

export interface DueReviewsQuery {
  /** Due by this instant; now when left out. */
  readonly by?: Date;
  readonly after?: string;
  readonly limit: number;
}

const cursor = z.object({ dueAt: z.iso.datetime().transform((s) => new Date(s)), lineId: z.string().min(1).max(64) });

/** The lines in the caller's scope whose MoPI review falls due by a date, earliest first, by pages; the read is logged. */
@Injectable()
export class ListDueReviewsUseCase {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly queries: LineQueriesRepository,
    private readonly disposals: ErasureRepository,
    private readonly log: ConsultationLog,
  ) {}

  async execute(
    principal: Principal,
    query: DueReviewsQuery,
    justification: string | undefined,
    now: Date,
  ): Promise<{ by: Date; lines: (ReviewDue & { disposal: ReturnType<typeof holdView> })[]; next: string | null }> {
    const by = query.by ?? now;
    const lines = await this.database.autocommit((q) =>
      this.queries.dueForReview(
        q,
        AreaScope.of(principal),
        by,
        { intervalDays: this.config.extra.LINE_REVIEW_INTERVAL_DAYS },
        { limit: query.limit, after: query.after ? decodeCursor(cursor, query.after) : undefined },
      ),
    );
    const holds = await this.database.autocommit((q) =>
      this.disposals.holdsOf(
        q,
        lines.map((l) => l.lineId),
      ),
    );
    await this.log.record(principal, { type: 'reviews-due', id: by.toISOString() }, justification, { returned: lines.length });
    const last = lines.at(-1);
    return {
      by,
      lines: lines.map((line) => ({ ...line, disposal: holdView(holds.get(line.lineId)) })),
      next: lines.length === query.limit && last ? encodeCursor({ dueAt: last.reviewDueAt.toISOString(), lineId: last.lineId }) : null,
    };
  }
}
