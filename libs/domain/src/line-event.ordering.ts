/**
 * Event-time order: the timeline is a function of the SET of a line's events, so they are
 * applied in one total order whatever order they arrived in:
 *
 *   1. `occurredAt` (the instant, so offsets do not matter; millisecond precision, as `Date`);
 *   2. type precedence at the same instant (below): evidence first, enforcement next, analyst
 *      decisions last — a line sighted and raided at the same instant ends `disrupted`, and an
 *      assessment made at the same instant as a fact is taken to have seen it;
 *   3. `eventId` (code-unit order), so any two distinct events have a fixed order.
 *
 * Duplicates (same `eventId`: a redelivery) count once.
 */
import type { LineEvent } from './line-event.model';

/** Applied first (lowest) to last at the same instant. */
export function precedenceOf(event: LineEvent): number {
  switch (event.type) {
    case 'safeguarding.referral':
      return 0;
    case 'line.sighting':
      return 1;
    case 'line.number_changed':
      return 2;
    case 'enforcement.raid':
      return 3;
    case 'enforcement.arrest':
      return 4;
    case 'enforcement.seizure':
      return 5;
    case 'line.deactivated':
      return 6;
    case 'line.assessed':
      // A window set at an instant applies from that instant; a closure beats a reopen at the same instant.
      switch (event.decision) {
        case 'dormancy_override':
          return 7;
        case 'reopen':
          return 8;
        case 'closure_type_1':
        case 'closure_type_2':
          return 9;
        default: {
          const unhandled: never = event;
          return unhandled;
        }
      }
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** Negative when `a` is applied before `b`; 0 only for the same `eventId` at the same place in the order. */
export function compareLineEvents(a: LineEvent, b: LineEvent): number {
  return (
    a.occurredAt.getTime() - b.occurredAt.getTime() ||
    precedenceOf(a) - precedenceOf(b) ||
    (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)
  );
}

/**
 * The events in event-time order, one per `eventId`. Should two different payloads share an id
 * (intake makes that impossible), the one earliest in the order — then the smallest by its JSON —
 * wins, so the choice never depends on arrival order.
 */
export function inEventTimeOrder(events: readonly LineEvent[]): LineEvent[] {
  const byId = new Map<string, LineEvent>();
  for (const event of events) {
    const kept = byId.get(event.eventId);
    if (kept === undefined || precedes(event, kept)) byId.set(event.eventId, event);
  }
  return [...byId.values()].sort(compareLineEvents);
}

function precedes(a: LineEvent, b: LineEvent): boolean {
  const order = compareLineEvents(a, b);
  if (order !== 0) return order < 0;
  return canonical(a) < canonical(b);
}

function canonical(event: LineEvent): string {
  return JSON.stringify(Object.entries(event).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}
