import { Body, Controller, HttpCode, HttpException, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@linewatch/security';
import type { Request, Response } from 'express';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config';
import { PublishEventsUseCase, type EventOutcome } from './publish-events.usecase';

/** `POST /v1/events`: one event (an object) or many (an array). */
@ApiTags('intake')
@ApiBearerAuth()
@Roles('ingest')
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly publishEvents: PublishEventsUseCase,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Submit intelligence events; answered per event once Kafka has them' })
  async submit(@Req() request: Request, @Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    if (!request.is('application/json')) {
      throw new HttpException(
        { code: 'UNSUPPORTED_CONTENT_TYPE', message: 'send events as application/json' },
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      );
    }
    const single = !Array.isArray(body);
    const inputs: unknown[] = single ? [body] : (body as unknown[]);
    const limit = this.config.extra.INGEST_MAX_EVENTS_PER_REQUEST;
    if (inputs.length === 0 || inputs.length > limit) {
      throw new HttpException({ code: 'BATCH_SIZE', message: `send between 1 and ${limit} events per request` }, HttpStatus.BAD_REQUEST);
    }
    const outcomes = await this.publishEvents.execute(inputs, new Date());
    if (single) {
      const [outcome] = outcomes;
      response.status(statusOf(outcome));
      return outcome;
    }
    return { results: outcomes, summary: summarise(outcomes) };
  }
}

function statusOf(outcome: EventOutcome): number {
  if (outcome.status === 'accepted') return HttpStatus.ACCEPTED;
  if (outcome.status === 'duplicate') return HttpStatus.OK;
  return HttpStatus.UNPROCESSABLE_ENTITY;
}

function summarise(outcomes: readonly EventOutcome[]) {
  return {
    accepted: outcomes.filter((o) => o.status === 'accepted').length,
    duplicate: outcomes.filter((o) => o.status === 'duplicate').length,
    rejected: outcomes.filter((o) => o.status === 'rejected').length,
  };
}
