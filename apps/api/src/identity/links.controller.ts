import { Body, Controller, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { attachIdentifierRequestV1, lineParamsV1, linkDecisionAnswerV1, mergeRequestV1, unmergeRequestV1 } from '@linewatch/contracts';
import { Contract, type ErrorCode } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { z } from 'zod';
import { RecordLinkDecisionUseCase } from './record-link-decision.usecase';

const ACCEPTED = { status: 202, schema: linkDecisionAnswerV1, description: 'the link event, on intel.events.v1 (the tracker applies it)' };
const EVERY_LINK: ErrorCode[] = ['LINE_NOT_FOUND', 'INVALID_LINK_DECISION', 'PUBLISH_FAILED'];

/**
 * Analysts' link decisions about a line (PRODUCT.md "Links"): each a resource created under the
 * line it concerns (the merged line B for a merge and an unmerge), accepted (202) once Kafka has
 * the event; the tracker applies it in event time and logs the s.62 combination.
 */
@ApiTags('identity')
@Roles('analyst')
@Controller('v1/lines/:lineId')
export class LinksController {
  constructor(private readonly record: RecordLinkDecisionUseCase) {}

  @Post('merges')
  @HttpCode(HttpStatus.ACCEPTED)
  @Contract({
    summary: 'Merge this line (B) into another (into: A): A survives, B resolves to A in every read; accepted once Kafka has it',
    auth: 'bearer',
    params: lineParamsV1,
    body: mergeRequestV1,
    bodyError: 'INVALID_LINK_DECISION',
    responses: [ACCEPTED],
    errors: [...EVERY_LINK, 'MERGE_INTO_ITSELF', 'MERGE_INTO_OWN_ALIAS', 'ALREADY_MERGED'],
  })
  async merge(@Param('lineId') lineId: string, @Body() body: z.output<typeof mergeRequestV1>, @Req() request: AuthenticatedRequest) {
    return this.record.execute(
      request.principal!,
      { type: 'merge', lineId, into: body.into },
      { rationale: body.rationale, occurredAt: body.occurredAt },
      new Date(),
    );
  }

  @Post('unmerges')
  @HttpCode(HttpStatus.ACCEPTED)
  @Contract({
    summary: 'Undo a merge of this line (mergeEventId; default the merge in force): both lines as they were; accepted once Kafka has it',
    auth: 'bearer',
    params: lineParamsV1,
    body: unmergeRequestV1,
    bodyError: 'INVALID_LINK_DECISION',
    responses: [ACCEPTED],
    errors: [...EVERY_LINK, 'MERGE_NOT_FOUND', 'ALREADY_UNMERGED', 'UNMERGE_BEFORE_MERGE'],
  })
  async unmerge(@Param('lineId') lineId: string, @Body() body: z.output<typeof unmergeRequestV1>, @Req() request: AuthenticatedRequest) {
    return this.record.execute(
      request.principal!,
      { type: 'unmerge', lineId, ...(body.mergeEventId === undefined ? {} : { mergeEventId: body.mergeEventId }) },
      { rationale: body.rationale, occurredAt: body.occurredAt },
      new Date(),
    );
  }

  @Post('identifiers')
  @HttpCode(HttpStatus.ACCEPTED)
  @Contract({
    summary: 'Attach a number (msisdn) or handset (imei) to this line from an instant (from; default now); accepted once Kafka has it',
    auth: 'bearer',
    params: lineParamsV1,
    body: attachIdentifierRequestV1,
    bodyError: 'INVALID_LINK_DECISION',
    responses: [ACCEPTED],
    errors: [...EVERY_LINK, 'INVALID_MSISDN', 'INVALID_IMEI'],
  })
  async attach(
    @Param('lineId') lineId: string,
    @Body() body: z.output<typeof attachIdentifierRequestV1>,
    @Req() request: AuthenticatedRequest,
  ) {
    const identifier = body.msisdn !== undefined ? { msisdn: body.msisdn } : { imei: body.imei };
    return this.record.execute(
      request.principal!,
      { type: 'attach', lineId, identifier },
      { rationale: body.rationale, occurredAt: body.from },
      new Date(),
    );
  }
}
