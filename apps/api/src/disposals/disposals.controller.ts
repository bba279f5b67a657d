import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { disposalCancelRequestV1, disposalCancelledV1, lineParamsV1, lineTombstonesV1 } from '@linewatch/contracts';
import { Contract, JUSTIFICATION, Justification } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { z } from 'zod';
import { CancelDisposalUseCase } from './cancel-disposal.usecase';
import { GetTombstoneUseCase } from './get-tombstone.usecase';

/** Disposal holds and tombstones (admins only): cancelling a hold, and what stays of an erased line. */
@ApiTags('reviews')
@Roles('admin')
@Controller('v1/lines')
export class DisposalsController {
  constructor(
    private readonly cancel: CancelDisposalUseCase,
    private readonly tombstone: GetTombstoneUseCase,
  ) {}

  @Post(':lineId/disposal/cancel')
  @HttpCode(200)
  @Contract({
    summary: "Cancel a line's disposal hold, with a reason (admin; an s.62 alteration): the line is not erased",
    auth: 'bearer',
    params: lineParamsV1,
    body: disposalCancelRequestV1,
    bodyError: 'INVALID_REVIEW',
    responses: [{ status: 200, schema: disposalCancelledV1, description: 'the hold, cancelled' }],
    errors: ['LINE_NOT_FOUND', 'NO_DISPOSAL_HOLD'],
  })
  async cancelHold(
    @Param('lineId') lineId: string,
    @Body() body: z.output<typeof disposalCancelRequestV1>,
    @Req() request: AuthenticatedRequest,
  ) {
    return this.cancel.execute(request.principal!, lineId, body.reason, new Date());
  }

  @Get(':lineId/tombstone')
  @ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded, DPA 2018 s.62)' })
  @Contract({
    summary: 'What stays of an erased line (admin): the erasure, the decision, counts and the ids of its erased events — no content',
    auth: 'bearer',
    params: lineParamsV1,
    responses: [{ status: 200, schema: lineTombstonesV1, description: "the line id's tombstones, newest first" }],
    errors: ['TOMBSTONE_NOT_FOUND', 'INVALID_JUSTIFICATION'],
  })
  async tombstoneOf(@Param('lineId') lineId: string, @Req() request: AuthenticatedRequest, @Justification() justification?: string) {
    return this.tombstone.execute(request.principal!, lineId, justification ?? null);
  }
}
