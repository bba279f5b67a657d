import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LINE_STATE_NAMES } from '@linewatch/contracts';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import { z } from 'zod';
import { instant, parsed } from '../http/request-validation';
import { GetLineUseCase } from './get-line.usecase';
import { ListLinesUseCase } from './list-lines.usecase';
import { JUSTIFICATION, Justification } from '../http/justification.header';

const listQuery = z
  .object({
    state: z.enum(LINE_STATE_NAMES).optional(),
    area: z.string().min(1).max(64).optional(),
    // A whole brand, compared as line identity compares brands (not a pattern: % and _ are characters).
    brand: z.string().trim().min(1).max(64).optional(),
    changedSince: instant.optional(),
    after: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
const oneQuery = z.object({ asAt: instant.optional() }).strict();

/** Line status for analysts (every line) and officers (their areas). Every read is logged. */
@ApiTags('lines')
@ApiBearerAuth()
@ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded in the access log, DPA 2018 s.62)' })
@Roles('analyst', 'officer', 'admin')
@Controller('v1/lines')
export class LinesController {
  constructor(
    private readonly listLines: ListLinesUseCase,
    private readonly getLine: GetLineUseCase,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Lines in your scope, filtered (state, area, brand, changedSince), by pages (after, limit)' })
  async list(@Query() query: unknown, @Req() request: AuthenticatedRequest, @Justification() justification?: string) {
    return this.listLines.execute(request.principal!, parsed(listQuery, query, 'INVALID_QUERY'), justification ?? null);
  }

  @Get(':lineId')
  @ApiOperation({ summary: 'One line: current state, timeline, recent events with grading; ?asAt= the state at a past instant' })
  async one(
    @Param('lineId') lineId: string,
    @Query() query: unknown,
    @Req() request: AuthenticatedRequest,
    @Justification() justification?: string,
  ) {
    const { asAt } = parsed(oneQuery, query, 'INVALID_QUERY');
    return this.getLine.execute(request.principal!, lineId, { asAt, justification: justification ?? null });
  }
}
