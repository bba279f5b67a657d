import { HEADERS, INTEL_EVENT_SCHEMA, linesOfLink, partitionKeysOf, type IntelEventV1, type LineLinkV1 } from '@linewatch/contracts';
import type { OutgoingMessage } from './kafka.publisher';

/**
 * The messages of one validated event on `intel.events.v1`: one per line it concerns (key =
 * lineId, so a line's events stay in order on one partition; an event naming no line is keyed
 * by its area). Intake, the api's assessments and its link decisions (keyed by each line they
 * concern: both lines of a merge) publish through this one shape. `keys` replaces the event's
 * own (intake keys a merged line's event by its survivor: `resolveSubmission`).
 * `history`: accepted in a history import — the `linewatch-intake: history` header tells the
 * tracker that the changes it causes are recorded, not pushed.
 */
export function intelEventMessages(
  event: IntelEventV1 | LineLinkV1,
  receivedAt: Date,
  keys: readonly string[] = isLink(event) ? linesOfLink(event) : partitionKeysOf(event),
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

/** A link decision (`line.merged`, …) travels on the same topic, keyed by each line it concerns (both lines of a merge). */
function isLink(event: IntelEventV1 | LineLinkV1): event is LineLinkV1 {
  return event.type === 'line.merged' || event.type === 'line.unmerged' || event.type === 'line.identifier_attached';
}
