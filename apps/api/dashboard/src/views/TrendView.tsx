import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { TrendChart, type TrendSeries } from '../components/TrendChart';
import { areaName, useSession } from '../context';
import { isoDay } from '../format';
import type { WeeklyExportRowV1 as WeeklyRow } from '@linewatch/contracts';

const WEEK_MS = 7 * 24 * 3600 * 1000;

type Outcome =
  { kind: 'loading' } | { kind: 'rows'; rows: WeeklyRow[] } | { kind: 'unavailable'; message: string } | { kind: 'error'; message: string };

/** Active lines per area per ISO week (Europe/London), from the weekly export. */
export function TrendView() {
  const { api, areas } = useSession();
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 12 * WEEK_MS)));
  const [to, setTo] = useState(() => isoDay(new Date()));
  const [range, setRange] = useState({ from, to });
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'loading' });

  useEffect(() => {
    const abort = new AbortController();
    setOutcome({ kind: 'loading' });
    api.weekly(range.from, range.to, abort.signal).then(
      (rows) => setOutcome({ kind: 'rows', rows }),
      (failure: unknown) => {
        if (failure instanceof DOMException && failure.name === 'AbortError') return;
        if (failure instanceof ApiError && (failure.status === 404 || failure.status === 501))
          setOutcome({ kind: 'unavailable', message: 'The weekly export is not available on this server yet.' });
        else setOutcome({ kind: 'error', message: failure instanceof ApiError ? failure.message : String(failure) });
      },
    );
    return () => abort.abort();
  }, [api, range]);

  const rows = outcome.kind === 'rows' ? outcome.rows : [];
  const { weeks, codes, series, cell, nameOf, suppressed } = useMemo(() => {
    const weeks = [...new Set(rows.map((r) => r.isoWeek))].sort();
    const names = new Map(rows.map((r) => [r.area, r.areaName ?? areaName(areas, r.area)]));
    const nameOf = (code: string) => names.get(code) ?? code;
    const codes = [...new Set(rows.map((r) => r.area))].sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
    const byKey = new Map(rows.map((r) => [`${r.area}|${r.isoWeek}`, r.linesActive]));
    const cell = (area: string, week: string) => byKey.get(`${area}|${week}`) ?? null;
    // Suppressed small counts (partner version) are not numbers: gaps in the chart, shown as given in the table.
    const numeric = (value: unknown) => (typeof value === 'number' ? value : null);
    const series: TrendSeries[] = codes.map((code) => ({
      label: areaName(areas, code),
      values: weeks.map((week) => numeric(cell(code, week))),
    }));
    const suppressed = rows.some((r) => typeof r.linesActive !== 'number');
    return { weeks, codes, series, cell, nameOf, suppressed };
  }, [rows, areas]);
  const weekStart = (week: string) => rows.find((r) => r.isoWeek === week)?.weekStart ?? '';

  const valid = from <= to;
  return (
    <section aria-labelledby="trend-heading">
      <h1 id="trend-heading" tabIndex={-1}>
        Weekly trend
      </h1>
      <p class="help">Lines active per area in each ISO week (weeks begin on Monday, Europe/London).</p>
      <form
        class="filters"
        aria-label="Weeks to show"
        onSubmit={(event) => {
          event.preventDefault();
          if (valid) setRange({ from, to });
        }}
      >
        <div class="field">
          <label for="trend-from">From</label>
          <input
            id="trend-from"
            type="date"
            value={from}
            max={to}
            onInput={(event) => setFrom((event.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="trend-to">To</label>
          <input
            id="trend-to"
            type="date"
            value={to}
            min={from}
            onInput={(event) => setTo((event.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" disabled={!valid}>
          Show
        </button>
        {!valid && <p class="field-error">“From” must not be after “To”.</p>}
      </form>
      {outcome.kind === 'loading' && <p>Loading figures…</p>}
      {outcome.kind === 'unavailable' && <p class="notice empty-state">{outcome.message}</p>}
      {outcome.kind === 'error' && (
        <p class="notice notice-error" role="alert">
          The figures could not be loaded: {outcome.message}
        </p>
      )}
      {outcome.kind === 'rows' && rows.length === 0 && <p class="notice empty-state">No figures for these weeks.</p>}
      {outcome.kind === 'rows' && rows.length > 0 && (
        <>
          <TrendChart
            weeks={weeks}
            series={series}
            description={`Lines active per area, ${weeks[0]} to ${weeks.at(-1)}; the table below gives every figure.`}
          />
          <div class="table-scroll" role="region" aria-labelledby="trend-caption" tabIndex={0}>
            <table class="data trend-table">
              <caption id="trend-caption">Lines active per area and ISO week</caption>
              <thead>
                <tr>
                  <th scope="col">Week</th>
                  {codes.map((code) => (
                    <th scope="col" class="number" key={code}>
                      {nameOf(code)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {weeks.map((week) => (
                  <tr key={week}>
                    <th scope="row">
                      {week} <span class="muted">{weekStart(week) ? `(from ${weekStart(week)})` : ''}</span>
                    </th>
                    {codes.map((code) => (
                      <td class="number" key={code}>
                        {cell(code, week) ?? '–'}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {suppressed && <p class="help">[c]: a small number, suppressed in the partner version (no total recovers it).</p>}
        </>
      )}
    </section>
  );
}
