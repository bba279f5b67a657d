/**
 * The part of an intelligence event the line-state rules read, for ONE line. A contract event
 * naming several lines (a raid, a referral) becomes one `LineEvent` per line, all sharing its
 * `eventId`; an event naming none (a referral linked to no line) becomes none.
 */
import { linesOf, type Grading, type IntelEventType, type IntelEventV1 } from '@linewatch/contracts';
import { DomainError } from './domain.errors';

/** The 3x5x2 intelligence assessment (`E` = suspected to be false). 5x5x5 is already mapped by the contract. */
export type IntelligenceGrade = Grading['intelligence'];

interface LineEventEnvelope {
  /** The idempotency key: the same id is the same event, however often it is delivered. */
  readonly eventId: string;
  readonly lineId: string;
  /** Event time: the instant the rules apply it at (the contract's ISO-8601 with offset, parsed). */
  readonly occurredAt: Date;
  readonly area: string;
  readonly intelligence: IntelligenceGrade;
}

export type SightingType = 'line.sighting' | 'line.number_changed';
export type EnforcementType = 'enforcement.raid' | 'enforcement.arrest' | 'enforcement.seizure' | 'line.deactivated';
export type ClosureDecision = 'closure_type_1' | 'closure_type_2';
export type AssessmentDecision = ClosureDecision | 'reopen' | 'dormancy_override';

/** A sighting, or a number change (evidence the line operates on a new handset: it counts as a sighting). */
export interface SightingEvent extends LineEventEnvelope {
  readonly type: SightingType;
}

/** Enforcement on the line: a raid naming it, an arrest, a seizure, a deactivation. */
export interface EnforcementEvent extends LineEventEnvelope {
  readonly type: EnforcementType;
}

export interface ClosureAssessment extends LineEventEnvelope {
  readonly type: 'line.assessed';
  readonly decision: ClosureDecision;
}

export interface ReopenAssessment extends LineEventEnvelope {
  readonly type: 'line.assessed';
  readonly decision: 'reopen';
}

export interface DormancyOverrideAssessment extends LineEventEnvelope {
  readonly type: 'line.assessed';
  readonly decision: 'dormancy_override';
  /** The line's own dormancy window, from `occurredAt` on. */
  readonly dormancyWindowDays: number;
}

export type AssessmentEvent = ClosureAssessment | ReopenAssessment | DormancyOverrideAssessment;

export interface ReferralEvent extends LineEventEnvelope {
  readonly type: 'safeguarding.referral';
}

export type LineEvent = SightingEvent | EnforcementEvent | AssessmentEvent | ReferralEvent;

/** Compile-time check that every contract type has a line event (and no more). */
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _everyTypeMapped: Exactly<LineEvent['type'], IntelEventType> = true;
void _everyTypeMapped;

/** One `LineEvent` per line the contract event concerns (`linesOf`), in `linesOf` order. */
export function lineEventsOf(event: IntelEventV1): LineEvent[] {
  const envelope = (lineId: string): LineEventEnvelope => ({
    eventId: event.eventId,
    lineId,
    occurredAt: new Date(event.occurredAt),
    area: event.area,
    intelligence: event.grading.intelligence,
  });
  const lines = linesOf(event);
  switch (event.type) {
    case 'line.sighting':
    case 'line.number_changed':
    case 'enforcement.raid':
    case 'enforcement.arrest':
    case 'enforcement.seizure':
    case 'line.deactivated':
    case 'safeguarding.referral': {
      const type = event.type;
      return lines.map((lineId) => ({ ...envelope(lineId), type }));
    }
    case 'line.assessed': {
      const { decision, dormancyWindowDays } = event.body;
      switch (decision) {
        case 'closure_type_1':
        case 'closure_type_2':
        case 'reopen':
          return lines.map((lineId) => ({ ...envelope(lineId), type: 'line.assessed', decision }));
        case 'dormancy_override':
          if (dormancyWindowDays === undefined) throw new DomainError('dormancy_override_without_window', `event ${event.eventId}`);
          return lines.map((lineId) => ({ ...envelope(lineId), type: 'line.assessed', decision, dormancyWindowDays }));
        default: {
          const unhandled: never = decision;
          return unhandled;
        }
      }
    }
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
