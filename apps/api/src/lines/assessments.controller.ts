import { Body, Controller, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { assessmentAnswerV1, assessmentRequestV1, lineParamsV1 } from '@linewatch/contracts';
import { Contract } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { z } from 'zod';
import { RecordAssessmentUseCase } from './record-assessment.usecase';

/** Analysts' assessments of a line: they become `line.assessed` events on intel.events.v1. */
@ApiTags('lines')
@Controller('v1/lines/:lineId/assessments')
export class AssessmentsController {
  constructor(private readonly record: RecordAssessmentUseCase) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles('analyst')
  @Contract({
    summary: 'Record an assessment (closure_type_1, closure_type_2, reopen, dormancy_override): accepted once Kafka has the event',
    auth: 'bearer',
    params: lineParamsV1,
    body: assessmentRequestV1,
    bodyError: 'INVALID_ASSESSMENT',
    responses: [{ status: 202, schema: assessmentAnswerV1, description: 'the line.assessed event, on intel.events.v1' }],
    errors: ['LINE_NOT_FOUND', 'PUBLISH_FAILED'],
  })
  async assess(@Param('lineId') lineId: string, @Body() body: z.output<typeof assessmentRequestV1>, @Req() request: AuthenticatedRequest) {
    return this.record.execute(request.principal!, lineId, body, new Date());
  }
}
