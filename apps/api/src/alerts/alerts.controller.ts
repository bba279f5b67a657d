import { Body, Controller, Get, Header, HttpCode, HttpStatus, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { ackLinkQueryV1, alertListQueryV1, alertListV1, alertNoteV1, alertParamsV1, alertViewV1 } from '@linewatch/contracts';
import { Public } from '@linewatch/observability';
import { CodedError, Contract, JUSTIFICATION, Justification } from '@linewatch/platform';
import { Roles, verifyAckToken, type AuthenticatedRequest } from '@linewatch/security';
import { z } from 'zod';
import { AcknowledgeAlertUseCase, type Actor } from './acknowledge-alert.usecase';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { GetAlertUseCase } from './get-alert.usecase';
import { ListAlertsUseCase } from './list-alerts.usecase';

type Note = z.output<typeof alertNoteV1>;
const ALERT_ANSWER = [{ status: 200, schema: alertViewV1, description: 'the alert as it is now' }];

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Alerts: the inbox (officers: their areas only — an alert elsewhere is not found), one alert,
 * acknowledge or resolve (bearer token), or acknowledge through the link in a message. Reads are
 * logged (s.62).
 */
@ApiTags('alerts')
@Controller('v1/alerts')
export class AlertsController {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly listAlerts: ListAlertsUseCase,
    private readonly getAlert: GetAlertUseCase,
    private readonly acknowledge: AcknowledgeAlertUseCase,
  ) {}

  @Get()
  @ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded, DPA 2018 s.62)' })
  @Roles('officer', 'analyst', 'admin')
  @Contract({
    summary:
      'Alerts in your scope, newest first (raisedAt, then the order raised): status (open|raised|delivered|acknowledged|resolved|silenced), severity, area, lineId, teamId, since; pages by after',
    auth: 'bearer',
    query: alertListQueryV1,
    responses: [{ status: 200, schema: alertListV1, description: 'a page of alerts; next is the cursor of the next page' }],
    errors: ['INVALID_JUSTIFICATION'],
  })
  async list(
    @Query() query: z.output<typeof alertListQueryV1>,
    @Req() request: AuthenticatedRequest,
    @Justification() justification?: string,
  ) {
    return this.listAlerts.execute(request.principal!, query, justification);
  }

  @Get(':id')
  @ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded, DPA 2018 s.62)' })
  @Roles('officer', 'analyst', 'admin')
  @Contract({
    summary: 'One alert (officers: only for their areas, else not found); the read is logged',
    auth: 'bearer',
    params: alertParamsV1,
    responses: ALERT_ANSWER,
    errors: ['ALERT_NOT_FOUND', 'INVALID_JUSTIFICATION'],
  })
  async one(@Param('id') id: string, @Req() request: AuthenticatedRequest, @Justification() justification?: string) {
    return this.getAlert.execute(request.principal!, id, justification);
  }

  @Post(':id/acknowledge')
  @HttpCode(HttpStatus.OK)
  @Roles('officer', 'admin')
  @Contract({
    summary: 'Acknowledge an alert: stops its escalation',
    auth: 'bearer',
    params: alertParamsV1,
    body: alertNoteV1,
    responses: ALERT_ANSWER,
    errors: ['ALERT_NOT_FOUND', 'ALERT_NOT_OPEN'],
  })
  async ack(@Param('id') id: string, @Req() request: AuthenticatedRequest, @Body() body: Note) {
    const actor: Actor = { kind: 'user', principal: request.principal! };
    return this.acknowledge.execute(id, actor, 'acknowledge', new Date(), body.note);
  }

  @Post(':id/resolve')
  @HttpCode(HttpStatus.OK)
  @Roles('officer', 'analyst', 'admin')
  @Contract({
    summary: 'Resolve an alert',
    auth: 'bearer',
    params: alertParamsV1,
    body: alertNoteV1,
    responses: ALERT_ANSWER,
    errors: ['ALERT_NOT_FOUND', 'ALERT_NOT_OPEN'],
  })
  async resolve(@Param('id') id: string, @Req() request: AuthenticatedRequest, @Body() body: Note) {
    const actor: Actor = { kind: 'user', principal: request.principal! };
    return this.acknowledge.execute(id, actor, 'resolve', new Date(), body.note);
  }

  /** The link in a message opens a page; acknowledging takes a deliberate POST (link scanners only GET). */
  @Public()
  @Get(':id/acknowledge')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @Contract({
    summary: 'The page an acknowledgement link in a message opens (the link carries its own signed token)',
    auth: 'public',
    params: alertParamsV1,
    query: ackLinkQueryV1,
    responses: [{ status: 200, schema: z.string(), mediaType: 'text/html', description: 'a page with one button: acknowledge' }],
    errors: ['INVALID_LINK'],
  })
  async page(@Param('id') id: string, @Query('token') token: string) {
    await this.link(id, token);
    const action = `/v1/alerts/${id}/acknowledge-link?token=${encodeURIComponent(token)}`;
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Acknowledge alert</title></head><body>
<main><h1>Acknowledge LineWatch alert</h1><p>Alert ${escapeHtml(id)}.</p>
<form method="post" action="${escapeHtml(action)}"><button type="submit">Acknowledge</button></form></main></body></html>`;
  }

  @Public()
  @Post(':id/acknowledge-link')
  @HttpCode(HttpStatus.OK)
  @Contract({
    summary: 'Acknowledge by the signed link in a message',
    auth: 'public',
    params: alertParamsV1,
    query: ackLinkQueryV1,
    responses: ALERT_ANSWER,
    errors: ['INVALID_LINK', 'ALERT_NOT_FOUND', 'ALERT_NOT_OPEN'],
  })
  async ackByLink(@Param('id') id: string, @Query('token') token: string) {
    const claims = await this.link(id, token);
    return this.acknowledge.execute(id, { kind: 'link', recipientId: claims.recipientId }, 'acknowledge', new Date());
  }

  private async link(id: string, token: string | undefined) {
    try {
      return await verifyAckToken(this.config.extra.ALERT_LINK_SECRET, token ?? '', id);
    } catch {
      throw new CodedError('INVALID_LINK', 'this acknowledgement link is not valid (expired, altered or for another alert)');
    }
  }
}
