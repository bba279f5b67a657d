import { Body, Controller, Get, Header, HttpCode, HttpStatus, Inject, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALERT_SEVERITIES } from '@linewatch/contracts';
import { Public } from '@linewatch/observability';
import { CodedError } from '@linewatch/platform';
import { Roles, verifyAckToken, type AuthenticatedRequest } from '@linewatch/security';
import { z } from 'zod';
import { AcknowledgeAlertUseCase, type Actor } from './acknowledge-alert.usecase';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { instant, parsed } from '../http/request-validation';
import { JUSTIFICATION, Justification } from '../http/justification.header';
import { GetAlertUseCase } from './get-alert.usecase';
import { ListAlertsUseCase, STATUS_FILTERS, type StatusFilter } from './list-alerts.usecase';

const listQuery = z
  .object({
    status: z.enum(Object.keys(STATUS_FILTERS) as [StatusFilter, ...StatusFilter[]]).optional(),
    severity: z.enum(ALERT_SEVERITIES).optional(),
    area: z.string().min(1).max(64).optional(),
    lineId: z.string().min(1).max(64).optional(),
    teamId: z.string().min(1).max(64).optional(),
    since: instant.optional(),
    after: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
const note = z.object({ note: z.string().max(2000).optional() }).strict();

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
  @ApiBearerAuth()
  @ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded, DPA 2018 s.62)' })
  @Roles('officer', 'analyst', 'admin')
  @ApiOperation({
    summary:
      'Alerts in your scope, newest first (raisedAt, then the order raised): status (open|raised|delivered|acknowledged|resolved|silenced), severity, area, lineId, teamId, since; pages by after',
  })
  async list(@Query() query: unknown, @Req() request: AuthenticatedRequest, @Justification() justification?: string) {
    return this.listAlerts.execute(request.principal!, parsed(listQuery, query, 'INVALID_QUERY'), justification);
  }

  @Get(':id')
  @ApiBearerAuth()
  @Roles('officer', 'analyst', 'admin')
  @ApiOperation({ summary: 'One alert (officers: only for their areas, else not found); the read is logged' })
  async one(@Param('id', ParseUUIDPipe) id: string, @Req() request: AuthenticatedRequest, @Justification() justification?: string) {
    return this.getAlert.execute(request.principal!, id, justification);
  }

  @Post(':id/acknowledge')
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  @Roles('officer', 'admin')
  @ApiOperation({ summary: 'Acknowledge an alert: stops its escalation' })
  async ack(@Param('id', ParseUUIDPipe) id: string, @Req() request: AuthenticatedRequest, @Body() body: unknown) {
    const actor: Actor = { kind: 'user', principal: request.principal! };
    const { note: text } = parsed(note, body);
    return this.acknowledge.execute(id, actor, 'acknowledge', new Date(), text);
  }

  @Post(':id/resolve')
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  @Roles('officer', 'analyst', 'admin')
  @ApiOperation({ summary: 'Resolve an alert' })
  async resolve(@Param('id', ParseUUIDPipe) id: string, @Req() request: AuthenticatedRequest, @Body() body: unknown) {
    const actor: Actor = { kind: 'user', principal: request.principal! };
    const { note: text } = parsed(note, body);
    return this.acknowledge.execute(id, actor, 'resolve', new Date(), text);
  }

  /** The link in a message opens a page; acknowledging takes a deliberate POST (link scanners only GET). */
  @Public()
  @Get(':id/acknowledge')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'The page an acknowledgement link in a message opens (the link carries its own signed token)' })
  async page(@Param('id', ParseUUIDPipe) id: string, @Query('token') token: string) {
    await this.link(id, token);
    const action = `/v1/alerts/${id}/acknowledge-link?token=${encodeURIComponent(token)}`;
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Acknowledge alert</title></head><body>
<main><h1>Acknowledge LineWatch alert</h1><p>Alert ${escapeHtml(id)}.</p>
<form method="post" action="${escapeHtml(action)}"><button type="submit">Acknowledge</button></form></main></body></html>`;
  }

  @Public()
  @Post(':id/acknowledge-link')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Acknowledge by the signed link in a message' })
  async ackByLink(@Param('id', ParseUUIDPipe) id: string, @Query('token') token: string) {
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
