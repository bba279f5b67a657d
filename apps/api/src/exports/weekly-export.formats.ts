import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { SUPPRESSED, WEEKLY_FIGURES } from '@linewatch/domain';
import type { ExportRow, WeeklyExport } from './build-weekly-export.usecase';
import { chartPng, chartSvg } from './weekly-export.chart';
import { EXPORT_FORMATS } from '@linewatch/contracts';

// The formats a caller may ask for are the api's contract (weeklyExportQueryV1).
export { EXPORT_FORMATS };
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  svg: 'image/svg+xml; charset=utf-8',
  png: 'image/png',
};

/** Columns of the CSV and the spreadsheet, in order (the JSON rows carry the same names). */
export const COLUMNS = ['area', 'areaName', 'isoWeek', 'weekStart', ...WEEKLY_FIGURES] as const;

/**
 * Spreadsheet formula injection (OWASP "CSV injection"): a text cell starting with = + - @ tab or
 * carriage return is prefixed with an apostrophe, so Excel and LibreOffice show it as text.
 * Figures are numbers, but area names come from configuration.
 */
export function neutralise(value: unknown): unknown {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const cellsOf = (row: ExportRow) => COLUMNS.map((c) => neutralise((row as unknown as Record<string, unknown>)[c]));

export function fileName(exp: WeeklyExport, format: ExportFormat): string {
  const area = exp.area ? `-${exp.area}` : '';
  return `linewatch-weekly-${exp.version}-${exp.fromWeek}-to-${exp.toWeek}${area}.${format}`;
}

/** RFC 4180: CRLF records, quotes doubled, a header row; UTF-8 with a byte-order mark (Excel reads it as UTF-8). */
export function toCsv(exp: WeeklyExport): Buffer {
  const text = stringify([COLUMNS as readonly string[], ...exp.rows.map(cellsOf)], {
    record_delimiter: 'windows',
    quoted_match: /[",\r\n]/,
  });
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

export function toJson(exp: WeeklyExport): Buffer {
  return Buffer.from(
    JSON.stringify({
      from: exp.from,
      to: exp.to,
      fromWeek: exp.fromWeek,
      toWeek: exp.toWeek,
      version: exp.version,
      area: exp.area,
      timeZone: exp.timeZone,
      generatedAt: exp.generatedAt.toISOString(),
      ...(exp.suppressBelow === null ? {} : { suppressBelow: exp.suppressBelow, suppressedMarker: SUPPRESSED }),
      rows: exp.rows,
      totals: exp.totals,
    }),
    'utf8',
  );
}

function sheetOf(book: ExcelJS.Workbook, name: string, rows: readonly ExportRow[]) {
  const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ header: c, key: c, width: Math.max(10, c.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(cellsOf(row));
  return sheet;
}

export async function toXlsx(exp: WeeklyExport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'LineWatch';
  book.created = exp.generatedAt;
  sheetOf(book, 'Weekly figures', exp.rows);
  if (exp.totals.length > 0) sheetOf(book, 'All areas', exp.totals);
  const about = book.addWorksheet('About');
  about.columns = [{ width: 28 }, { width: 100 }];
  const facts: [string, string][] = [
    ['Export', `LineWatch weekly trends, ${exp.version} version`],
    ['Weeks', `${exp.fromWeek} to ${exp.toWeek} (ISO weeks, Monday 00:00 ${exp.timeZone})`],
    ['Area', exp.area ?? 'all configured areas'],
    ['Generated', exp.generatedAt.toISOString()],
    [
      'Definitions',
      'docs/exports.md: lines active, at week end, new, reactivated, resurfaced, went dormant, disrupted, closed (Type 1/2): counts of lines; raids, arrests, seizures, referrals: counts of events',
    ],
  ];
  if (exp.suppressBelow !== null)
    facts.push([
      'Suppression',
      `${SUPPRESSED}: a count of people from 1 to ${exp.suppressBelow - 1}, or a cell hidden so that totals cannot reveal one`,
    ]);
  for (const [k, v] of facts) about.addRow([k, neutralise(v)]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The export in one format. */
export async function render(exp: WeeklyExport, format: ExportFormat): Promise<Buffer> {
  switch (format) {
    case 'csv':
      return toCsv(exp);
    case 'json':
      return toJson(exp);
    case 'xlsx':
      return toXlsx(exp);
    case 'svg':
      return Buffer.from(chartSvg(exp), 'utf8');
    case 'png':
      return chartPng(exp);
    default: {
      const unhandled: never = format;
      return unhandled;
    }
  }
}
