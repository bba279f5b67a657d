import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { silenceRequestV1 } from '@linewatch/contracts';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import { parsed } from '../http/request-validation';
import { CancelSilenceUseCase } from './cancel-silence.usecase';
import { CreateSilenceUseCase } from './create-silence.usecase';
import { ListSilencesUseCase } from './list-silences.usecase';

/** Silences for a line or an area during a planned operation: alerts are recorded as silenced, not sent. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/silences')
export class SilencesController {
  constructor(
    private readonly createSilence: CreateSilenceUseCase,
    private readonly listSilences: ListSilencesUseCase,
    private readonly cancelSilence: CancelSilenceUseCase,
  ) {}

  @Post()
  @Roles('analyst', 'admin')
  @ApiOperation({ summary: 'Silence a line or an area until a time, with a reason (recorded)' })
  async create(@Body() body: unknown, @Req() request: AuthenticatedRequest) {
    return this.createSilence.execute(request.principal!, parsed(silenceRequestV1, body, 'INVALID_SILENCE'), new Date());
  }

  @Get()
  @Roles('analyst', 'officer', 'admin')
  @ApiOperation({ summary: 'Silences in force or to come (officers: for their areas and their lines)' })
  async list(@Req() request: AuthenticatedRequest) {
    return this.listSilences.execute(request.principal!, new Date());
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Roles('analyst', 'admin')
  @ApiOperation({ summary: 'End a silence early (recorded)' })
  async cancel(@Param('id', ParseUUIDPipe) id: string, @Req() request: AuthenticatedRequest) {
    await this.cancelSilence.execute(request.principal!, id, new Date());
  }
}
