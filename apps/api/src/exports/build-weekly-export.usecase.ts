import { Inject, Injectable } from '@nestjs/common';
import {
  EXPORT_TIME_ZONE,
  LINE_FIGURES,
  WEEKLY_FIGURES,
  addDays,
  assembleWeeklyRows,
  isoWeeksBetween,
  suppressSmallNumbers,
  zeroCounts,
  type PublishedRow,
  type WeeklyFigure,
  type WeeklyRow,
} from '@linewatch/domain';
import { Database, WeeklyFiguresRepository } from '@linewatch/persistence';
import { CodedError } from '@linewatch/platform';
import { RefreshWeeklyFiguresUseCase } from './refresh-weekly-figures.usecase';

export type ExportVersion = 'partner' | 'full';

export interface WeeklyExportRequest {
  /** Local dates (YYYY-MM-DD): the weeks containing them and every week between. */
  readonly from: string;
  readonly to: string;
  readonly area?: string;
  readonly version: ExportVersion;
}

export interface ExportArea {
  readonly code: string;
  readonly name: string;
}

export type ExportRow = (WeeklyRow | PublishedRow) & { readonly areaName: string };

export interface WeeklyExport {
  readonly from: string;
  readonly to: string;
  readonly fromWeek: string;
  readonly toWeek: string;
  readonly version: ExportVersion;
  readonly area: string | null;
  readonly timeZone: string;
  readonly generatedAt: Date;
  /** Partner version: counts of people from 1 to this − 1 are shown as the marker. */
  readonly suppressBelow: number | null;
  readonly rows: ExportRow[];
  /** Per week over all configured areas (lines counted once); absent with an area filter. */
  readonly totals: ExportRow[];
  readonly suppressed: { readonly primary: number; readonly secondary: number } | null;
}

/** Why an export cannot be made: a 400 over HTTP (the platform's filter), a message in the CLI. */
export class ExportRequestError extends CodedError<'EXPORT_RANGE' | 'EXPORT_AREA'> {}

/** The longest export: five years of weeks. */
export const MAX_WEEKS = 262;
export const ALL_AREAS = 'all';

/** The settings the export reads (from the app's config, or the CLI's). */
export interface WeeklyExportSettings {
  readonly areas: readonly ExportArea[];
  readonly suppressBelow: number;
}
export const WEEKLY_EXPORT_SETTINGS = Symbol('WEEKLY_EXPORT_SETTINGS');

/**
 * The weekly figures of a range: brings the materialised figures up to date (due lines, then the
 * event counts of the weeks asked for), reads them, fills every configured area × week, adds
 * all-areas totals, and — for the partner version — suppresses small counts of people.
 */
@Injectable()
export class BuildWeeklyExportUseCase {
  constructor(
    private readonly database: Database,
    private readonly figures: WeeklyFiguresRepository,
    private readonly refresh: RefreshWeeklyFiguresUseCase,
    @Inject(WEEKLY_EXPORT_SETTINGS) private readonly settings: WeeklyExportSettings,
  ) {}

  async execute(request: WeeklyExportRequest, now: Date): Promise<WeeklyExport> {
    if (request.from > request.to) throw new ExportRequestError('EXPORT_RANGE', `from (${request.from}) is after to (${request.to})`);
    let weeks;
    try {
      weeks = isoWeeksBetween(request.from, request.to, MAX_WEEKS);
    } catch (error) {
      throw new ExportRequestError('EXPORT_RANGE', (error as Error).message);
    }
    const areas = this.settings.areas;
    if (request.area !== undefined && !areas.some((a) => a.code === request.area))
      throw new ExportRequestError('EXPORT_AREA', `unknown area ${request.area}; expected one of ${areas.map((a) => a.code).join(', ')}`);

    await this.refresh.execute(now);
    const first = weeks[0];
    const last = weeks[weeks.length - 1];
    await this.figures.refreshEventCounts(this.database, first.start, last.end);

    const untilWeek = addDays(last.weekStart, 7);
    const codes = areas.map((a) => a.code);
    const [lines, events, lineTotals, checkBacks] = await this.database.autocommit((q) =>
      Promise.all([
        this.figures.lineCounts(q, first.weekStart, untilWeek),
        this.figures.eventCounts(q, first.start, last.end),
        this.figures.lineTotals(q, first.weekStart, untilWeek, codes),
        this.figures.checkBackCounts(q, weeks),
      ]),
    );
    const rows = assembleWeeklyRows(weeks, codes, [...lines, ...events, ...checkBacks]);
    // Totals: events summed over the areas; lines counted once (a line active in two areas is one line).
    const totals: WeeklyRow[] = weeks.map((week) => {
      const t: Record<WeeklyFigure, number> = zeroCounts();
      for (const row of rows) if (row.weekStart === week.weekStart) for (const f of WEEKLY_FIGURES) t[f] += row[f];
      for (const f of LINE_FIGURES) t[f] = lineTotals.find((l) => l.weekStart === week.weekStart)?.counts[f] ?? 0;
      return { ...t, area: ALL_AREAS, isoWeek: week.isoWeek, weekStart: week.weekStart };
    });

    const partner = request.version === 'partner';
    const published = partner ? suppressSmallNumbers(rows, totals, this.settings.suppressBelow) : { rows, totals, suppressed: null };
    const names = new Map(areas.map((a) => [a.code, a.name]));
    const named = (r: WeeklyRow | PublishedRow): ExportRow => ({
      ...r,
      areaName: r.area === ALL_AREAS ? 'All areas' : (names.get(r.area) ?? r.area),
    });
    return {
      from: request.from,
      to: request.to,
      fromWeek: first.isoWeek,
      toWeek: last.isoWeek,
      version: request.version,
      area: request.area ?? null,
      timeZone: EXPORT_TIME_ZONE,
      generatedAt: now,
      suppressBelow: partner ? this.settings.suppressBelow : null,
      rows: published.rows.filter((r) => request.area === undefined || r.area === request.area).map(named),
      totals: request.area === undefined ? published.totals.map(named) : [],
      suppressed: published.suppressed,
    };
  }
}
