import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { identifierLookupQueryV1, identifierLookupV1 } from '@linewatch/contracts';
import { Contract, JUSTIFICATION, Justification } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { z } from 'zod';
import { LookupIdentifiersUseCase } from './lookup-identifiers.usecase';

/** Lookup by number, handset or brand: analysts every line, officers their areas' (never through handling-C evidence). */
@ApiTags('identity')
@ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded in the access log, DPA 2018 s.62)' })
@Roles('analyst', 'officer', 'admin')
@Controller('v1/identifiers')
export class IdentifiersController {
  constructor(private readonly lookup: LookupIdentifiersUseCase) {}

  @Get()
  @Contract({
    summary: 'Which lines held a number (msisdn) or handset (imei), with the intervals, or used a brand (first and last seen): exactly one',
    description:
      'Numbers are normalised to E.164 (UK national forms read as +44), IMEIs to 15 digits with a valid check digit; brands are compared ' +
      'trimmed, case- and accent-insensitive. Officers find only lines in their areas, and never through an identifier or brand known ' +
      'only from handling-code C evidence. Every lookup is logged (s.62 consultation) with what was looked up.',
    auth: 'bearer',
    query: identifierLookupQueryV1,
    responses: [{ status: 200, schema: identifierLookupV1, description: 'the matching lines (none: an empty list)' }],
    errors: ['INVALID_MSISDN', 'INVALID_IMEI', 'INVALID_JUSTIFICATION'],
  })
  async find(
    @Query() query: z.output<typeof identifierLookupQueryV1>,
    @Req() request: AuthenticatedRequest,
    @Justification() justification?: string,
  ) {
    return this.lookup.execute(request.principal!, query, justification ?? null);
  }
}
