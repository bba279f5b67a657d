import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { checkBackAnswerV1, checkBackRequestV1, dueCheckBacksQueryV1, dueCheckBacksV1, lineParamsV1 } from '@linewatch/contracts';
import { Contract, JUSTIFICATION, Justification } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { z } from 'zod';
import { ListDueCheckBacksUseCase } from './list-due-check-backs.usecase';
import { RecordCheckBackUseCase } from './record-check-back.usecase';

/** Closure check-backs (PRODUCT.md): the check-backs due, and an analyst recording one. */
@ApiTags('check-backs')
@Controller('v1')
export class CheckBacksController {
  constructor(
    private readonly listDue: ListDueCheckBacksUseCase,
    private readonly record: RecordCheckBackUseCase,
  ) {}

  @Get('check-backs/due')
  @Roles('analyst', 'admin')
  @ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded, DPA 2018 s.62)' })
  @Contract({
    summary: 'Closure check-backs still scheduled and due by a date (default now), earliest first, with days overdue; pages by after',
    auth: 'bearer',
    query: dueCheckBacksQueryV1,
    responses: [{ status: 200, schema: dueCheckBacksV1, description: 'a page of check-backs due; next is the cursor of the next page' }],
    errors: ['INVALID_JUSTIFICATION'],
  })
  async due(
    @Query() query: z.output<typeof dueCheckBacksQueryV1>,
    @Req() request: AuthenticatedRequest,
    @Justification() justification?: string,
  ) {
    return this.listDue.execute(request.principal!, query, justification, new Date());
  }

  @Post('lines/:lineId/check-backs')
  @Roles('analyst')
  @Contract({
    summary:
      'Record a closure check-back: out_of_use (an s.62 alteration) or in_use (published as a sighting: the line resurfaces and alerts)',
    auth: 'bearer',
    params: lineParamsV1,
    body: checkBackRequestV1,
    bodyError: 'INVALID_CHECK_BACK',
    responses: [{ status: 201, schema: checkBackAnswerV1, description: 'the check-back, recorded (in_use: with the sighting published)' }],
    errors: ['LINE_NOT_FOUND', 'CHECK_BACK_NOT_FOUND', 'NO_TYPE_1_CLOSURE', 'CHECK_BACK_NOT_OPEN', 'PUBLISH_FAILED'],
  })
  async create(@Param('lineId') lineId: string, @Body() body: z.output<typeof checkBackRequestV1>, @Req() request: AuthenticatedRequest) {
    return this.record.execute(request.principal!, lineId, body, new Date());
  }
}
