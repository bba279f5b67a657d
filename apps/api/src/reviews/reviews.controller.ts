import { Body, Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AreaScope, Database, LineQueriesRepository } from '@linewatch/persistence';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import { z } from 'zod';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { ConsultationLog } from '../audit/consultation.log';
import { decodeCursor, encodeCursor, instant, parsed } from '../http/request-validation';
import { ReviewLineUseCase } from './review-line.usecase';
import { JUSTIFICATION, Justification } from '../http/justification.header';

const dueQuery = z
  .object({
    by: instant.optional(),
    after: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
const cursor = z.object({ dueAt: z.iso.datetime().transform((s) => new Date(s)), lineId: z.string().min(1).max(64) });
const reviewBody = z
  .object({
    decision: z.enum(['retain', 'dispose']),
    rationale: z.string().trim().min(3).max(2000),
    nextReviewAt: instant.optional(),
  })
  .strict();

/** MoPI review dates on lines: the lines due for review, and recording a review. */
@ApiTags('reviews')
@ApiBearerAuth()
@Roles('analyst', 'admin')
@Controller('v1')
export class ReviewsController {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly queries: LineQueriesRepository,
    private readonly log: ConsultationLog,
    private readonly review: ReviewLineUseCase,
  ) {}

  @Get('reviews/due')
  @ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded, DPA 2018 s.62)' })
  @ApiOperation({ summary: 'Lines whose review falls due by a date (default now), earliest first; pages by after' })
  async due(@Query() query: unknown, @Req() request: AuthenticatedRequest, @Justification() justification?: string) {
    const principal = request.principal!;
    const q = parsed(dueQuery, query, 'INVALID_QUERY');
    const by = q.by ?? new Date();
    const lines = await this.database.autocommit((db) =>
      this.queries.dueForReview(
        db,
        AreaScope.of(principal),
        by,
        { intervalDays: this.config.extra.LINE_REVIEW_INTERVAL_DAYS },
        { limit: q.limit, after: q.after ? decodeCursor(cursor, q.after) : undefined },
      ),
    );
    await this.log.record(principal, { type: 'reviews-due', id: by.toISOString() }, justification, { returned: lines.length });
    const last = lines.at(-1);
    return {
      by,
      lines,
      next: lines.length === q.limit && last ? encodeCursor({ dueAt: last.reviewDueAt.toISOString(), lineId: last.lineId }) : null,
    };
  }

  @Post('lines/:lineId/reviews')
  @ApiOperation({ summary: 'Record a review of a line: retain until nextReviewAt (default: the interval from now) or dispose' })
  async record(@Param('lineId') lineId: string, @Body() body: unknown, @Req() request: AuthenticatedRequest) {
    const input = parsed(reviewBody, body, 'INVALID_REVIEW');
    return this.review.execute(request.principal!, lineId, input, new Date());
  }
}
