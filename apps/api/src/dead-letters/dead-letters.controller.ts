import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { deadLettersQueryV1, deadLettersV1 } from '@linewatch/contracts';
import { Contract, JUSTIFICATION, Justification } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { z } from 'zod';
import { ListDeadLettersUseCase } from './list-dead-letters.usecase';

/** The dead letters of intel.events.dlq.v1 (the admins' home figure opens this list): admins only. */
@ApiTags('dead-letters')
@Roles('admin')
@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly list: ListDeadLettersUseCase) {}

  @Get()
  @ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded, DPA 2018 s.62)' })
  @Contract({
    summary: 'Dead letters (waiting by default): reason code, topic offset, eventId if known, age, re-drive; never the content',
    description:
      'The tracker mirrors intel.events.dlq.v1; `linewatch dlq retry` records what it re-drove. Waiting: mirrored, not re-driven. Admins only.',
    auth: 'bearer',
    query: deadLettersQueryV1,
    responses: [{ status: 200, schema: deadLettersV1, description: 'the dead letters, newest first, and how many are waiting' }],
    errors: ['INVALID_JUSTIFICATION'],
  })
  async get(
    @Query() query: z.output<typeof deadLettersQueryV1>,
    @Req() request: AuthenticatedRequest,
    @Justification() justification?: string,
  ) {
    return this.list.execute(request.principal!, query, justification, new Date());
  }
}
