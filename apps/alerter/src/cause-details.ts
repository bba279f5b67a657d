import type { IntelEventV1, StateChangeV1 } from '@linewatch/contracts';
import { IntelEventsRepository } from '@linewatch/persistence';
import type { EntityManager } from 'typeorm';

export interface CauseDetails {
  readonly sourceSystem: string;
  readonly sourceReference: string;
  /** Phone numbers and handset identifiers the cause names (shown only for handling code P). */
  readonly numbers: readonly string[];
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
export async function causeDetailsOf(manager: EntityManager, change: StateChangeV1): Promise<CauseDetails | null> {
  if (change.cause.eventId === null) return null;
  const event: IntelEventV1 | null = await events.payloadOf(manager, change.cause.eventId);
  if (!event) return null;
  return { sourceSystem: event.source.system, sourceReference: event.source.reference, numbers: [...new Set(numbersIn(event.body))] };
}
