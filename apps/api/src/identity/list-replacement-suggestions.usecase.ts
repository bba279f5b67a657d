import { replacementSuggestionViewOf } from '@linewatch/contracts';
import { Injectable } from '@nestjs/common';
import { Database, ReplacementSuggestionsRepository, type SuggestionStatus } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { ConsultationLog } from '../audit/consultation.log';

/** Replacement suggestions for analysts, newest first, with their reasons (brands, areas, days between); the read is logged (s.62). */
@Injectable()
export class ListReplacementSuggestionsUseCase {
  constructor(
    private readonly database: Database,
    private readonly suggestions: ReplacementSuggestionsRepository,
    private readonly log: ConsultationLog,
  ) {}

  async execute(principal: Principal, filter: { status: SuggestionStatus; lineId?: string; limit: number }, justification: string | null) {
    const found = await this.database.autocommit((q) => this.suggestions.list(q, filter));
    await this.log.record(principal, { type: 'replacement-suggestions', id: JSON.stringify(filter) }, justification, {
      returned: found.length,
    });
    return { suggestions: found.map(replacementSuggestionViewOf) };
  }
}
