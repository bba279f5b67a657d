import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { lineDetailV1, lineListQueryV1, lineListV1, lineParamsV1, lineQueryV1 } from '@linewatch/contracts';
import { Contract, JUSTIFICATION, Justification } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { z } from 'zod';
import { GetLineUseCase } from './get-line.usecase';
import { ListLinesUseCase } from './list-lines.usecase';

/** Line status for analysts (every line) and officers (their areas). Every read is logged. */
@ApiTags('lines')
@ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded in the access log, DPA 2018 s.62)' })
@Roles('analyst', 'officer', 'admin')
@Controller('v1/lines')
export class LinesController {
  constructor(
    private readonly listLines: ListLinesUseCase,
    private readonly getLine: GetLineUseCase,
  ) {}

  @Get()
  @Contract({
    summary: 'Lines in your scope, filtered (state, area, brand, msisdn, imei, changedSince), by pages (after, limit)',
    auth: 'bearer',
    query: lineListQueryV1,
    responses: [{ status: 200, schema: lineListV1, description: 'a page of lines; next is the cursor of the next page (null: the last)' }],
    errors: ['INVALID_MSISDN', 'INVALID_IMEI', 'INVALID_JUSTIFICATION'],
  })
  async list(
    @Query() query: z.output<typeof lineListQueryV1>,
    @Req() request: AuthenticatedRequest,
    @Justification() justification?: string,
  ) {
    return this.listLines.execute(request.principal!, query, justification ?? null);
  }

  @Get(':lineId')
  @Contract({
    summary: 'One line: current state, timeline, recent events with grading; ?asAt= the state at a past instant',
    auth: 'bearer',
    params: lineParamsV1,
    query: lineQueryV1,
    responses: [{ status: 200, schema: lineDetailV1, description: 'the line (handling-code C details withheld unless analyst or admin)' }],
    errors: ['LINE_NOT_FOUND', 'INVALID_JUSTIFICATION'],
  })
  async one(
    @Param('lineId') lineId: string,
    @Query() query: z.output<typeof lineQueryV1>,
    @Req() request: AuthenticatedRequest,
    @Justification() justification?: string,
  ) {
    return this.getLine.execute(request.principal!, lineId, { asAt: query.asAt, justification: justification ?? null });
  }
}
