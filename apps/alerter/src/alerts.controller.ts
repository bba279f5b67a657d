import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@linewatch/observability';
import { AlertsRepository, AuditRepository, DATA_SOURCE, type AlertRow } from '@linewatch/persistence';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { DataSource } from 'typeorm';
import { verifyAckToken } from './ack-links';
import { AcknowledgeAlertUseCase, AlertActionError, mayActOn, type Actor } from './acknowledge-alert.usecase';
import { ALERTER_CONFIG, type AlerterConfig } from './alerter.config';

const STATUS: Record<AlertActionError['code'], HttpStatus> = {
  ALERT_NOT_FOUND: HttpStatus.NOT_FOUND,
  ALERT_NOT_IN_YOUR_AREAS: HttpStatus.FORBIDDEN,
  ALERT_NOT_OPEN: HttpStatus.CONFLICT,
};

function mapped(error: unknown): never {
  if (error instanceof AlertActionError) throw new HttpException({ code: error.code, message: error.message }, STATUS[error.code]);
  throw error;
}

const view = (alert: AlertRow) => ({
  alertId: alert.alertId,
  lineId: alert.lineId,
  teamId: alert.teamId,
  areas: alert.areas,
  kind: alert.kind,
  severity: alert.severity,
  status: alert.status,
  level: alert.level,
  raisedAt: alert.raisedAt,
  deliveredAt: alert.deliveredAt,
  acknowledgedAt: alert.acknowledgedAt,
  acknowledgedBy: alert.acknowledgedBy,
  content: alert.content,
});

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Alerts: read one, acknowledge or resolve it (bearer token), or acknowledge through the link in the message. */
@ApiTags('alerts')
@Controller('v1/alerts')
export class AlertsController {
  constructor(
    @Inject(ALERTER_CONFIG) private readonly config: AlerterConfig,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly alerts: AlertsRepository,
    private readonly audit: AuditRepository,
    private readonly acknowledge: AcknowledgeAlertUseCase,
  ) {}

  @Get(':id')
  @ApiBearerAuth()
  @Roles('officer', 'analyst', 'admin')
  @ApiOperation({ summary: 'One alert (officers: only for their areas); the read is logged' })
  async one(@Param('id', ParseUUIDPipe) id: string, @Req() request: AuthenticatedRequest) {
    const principal = request.principal!;
    const alert = await this.alerts.find(this.dataSource.manager, id);
    if (!alert) mapped(new AlertActionError('ALERT_NOT_FOUND', `no alert ${id}`));
    if (!mayActOn(principal, alert))
      mapped(new AlertActionError('ALERT_NOT_IN_YOUR_AREAS', 'this alert is for areas you are not scoped to'));
    await this.audit.append(this.dataSource.manager, [
      {
        actor: principal.subject,
        action: 'consultation',
        subjectType: 'alert',
        subjectId: id,
        justification: 'alert read through the API',
      },
    ]);
    return view(alert);
  }

  @Post(':id/acknowledge')
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  @Roles('officer', 'admin')
  @ApiOperation({ summary: 'Acknowledge an alert: stops its escalation' })
  async ack(@Param('id', ParseUUIDPipe) id: string, @Req() request: AuthenticatedRequest, @Body() body: { note?: string } | undefined) {
    const actor: Actor = { kind: 'user', principal: request.principal! };
    return view(await this.acknowledge.execute(id, actor, 'acknowledge', new Date(), body?.note).catch(mapped));
  }

  @Post(':id/resolve')
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  @Roles('officer', 'analyst', 'admin')
  @ApiOperation({ summary: 'Resolve an alert' })
  async resolve(@Param('id', ParseUUIDPipe) id: string, @Req() request: AuthenticatedRequest, @Body() body: { note?: string } | undefined) {
    const actor: Actor = { kind: 'user', principal: request.principal! };
    return view(await this.acknowledge.execute(id, actor, 'resolve', new Date(), body?.note).catch(mapped));
  }

  /** The link in a message opens a page; acknowledging takes a deliberate POST (link scanners only GET). */
  @Public()
  @Get(':id/acknowledge')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  async page(@Param('id', ParseUUIDPipe) id: string, @Query('token') token: string) {
    await this.link(id, token);
    const action = `/v1/alerts/${id}/acknowledge-link?token=${encodeURIComponent(token)}`;
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acknowledge alert</title></head><body>
<h1>Acknowledge LineWatch alert</h1><p>Alert ${escapeHtml(id)}.</p>
<form method="post" action="${escapeHtml(action)}"><button type="submit">Acknowledge</button></form></body></html>`;
  }

  @Public()
  @Post(':id/acknowledge-link')
  @HttpCode(HttpStatus.OK)
  async ackByLink(@Param('id', ParseUUIDPipe) id: string, @Query('token') token: string) {
    const claims = await this.link(id, token);
    return view(
      await this.acknowledge.execute(id, { kind: 'link', recipientId: claims.recipientId }, 'acknowledge', new Date()).catch(mapped),
    );
  }

  private async link(id: string, token: string | undefined) {
    try {
      return await verifyAckToken(this.config.extra.ALERT_LINK_SECRET, token ?? '', id);
    } catch {
      throw new HttpException(
        { code: 'INVALID_LINK', message: 'this acknowledgement link is not valid (expired, altered or for another alert)' },
        HttpStatus.UNAUTHORIZED,
      );
    }
  }
}
