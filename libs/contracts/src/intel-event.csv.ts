/**
 * The CSV form of an intelligence event, for bulk uploads from systems that
 * export spreadsheets. One row an event; envelope fields in their own columns,
 * the type-specific body as a JSON object in the `body` column. Empty cells
 * are absent fields. Validation is the same as for JSON (this only reshapes).
 *
 * A line named by number or handset: `lineMsisdn` / `lineImei` (→ `line`); for a raid, several
 * separated by `;` (→ `lines`, numbers first).
 */
export const CSV_COLUMNS = [
  'eventId',
  'type',
  'occurredAt',
  'reportedAt',
  'area',
  'gradingSystem',
  'gradingSource',
  'gradingIntelligence',
  'gradingHandling',
  'sourceSystem',
  'sourceReference',
  'lineId',
  'lineIds',
  'lineMsisdn',
  'lineImei',
  'body',
] as const;

export type CsvRecord = Readonly<Record<string, string | undefined>>;

export class CsvShapeError extends Error {
  readonly code = 'MALFORMED_CSV';
}

/** A CSV row → the event object to validate. Throws CsvShapeError when the `body` cell is not a JSON object. */
export function csvRecordToEvent(record: CsvRecord): Record<string, unknown> {
  const cell = (name: string) => {
    const value = record[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const event: Record<string, unknown> = {};
  for (const name of ['eventId', 'type', 'occurredAt', 'reportedAt', 'area', 'lineId'] as const) {
    const value = cell(name);
    if (value !== undefined) event[name] = value;
  }
  const lineIds = cell('lineIds');
  if (lineIds !== undefined)
    event.lineIds = lineIds
      .split(';')
      .map((id) => id.trim())
      .filter(Boolean);
  const listOf = (name: string) =>
    (cell(name) ?? '')
      .split(';')
      .map((value) => value.trim())
      .filter(Boolean);
  const refs = [...listOf('lineMsisdn').map((msisdn) => ({ msisdn })), ...listOf('lineImei').map((imei) => ({ imei }))];
  if (refs.length > 0) {
    // A single-line event naming several identifiers is passed on as a list, which the schema refuses at `line`.
    if (event.type === 'enforcement.raid') event.lines = refs;
    else event.line = refs.length === 1 ? refs[0] : refs;
  }
  if (cell('gradingSource') || cell('gradingIntelligence') || cell('gradingHandling') || cell('gradingSystem')) {
    event.grading = {
      ...(cell('gradingSystem') ? { system: cell('gradingSystem') } : {}),
      source: cell('gradingSource'),
      intelligence: cell('gradingIntelligence'),
      handling: cell('gradingHandling'),
    };
  }
  if (cell('sourceSystem') || cell('sourceReference')) event.source = { system: cell('sourceSystem'), reference: cell('sourceReference') };
  const body = cell('body');
  if (body !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new CsvShapeError('the body column is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new CsvShapeError('the body column must be a JSON object');
    event.body = parsed;
  }
  const unknown = Object.keys(record).filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new CsvShapeError(`unknown column${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}`);
  return event;
}

/** The reverse, for exports of events and for tools that write uploads. */
export function eventToCsvRecord(event: Record<string, unknown>): Record<(typeof CSV_COLUMNS)[number], string> {
  const grading = (event.grading ?? {}) as Record<string, unknown>;
  const refs = (Array.isArray(event.lines) ? event.lines : event.line ? [event.line] : []) as Record<string, unknown>[];
  const refCell = (kind: 'msisdn' | 'imei') =>
    refs
      .map((ref) => ref[kind])
      .filter((value) => value !== undefined)
      .join(';');
  const source = (event.source ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));
  return {
    eventId: text(event.eventId),
    type: text(event.type),
    occurredAt: text(event.occurredAt),
    reportedAt: text(event.reportedAt),
    area: text(event.area),
    gradingSystem: grading.system === '5x5x5' ? '5x5x5' : '',
    gradingSource: text(grading.source),
    gradingIntelligence: text(grading.intelligence),
    gradingHandling: text(grading.handling),
    sourceSystem: text(source.system),
    sourceReference: text(source.reference),
    lineId: text(event.lineId),
    lineIds: Array.isArray(event.lineIds) ? event.lineIds.join(';') : '',
    lineMsisdn: refCell('msisdn'),
    lineImei: refCell('imei'),
    body: event.body === undefined ? '' : JSON.stringify(event.body),
  };
}
