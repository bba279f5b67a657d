import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { dueReviewsQueryV1, dueReviewsV1, lineParamsV1, lineReviewV1, reviewRequestV1 } from '@linewatch/contracts';
import { Contract, JUSTIFICATION, Justification } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { z } from 'zod';
import { ListDueReviewsUseCase } from './list-due-reviews.usecase';
import { ReviewLineUseCase } from './review-line.usecase';

/** MoPI review dates on lines: the lines due for review, and recording a review. */
@ApiTags('reviews')
@Roles('analyst', 'admin')
@Controller('v1')
export class ReviewsController {
  constructor(
    private readonly listDue: ListDueReviewsUseCase,
    private readonly review: ReviewLineUseCase,
  ) {}

  @Get('reviews/due')
  @ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded, DPA 2018 s.62)' })
  @Contract({
    summary: 'Lines whose review falls due by a date (default now), earliest first; pages by after',
    auth: 'bearer',
    query: dueReviewsQueryV1,
    responses: [{ status: 200, schema: dueReviewsV1, description: 'a page of lines due; next is the cursor of the next page' }],
    errors: ['INVALID_JUSTIFICATION'],
  })
  async due(
    @Query() query: z.output<typeof dueReviewsQueryV1>,
    @Req() request: AuthenticatedRequest,
    @Justification() justification?: string,
  ) {
    return this.listDue.execute(request.principal!, query, justification, new Date());
  }

  @Post('lines/:lineId/reviews')
  @Contract({
    summary: 'Record a review of a line: retain until nextReviewAt (default: the interval from now) or dispose (a hold, then erasure)',
    auth: 'bearer',
    params: lineParamsV1,
    body: reviewRequestV1,
    bodyError: 'INVALID_REVIEW',
    responses: [{ status: 201, schema: lineReviewV1, description: 'the review, recorded (dispose: the disposal hold starts)' }],
    errors: ['LINE_NOT_FOUND', 'DISPOSAL_PENDING'],
  })
  async record(@Param('lineId') lineId: string, @Body() body: z.output<typeof reviewRequestV1>, @Req() request: AuthenticatedRequest) {
    return this.review.execute(request.principal!, lineId, body, new Date());
  }
}
