import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import {
  suggestionDecisionAnswerV1,
  suggestionDecisionRequestV1,
  suggestionListQueryV1,
  suggestionListV1,
  suggestionParamsV1,
} from '@linewatch/contracts';
import { Contract, JUSTIFICATION, Justification } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { z } from 'zod';
import { DecideReplacementSuggestionUseCase } from './decide-replacement-suggestion.usecase';
import { ListReplacementSuggestionsUseCase } from './list-replacement-suggestions.usecase';

/** "Possible replacement of line X": listed for analysts with the reasons; accepted (a merge) or rejected (never proposed again). */
@ApiTags('identity')
@Roles('analyst')
@Controller('v1/replacement-suggestions')
export class ReplacementSuggestionsController {
  constructor(
    private readonly listSuggestions: ListReplacementSuggestionsUseCase,
    private readonly decide: DecideReplacementSuggestionUseCase,
  ) {}

  @Get()
  @ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded in the access log, DPA 2018 s.62)' })
  @Contract({
    summary: 'Replacement suggestions by status (default open), newest first, with their reasons (brands, areas, ending, days between)',
    auth: 'bearer',
    query: suggestionListQueryV1,
    responses: [{ status: 200, schema: suggestionListV1, description: 'the suggestions; id is <new line>~<line it may replace>' }],
    errors: ['INVALID_JUSTIFICATION'],
  })
  async list(
    @Query() query: z.output<typeof suggestionListQueryV1>,
    @Req() request: AuthenticatedRequest,
    @Justification() justification?: string,
  ) {
    return this.listSuggestions.execute(request.principal!, query, justification ?? null);
  }

  @Post(':suggestionId/accept')
  @HttpCode(HttpStatus.OK)
  @Contract({
    summary: 'Accept: the new line is merged into the line it replaces (published like any merge), the suggestion marked accepted',
    auth: 'bearer',
    params: suggestionParamsV1,
    body: suggestionDecisionRequestV1,
    responses: [{ status: 200, schema: suggestionDecisionAnswerV1, description: 'the suggestion accepted, and the merge published' }],
    errors: [
      'SUGGESTION_NOT_FOUND',
      'SUGGESTION_NOT_OPEN',
      'LINE_NOT_FOUND',
      'INVALID_LINK_DECISION',
      'MERGE_INTO_ITSELF',
      'MERGE_INTO_OWN_ALIAS',
      'ALREADY_MERGED',
      'PUBLISH_FAILED',
    ],
  })
  async accept(
    @Param('suggestionId') suggestionId: string,
    @Body() body: z.output<typeof suggestionDecisionRequestV1>,
    @Req() request: AuthenticatedRequest,
  ) {
    return this.decide.execute(request.principal!, suggestionId, { decision: 'accept', ...body }, new Date());
  }

  @Post(':suggestionId/reject')
  @HttpCode(HttpStatus.OK)
  @Contract({
    summary: 'Reject: the suggestion is kept as rejected and the pair never proposed again',
    auth: 'bearer',
    params: suggestionParamsV1,
    body: suggestionDecisionRequestV1,
    responses: [{ status: 200, schema: suggestionDecisionAnswerV1, description: 'the suggestion rejected (merge: null)' }],
    errors: ['SUGGESTION_NOT_FOUND', 'SUGGESTION_NOT_OPEN'],
  })
  async reject(
    @Param('suggestionId') suggestionId: string,
    @Body() body: z.output<typeof suggestionDecisionRequestV1>,
    @Req() request: AuthenticatedRequest,
  ) {
    return this.decide.execute(request.principal!, suggestionId, { decision: 'reject', rationale: body.rationale }, new Date());
  }
}
