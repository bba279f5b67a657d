import { replacementSuggestionViewOf } from '@linewatch/contracts';
import { Injectable } from '@nestjs/common';
import { CodedError } from '@linewatch/platform';
import { AuditRepository, Database, ReplacementSuggestionsRepository } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { LinkDecisions } from './link-decisions';
import { pairOf } from './replacement-suggestion.view';

export class SuggestionError extends CodedError<'SUGGESTION_NOT_FOUND' | 'SUGGESTION_NOT_OPEN'> {}

/**
 * An analyst's answer to a replacement suggestion (PRODUCT.md "Replacement suggestions").
 * Accept: a merge of the new line INTO the line it replaces (the brand's established line
 * survives: its id, history and review dates carry on; the new number's events join it),
 * checked and built like any merge, then the suggestion is marked accepted and the merge
 * published in one transaction (a publish that fails leaves the suggestion open). Reject: marked
 * rejected — kept, and never proposed again. Either answer is an s.62 alteration of the
 * suggestion with the analyst's rationale; the merge's combination entry is the tracker's.
 */
@Injectable()
export class DecideReplacementSuggestionUseCase {
  constructor(
    private readonly database: Database,
    private readonly suggestions: ReplacementSuggestionsRepository,
    private readonly audit: AuditRepository,
    private readonly links: LinkDecisions,
  ) {}

  async execute(
    principal: Principal,
    suggestionId: string,
    answer: { decision: 'accept' | 'reject'; rationale: string; occurredAt?: Date },
    now: Date,
  ) {
    const pair = pairOf(suggestionId);
    const found = await this.database.autocommit((q) => this.suggestions.find(q, pair));
    if (found === null) throw new SuggestionError('SUGGESTION_NOT_FOUND', `no replacement suggestion ${suggestionId}`);
    if (found.status !== 'open') throw new SuggestionError('SUGGESTION_NOT_OPEN', `suggestion ${suggestionId} was already ${found.status}`);
    const merge =
      answer.decision === 'accept'
        ? await this.links.prepare(
            principal,
            { type: 'merge', lineId: pair.lineId, into: pair.replaces },
            {
              rationale: `accepted replacement suggestion ${suggestionId}: ${answer.rationale}`.slice(0, 2000),
              occurredAt: answer.occurredAt,
            },
            now,
          )
        : null;
    const status = answer.decision === 'accept' ? 'accepted' : 'rejected';
    const decided = await this.database.transaction(async (tx) => {
      const row = await this.suggestions.decide(tx, pair, { status, by: principal.subject, reason: answer.rationale, at: now });
      if (row === null) throw new SuggestionError('SUGGESTION_NOT_OPEN', `suggestion ${suggestionId} was answered meanwhile`);
      await this.audit.append(tx, [
        {
          at: now,
          actor: principal.subject,
          action: 'alteration',
          subjectType: 'replacement-suggestion',
          subjectId: suggestionId,
          justification: answer.rationale,
          details: { decision: status, lineId: pair.lineId, replaces: pair.replaces, mergeEventId: merge?.eventId ?? null },
        },
      ]);
      // Last in the transaction: the answer commits only once Kafka has the merge.
      if (merge !== null) await this.links.publish(merge, now);
      return row;
    });
    return {
      suggestion: replacementSuggestionViewOf(decided),
      merge: merge === null ? null : { eventId: merge.eventId, status: 'accepted' as const, event: merge },
    };
  }
}
