import type { IntelEventV1 } from '@linewatch/contracts';

type SeizureItem = Extract<IntelEventV1, { type: 'enforcement.seizure' }>['body']['items'][number];

/** Countable things are counted ("2 handsets"); drugs and cash are amounts, said as such. */
const ITEM_NOUN: Record<SeizureItem['kind'], { readonly one: string; readonly many: string; readonly countable: boolean }> = {
  handset: { one: 'handset', many: 'handsets', countable: true },
  weapon: { one: 'weapon', many: 'weapons', countable: true },
  other: { one: 'other item', many: 'other items', countable: true },
  drugs: { one: 'drugs', many: 'drugs', countable: false },
  cash: { one: 'cash', many: 'cash', countable: false },
};

const words = (code: string) => code.replace(/_/g, ' ');
const count = new Intl.NumberFormat('en-GB');

/** One seized item in words: "2 handsets", "cash (2,400)", "1 weapon (machete)". */
export function describeItem(item: SeizureItem): string {
  const noun = ITEM_NOUN[item.kind] ?? { one: words(String(item.kind)), many: words(String(item.kind)), countable: true };
  const quantity = typeof item.quantity === 'number' ? item.quantity : undefined;
  const described = item.description?.trim();
  const head =
    quantity === undefined
      ? noun.one
      : noun.countable
        ? `${count.format(quantity)} ${quantity === 1 ? noun.one : noun.many}`
        : `${noun.one} (${count.format(quantity)})`;
  return described ? `${head}: ${described}` : head;
}

/** What was seized, as a list in words: "2 handsets, cash". */
export function describeItems(items: readonly SeizureItem[] | undefined): string {
  return Array.isArray(items) && items.length > 0 ? items.map(describeItem).join(', ') : 'nothing listed';
}

/**
 * A short, plain description of an event's body and source (no raw JSON, no "[object Object]"):
 * each type says its own fields in words. The switch is exhaustive, so a new event type does not
 * compile until it is described here.
 */
export function describeEvent(event: IntelEventV1): string {
  const parts: string[] = [];
  const add = (label: string, value: string | number | boolean | null | undefined) => {
    if (value === undefined || value === null || value === '') return;
    parts.push(`${label}: ${typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value)}`);
  };
  switch (event.type) {
    case 'line.sighting':
      add('kind', words(event.body.kind));
      add('brand', event.body.brand);
      add('number', event.body.msisdn);
      add('note', event.body.note);
      break;
    case 'line.number_changed':
      add('number', event.body.previousMsisdn ? `${event.body.previousMsisdn} → ${event.body.newMsisdn}` : event.body.newMsisdn);
      add('IMEI', event.body.imei);
      add('brand', event.body.brand);
      break;
    case 'enforcement.raid':
      add(
        'place',
        event.body.place
          ? `${event.body.place.description}${event.body.place.postcodeDistrict ? ` (${event.body.place.postcodeDistrict})` : ''}`
          : undefined,
      );
      add('warrant', event.body.warrant);
      add('cuckooing', event.body.cuckooing);
      add('note', event.body.note);
      break;
    case 'enforcement.arrest':
      add('role', words(event.body.role));
      add('charged', event.body.charged);
      add('age', event.body.ageBand === 'unknown' ? undefined : words(event.body.ageBand).replace('25 plus', '25 or over'));
      break;
    case 'enforcement.seizure':
      add('items', describeItems(event.body.items));
      add('number', event.body.msisdn);
      add('IMEI', event.body.imei);
      break;
    case 'line.deactivated':
      add('method', words(event.body.method));
      add('number', event.body.msisdn);
      break;
    case 'line.assessed':
      add('decision', words(event.body.decision));
      add('dormancy window (days)', event.body.dormancyWindowDays);
      add('rationale', event.body.rationale);
      break;
    case 'safeguarding.referral':
      add('subject', event.body.subject);
      add('exploitation', Array.isArray(event.body.exploitation) ? event.body.exploitation.join(', ') : undefined);
      add('agency', event.body.agency);
      break;
    default: {
      const unhandled: never = event;
      return String((unhandled as { type?: unknown }).type);
    }
  }
  parts.push(`source: ${event.source.system} ${event.source.reference}`);
  return parts.join('; ');
}
