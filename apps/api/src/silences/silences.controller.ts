import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { silenceRequestV1 } from '@linewatch/contracts';
import { AlertSilencesRepository, AreaScope, AuditRepository, Database } from '@linewatch/persistence';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { parsed } from '../http/request-validation';

/** Silences for a line or an area during a planned operation: alerts are recorded as silenced, not sent. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/silences')
export class SilencesController {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly silences: AlertSilencesRepository,
    private readonly audit: AuditRepository,
  ) {}

  @Post()
  @Roles('analyst', 'admin')
  @ApiOperation({ summary: 'Silence a line or an area until a time, with a reason (recorded)' })
  async create(@Body() body: unknown, @Req() request: AuthenticatedRequest) {
    const wanted = parsed(silenceRequestV1, body, 'INVALID_SILENCE');
    // An area that is not configured would silence nothing: refused, as intake refuses it in events.
    if (wanted.area !== undefined && !this.config.areas.codes.has(wanted.area)) {
      throw new HttpException(
        { code: 'UNKNOWN_AREA', message: `unknown area "${wanted.area}": not in the configured areas (GET /v1/areas)` },
        HttpStatus.BAD_REQUEST,
      );
    }
    const now = new Date();
    const startsAt = wanted.startsAt ? new Date(wanted.startsAt) : now;
    const endsAt = new Date(wanted.endsAt);
    if (endsAt.getTime() <= Math.max(startsAt.getTime(), now.getTime())) {
      throw new HttpException(
        { code: 'INVALID_SILENCE', message: 'endsAt must be in the future and after startsAt' },
        HttpStatus.BAD_REQUEST,
      );
    }
    const silence = {
      silenceId: randomUUID(),
      lineId: wanted.lineId ?? null,
      area: wanted.area ?? null,
      startsAt,
      endsAt,
      reason: wanted.reason,
      createdBy: request.principal!.subject,
    };
    await this.database.transaction(async (tx) => {
      await this.silences.insert(tx, silence);
      await this.audit.append(tx, [
        {
          actor: silence.createdBy,
          action: 'alteration',
          subjectType: 'silence',
          subjectId: silence.silenceId,
          justification: silence.reason,
          details: silence,
        },
      ]);
    });
    return silence;
  }

  @Get()
  @Roles('analyst', 'officer', 'admin')
  @ApiOperation({ summary: 'Silences in force or to come (officers: for their areas and their lines)' })
  async list(@Req() request: AuthenticatedRequest) {
    return { silences: await this.database.autocommit((q) => this.silences.list(q, new Date(), AreaScope.of(request.principal!))) };
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Roles('analyst', 'admin')
  @ApiOperation({ summary: 'End a silence early (recorded)' })
  async cancel(@Param('id', ParseUUIDPipe) id: string, @Req() request: AuthenticatedRequest) {
    const by = request.principal!.subject;
    const cancelled = await this.database.transaction(async (tx) => {
      const done = await this.silences.cancel(tx, id, by, new Date());
      if (done)
        await this.audit.append(tx, [
          { actor: by, action: 'alteration', subjectType: 'silence', subjectId: id, justification: 'silence cancelled' },
        ]);
      return done;
    });
    if (!cancelled) throw new HttpException({ code: 'SILENCE_NOT_FOUND', message: `no silence ${id} in force` }, HttpStatus.NOT_FOUND);
  }
}
