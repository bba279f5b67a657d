import type { IntelEventV1, StateChangeV1 } from '@linewatch/contracts';
import { IntelEventsRepository, type Queryable } from '@linewatch/persistence';

export interface CauseDetails {
  readonly sourceSystem: string;
  readonly sourceReference: string;
  /** Phone numbers and handset identifiers the cause names (shown only for handling code P). */
  readonly numbers: readonly string[];
  /** Where the causing event happened. */
  readonly area: string;
}

const events = new IntelEventsRepository();
const NUMBER_KEY = /msisdn|imei|number/i;

function numbersIn(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return NUMBER_KEY.test(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => numbersIn(item, key));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbersIn(v, k));
  return [];
}

/** What the message may say about the cause: its source and the numbers in it (the content rules decide what is shown). */
export async function causeDetailsOf(q: Queryable, change: StateChangeV1): Promise<CauseDetails | null> {
  if (change.cause.eventId === null) return null;
  const event: IntelEventV1 | null = await events.payloadOf(q, change.cause.eventId);
  if (!event) return null;
  return {
    sourceSystem: event.source.system,
    sourceReference: event.source.reference,
    numbers: [...new Set(numbersIn(event.body))],
    area: event.area,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The areas whose teams hear of a change: the line's evidence in the last `recentDays` before the
 * change (event time), the causing event's area and the line's own area; or every area the line
 * ever had evidence in when `recentDays` is null.
 */
export async function alertAreasOf(
  q: Queryable,
  change: StateChangeV1,
  cause: CauseDetails | null,
  recentDays: number | null,
): Promise<string[]> {
  if (recentDays === null) return change.areas;
  const at = new Date(change.at);
  const recent = await events.areasOfLine(
    q,
    change.lineId,
    new Date(at.getTime() - recentDays * DAY_MS),
    new Date(Math.max(at.getTime(), Date.parse(change.detectedAt))),
  );
  return [...new Set([...recent, ...(cause ? [cause.area] : []), ...(change.area ? [change.area] : [])])].sort();
}
