import { HEADERS, INTEL_EVENT_SCHEMA, partitionKeysOf, type IntelEventV1 } from '@linewatch/contracts';
import type { OutgoingMessage } from './kafka.publisher';

/**
 * The messages of one validated event on `intel.events.v1`: one per line it concerns (key =
 * lineId, so a line's events stay in order on one partition; an event naming no line is keyed
 * by its area). Intake and the api's assessments publish through this one shape. `keys` replaces
 * the event's own (intake keys a merged line's event by its survivor: `resolveSubmission`).
 * `history`: accepted in a history import — the `linewatch-intake: history` header tells the
 * tracker that the changes it causes are recorded, not pushed.
 */
export function intelEventMessages(
  event: IntelEventV1,
  receivedAt: Date,
  keys: readonly string[] = partitionKeysOf(event),
  options: { readonly history?: boolean } = {},
): OutgoingMessage[] {
  const value = JSON.stringify(event);
  return keys.map((key) => ({
    key,
    value,
    headers: {
      [HEADERS.contentType]: 'application/json',
      [HEADERS.schema]: INTEL_EVENT_SCHEMA,
      [HEADERS.eventId]: event.eventId,
      [HEADERS.receivedAt]: receivedAt.toISOString(),
      ...(options.history ? { [HEADERS.intake]: 'history' } : {}),
    },
  }));
}
