import { Injectable } from '@nestjs/common';
import type { LinkDecisionAnswerV1 } from '@linewatch/contracts';
import type { Principal } from '@linewatch/security';
import { LinkDecisions, type LinkCommand, type LinkContext } from './link-decisions';

/**
 * An analyst's merge, unmerge or attachment becomes a link event on `intel.events.v1` (like an
 * assessment): checked first with clear codes (409 a conflict with the links in force, 404 an
 * unknown line or a merge that never happened), answered once Kafka has it; the tracker applies
 * it in event time and writes the s.62 combination entry.
 */
@Injectable()
export class RecordLinkDecisionUseCase {
  constructor(private readonly decisions: LinkDecisions) {}

  async execute(principal: Principal, command: LinkCommand, context: LinkContext, now: Date): Promise<LinkDecisionAnswerV1> {
    const event = await this.decisions.prepare(principal, command, context, now);
    await this.decisions.publish(event, now);
    return { eventId: event.eventId, status: 'accepted', event };
  }
}
