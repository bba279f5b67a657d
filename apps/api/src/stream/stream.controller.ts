import { Controller, Get, Headers, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Contract, Justification } from '@linewatch/platform';
import { AreaScope } from '@linewatch/persistence';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { Response } from 'express';
import { z } from 'zod';
import { ConsultationLog } from '../audit/consultation.log';
import { LiveStream, laterThan, type LiveEntry } from './live-stream';

const HEARTBEAT_MS = 15_000;
const STREAM_ID = /^\d+-\d+$/;

/**
 * Server-sent events of state changes and alerts in the caller's scope, and (analysts) replacement
 * suggestions, resumable with Last-Event-ID.
 */
@ApiTags('live')
@Roles('analyst', 'officer', 'admin')
@Controller('v1/stream')
export class StreamController {
  constructor(
    private readonly live: LiveStream,
    private readonly log: ConsultationLog,
  ) {}

  @Get()
  @Contract({
    summary:
      'Live state changes and alerts (SSE): event types state-change, alert and (analysts) replacement-suggestion; resume with Last-Event-ID',
    description: "Each event's data is one JSON item of libs/contracts live-item.v1 (a state change, or an alert view).",
    auth: 'bearer',
    responses: [
      { status: 200, schema: z.string(), mediaType: 'text/event-stream', description: 'the stream (never ends while you listen)' },
    ],
    errors: ['INVALID_JUSTIFICATION'],
  })
  async stream(
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Headers('last-event-id') lastEventId?: string,
    @Justification() justification?: string,
  ): Promise<void> {
    const principal = request.principal!;
    const scope = AreaScope.of(principal);
    // Officers: their areas; an entry for some roles only (a replacement suggestion: analysts) to those roles.
    const visible = (entry: LiveEntry) =>
      scope.covers(entry.areas) && (entry.roles === null || entry.roles.some((role) => principal.roles.includes(role)));
    response.status(200);
    response.setHeader('content-type', 'text/event-stream; charset=utf-8');
    response.setHeader('cache-control', 'no-cache, no-store');
    response.setHeader('x-accel-buffering', 'no');
    response.flushHeaders();
    response.write('retry: 3000\n\n');

    let sent = lastEventId && STREAM_ID.test(lastEventId) ? lastEventId : null;
    const send = (entry: LiveEntry) => {
      if (sent !== null && !laterThan(entry.id, sent)) return;
      sent = entry.id;
      if (visible(entry)) response.write(`id: ${entry.id}\nevent: ${entry.type}\ndata: ${entry.data}\n\n`);
    };
    // Listen first, then catch up: nothing falls between the two (duplicates are dropped by id).
    const buffered: LiveEntry[] = [];
    let caughtUp = false;
    const unsubscribe = this.live.subscribe((entry) => (caughtUp ? send(entry) : buffered.push(entry)));
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    request.on('close', () => {
      unsubscribe();
      clearInterval(heartbeat);
    });
    await this.log.record(principal, { type: 'live-stream', id: scope.describe() }, justification ?? 'live line status', {
      resumedFrom: sent,
    });
    if (sent !== null) for (const entry of await this.live.after(sent)) send(entry);
    for (const entry of buffered) send(entry);
    caughtUp = true;
  }
}
