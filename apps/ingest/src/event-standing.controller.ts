import { Controller, Get, Param, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { eventStandingParamsV1, eventStandingV1 } from '@linewatch/contracts';
import { Contract, Justification } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import { GetEventStandingUseCase } from './get-event-standing.usecase';

/** `GET /v1/events/{eventId}`: where an event stands, for the system that sent it and for analysts. */
@ApiTags('intake')
@Roles('ingest', 'analyst')
@Controller('v1/events')
export class EventStandingController {
  constructor(private readonly getStanding: GetEventStandingUseCase) {}

  @Get(':eventId')
  @Contract({
    summary: 'Where an event stands: received, stored, applied, the lines it went to and how',
    description:
      'received: ingest had Kafka acknowledge it (or the tracker stored it); stored and applied: on its lines\u2019 timelines. ' +
      'Each line as it resolves now (a merged line as its survivor), how the event reached it, and its current state. ' +
      'Every read is logged as an s.62 consultation (X-Justification: why you are looking).',
    auth: 'bearer',
    params: eventStandingParamsV1,
    responses: [{ status: 200, schema: eventStandingV1, description: 'where the event stands' }],
    errors: ['EVENT_NOT_FOUND', 'INVALID_JUSTIFICATION'],
  })
  async one(
    @Param() params: { eventId: string },
    @Req() request: AuthenticatedRequest,
    // Raw UTF-8 or an RFC 8187 ext-value, as the api reads it; 400 INVALID_JUSTIFICATION when unreadable.
    @Justification() justification?: string,
  ) {
    return this.getStanding.execute(request.principal!, params.eventId, justification ?? null);
  }
}
