import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { silenceListV1, silenceParamsV1, silenceRequestV1, silenceV1, type SilenceRequestV1 } from '@linewatch/contracts';
import { Contract } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import { CancelSilenceUseCase } from './cancel-silence.usecase';
import { CreateSilenceUseCase } from './create-silence.usecase';
import { ListSilencesUseCase } from './list-silences.usecase';

/** Silences for a line or an area during a planned operation: alerts are recorded as silenced, not sent. */
@ApiTags('alerts')
@Controller('v1/silences')
export class SilencesController {
  constructor(
    private readonly createSilence: CreateSilenceUseCase,
    private readonly listSilences: ListSilencesUseCase,
    private readonly cancelSilence: CancelSilenceUseCase,
  ) {}

  @Post()
  @Roles('analyst', 'admin')
  @Contract({
    summary: 'Silence a line or an area until a time, with a reason (recorded)',
    description: 'Exactly one of lineId and area.',
    auth: 'bearer',
    body: silenceRequestV1,
    bodyError: 'INVALID_SILENCE',
    responses: [{ status: 201, schema: silenceV1, description: 'the silence, in force from startsAt' }],
    errors: ['UNKNOWN_AREA'],
  })
  async create(@Body() body: SilenceRequestV1, @Req() request: AuthenticatedRequest) {
    return this.createSilence.execute(request.principal!, body, new Date());
  }

  @Get()
  @Roles('analyst', 'officer', 'admin')
  @Contract({
    summary: 'Silences in force or to come (officers: for their areas and their lines)',
    auth: 'bearer',
    responses: [{ status: 200, schema: silenceListV1, description: 'the silences' }],
    errors: [],
  })
  async list(@Req() request: AuthenticatedRequest) {
    return this.listSilences.execute(request.principal!, new Date());
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Roles('analyst', 'admin')
  @Contract({
    summary: 'End a silence early (recorded)',
    auth: 'bearer',
    params: silenceParamsV1,
    responses: [{ status: 204, description: 'ended' }],
    errors: ['SILENCE_NOT_FOUND'],
  })
  async cancel(@Param('id') id: string, @Req() request: AuthenticatedRequest) {
    await this.cancelSilence.execute(request.principal!, id, new Date());
  }
}
