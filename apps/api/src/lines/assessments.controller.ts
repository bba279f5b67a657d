import { Body, Controller, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import { z } from 'zod';
import { RecordAssessmentUseCase } from './record-assessment.usecase';
import { instant, parsed } from '../http/request-validation';

const assessmentBody = z
  .object({
    decision: z.enum(['closure_type_1', 'closure_type_2', 'reopen', 'dormancy_override']),
    rationale: z.string().trim().min(3).max(2000),
    dormancyWindowDays: z.number().int().min(1).max(365).optional(),
    occurredAt: instant.optional(),
    handling: z.enum(['P', 'C']).optional(),
  })
  .strict();

/** Analysts' assessments of a line: they become `line.assessed` events on intel.events.v1. */
@ApiTags('lines')
@ApiBearerAuth()
@Controller('v1/lines/:lineId/assessments')
export class AssessmentsController {
  constructor(private readonly record: RecordAssessmentUseCase) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles('analyst')
  @ApiOperation({
    summary: 'Record an assessment (closure_type_1, closure_type_2, reopen, dormancy_override): accepted once Kafka has the event',
  })
  async assess(@Param('lineId') lineId: string, @Body() body: unknown, @Req() request: AuthenticatedRequest) {
    const input = parsed(assessmentBody, body, 'INVALID_ASSESSMENT');
    return this.record.execute(request.principal!, lineId, input, new Date());
  }
}
