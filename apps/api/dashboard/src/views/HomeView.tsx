import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { SeverityBadge, StateBadge } from '../components/StateBadge';
import { areaName, useSession } from '../context';
import { LINE_STATES, STATE_LABEL, formatDateTime } from '../format';
import { filteredHref, hrefOf } from '../route';
import type { AlertSeverityV1 as Severity, OverviewV1 as Overview } from '@linewatch/contracts';

/** Most urgent first, as an officer reads them. */
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/**
 * The landing page: the whole picture in the caller's scope on one screen (GET /v1/overview) —
 * lines by area and state, lines changed in the last 24 hours, open alerts by severity and age,
 * reviews due (analysts, admins) and dead letters waiting (admins). Each count links to the list it counts.
 */
export function HomeView() {
  const { api, me, areas } = useSession();
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    api.overview(abort.signal).then(setOverview, (failure: unknown) => {
      if (failure instanceof DOMException && failure.name === 'AbortError') return;
      setError(failure instanceof ApiError ? failure.message : String(failure));
    });
    return () => abort.abort();
  }, [api, attempt]);

  const seesAll = me.roles.includes('analyst') || me.roles.includes('admin');
  // Every area in scope has a row, with or without lines (officers: theirs; others: every configured area).
  const areaCodes = [
    ...new Set([...(seesAll ? areas.map((area) => area.code) : me.areas), ...(overview?.lines.map((figure) => figure.area) ?? [])]),
  ].sort((a, b) => areaName(areas, a).localeCompare(areaName(areas, b)));
  const count = (area: string | null, state: string | null) =>
    (overview?.lines ?? [])
      .filter((figure) => (area === null || figure.area === area) && (state === null || figure.state === state))
      .reduce((sum, figure) => sum + figure.count, 0);
  const alertsOf = (severity: Severity) =>
    overview?.openAlerts.find((figure) => figure.severity === severity) ?? { severity, total: 0, underHour: 0, underDay: 0, older: 0 };
  const openTotal = (overview?.openAlerts ?? []).reduce((sum, figure) => sum + figure.total, 0);

  return (
    <section aria-labelledby="home-heading" class="home">
      <h1 id="home-heading" tabIndex={-1}>
        Home
      </h1>
      <p class="help">
        {seesAll
          ? 'Every area at a glance.'
          : `Your areas at a glance: ${me.areas.map((code) => areaName(areas, code)).join(', ') || 'none'}.`}{' '}
        Each figure opens the list it counts.
        {overview && (
          <>
            {' '}
            Counted <time dateTime={overview.at}>{formatDateTime(overview.at)}</time>.
          </>
        )}
      </p>
      {error && (
        <p class="notice notice-error" role="alert">
          The figures could not be loaded: {error}{' '}
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </p>
      )}
      {!overview && !error && <p class="count">Loading the figures…</p>}
      {overview && (
        <div class="home-grid">
          <section aria-labelledby="home-changes" class="figure-card">
            <h2 id="home-changes">Last 24 hours</h2>
            <p class="figure">
              <a href={filteredHref('lines', { changedSince: overview.changedSince })} data-testid="figure-changed">
                <span class="figure-number">{overview.changes.lines}</span> line{overview.changes.lines === 1 ? '' : 's'} changed
              </a>
            </p>
            <p class="figure">
              <a href={filteredHref('alerts', { status: 'open' })} data-testid="figure-open-alerts">
                <span class="figure-number">{openTotal}</span> open alert{openTotal === 1 ? '' : 's'}
              </a>
            </p>
            {overview.reviewsDue !== null && (
              <p class="figure">
                <a href={hrefOf('reviews')} data-testid="figure-reviews-due">
                  <span class="figure-number">{overview.reviewsDue}</span> line{overview.reviewsDue === 1 ? '' : 's'} due for review
                </a>
              </p>
            )}
            {overview.checkBacksDue !== null && (
              <p class="figure">
                <a href={hrefOf('check-backs')} data-testid="figure-check-backs-due">
                  <span class="figure-number">{overview.checkBacksDue}</span> closure check-back{overview.checkBacksDue === 1 ? '' : 's'}{' '}
                  due
                </a>
              </p>
            )}
            {overview.deadLetters !== null && (
              <p class="figure">
                <a href={hrefOf('dead-letters')} data-testid="figure-dead-letters">
                  <span class="figure-number">{overview.deadLetters}</span> dead letter{overview.deadLetters === 1 ? '' : 's'} waiting
                </a>
              </p>
            )}
          </section>

          <section aria-labelledby="home-alerts" class="figure-card">
            <h2 id="home-alerts">Open alerts by severity and age</h2>
            <div class="table-scroll" role="region" aria-labelledby="home-alerts" tabIndex={0}>
              <table class="data overview-alerts">
                <thead>
                  <tr>
                    <th scope="col">Severity</th>
                    <th scope="col" class="number">
                      Open
                    </th>
                    <th scope="col" class="number">
                      Under 1 h
                    </th>
                    <th scope="col" class="number">
                      1–24 h
                    </th>
                    <th scope="col" class="number">
                      Older
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {SEVERITIES.map((severity) => {
                    const figure = alertsOf(severity);
                    return (
                      <tr key={severity} data-severity={severity}>
                        <th scope="row">
                          <SeverityBadge severity={severity} />
                        </th>
                        <td class="number">
                          <a href={filteredHref('alerts', { status: 'open', severity })} data-testid={`open-${severity}`}>
                            {figure.total}
                            <span class="visually-hidden"> open {severity} alerts</span>
                          </a>
                        </td>
                        <td class="number">{figure.underHour}</td>
                        <td class="number">{figure.underDay}</td>
                        <td class="number">{figure.older}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>

          <section aria-labelledby="home-lines" class="figure-card figure-wide">
            <h2 id="home-lines">Lines by area and state</h2>
            <div class="table-scroll" role="region" aria-labelledby="home-lines" tabIndex={0}>
              <table class="data overview-lines">
                <thead>
                  <tr>
                    <th scope="col">Area</th>
                    {LINE_STATES.map((state) => (
                      <th scope="col" class="number" key={state}>
                        <StateBadge state={state} />
                      </th>
                    ))}
                    <th scope="col" class="number">
                      All
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {areaCodes.map((area) => (
                    <tr key={area} data-area={area}>
                      <th scope="row">{areaName(areas, area)}</th>
                      {LINE_STATES.map((state) => (
                        <td class="number" key={state}>
                          <a href={filteredHref('lines', { state, area })} data-testid={`lines-${area}-${state}`}>
                            {count(area, state)}
                            <span class="visually-hidden">
                              {' '}
                              {STATE_LABEL[state].toLowerCase()} lines in {areaName(areas, area)}
                            </span>
                          </a>
                        </td>
                      ))}
                      <td class="number">
                        <a href={filteredHref('lines', { area })} data-testid={`lines-${area}-all`}>
                          {count(area, null)}
                          <span class="visually-hidden"> lines in {areaName(areas, area)}</span>
                        </a>
                      </td>
                    </tr>
                  ))}
                  {areaCodes.length === 0 && (
                    <tr>
                      <td colSpan={LINE_STATES.length + 2} class="empty">
                        No areas in your scope.
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
            <p class="help">A line seen in two areas counts in each.</p>
          </section>
        </div>
      )}
    </section>
  );
}
