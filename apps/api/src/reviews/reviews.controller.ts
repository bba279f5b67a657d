import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import { z } from 'zod';
import { instant, parsed } from '../http/request-validation';
import { ListDueReviewsUseCase } from './list-due-reviews.usecase';
import { ReviewLineUseCase } from './review-line.usecase';
import { JUSTIFICATION, Justification } from '../http/justification.header';

const dueQuery = z
  .object({
    by: instant.optional(),
    after: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
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
    private readonly listDue: ListDueReviewsUseCase,
    private readonly review: ReviewLineUseCase,
  ) {}

  @Get('reviews/due')
  @ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded, DPA 2018 s.62)' })
  @ApiOperation({ summary: 'Lines whose review falls due by a date (default now), earliest first; pages by after' })
  async due(@Query() query: unknown, @Req() request: AuthenticatedRequest, @Justification() justification?: string) {
    return this.listDue.execute(request.principal!, parsed(dueQuery, query, 'INVALID_QUERY'), justification, new Date());
  }

  @Post('lines/:lineId/reviews')
  @ApiOperation({ summary: 'Record a review of a line: retain until nextReviewAt (default: the interval from now) or dispose' })
  async record(@Param('lineId') lineId: string, @Body() body: unknown, @Req() request: AuthenticatedRequest) {
    const input = parsed(reviewBody, body, 'INVALID_REVIEW');
    return this.review.execute(request.principal!, lineId, input, new Date());
  }
}
