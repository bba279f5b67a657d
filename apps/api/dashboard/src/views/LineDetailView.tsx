import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { StateBadge } from '../components/StateBadge';
import { TimelineChart } from '../components/TimelineChart';
import { areaName, useSession } from '../context';
import { EVENT_LABEL, KIND_LABEL, STATE_LABEL, formatDateTime, gradingMeaning } from '../format';
import { hrefOf } from '../route';
import type { IntelEventV1, LineDetailV1 as LineDetail } from '@linewatch/contracts';

/** One line: current state, its timeline (chart and table) and recent events with their grading. */
export function LineDetailView({ lineId }: { lineId: string }) {
  const { api, live, areas, announce } = useSession();
  const [line, setLine] = useState<LineDetail | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const reload = useRef<() => void>(() => undefined);

  useEffect(() => {
    const abort = new AbortController();
    let timer = 0;
    const fetchLine = async () => {
      try {
        const detail = await api.line(lineId, abort.signal);
        setLine(detail);
        setNow(Date.now());
        setError(null);
      } catch (failure) {
        if (failure instanceof DOMException && failure.name === 'AbortError') return;
        setError(
          failure instanceof ApiError ? { status: failure.status, message: failure.message } : { status: 0, message: String(failure) },
        );
      }
    };
    reload.current = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void fetchLine(), 300);
    };
    void fetchLine();
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [api, lineId]);

  useEffect(
    () =>
      live.on('state-change', (change) => {
        if (change.lineId !== lineId) return;
        announce(`Line ${lineId} is now ${STATE_LABEL[change.to].toLowerCase()}.`);
        reload.current();
      }),
    [live, lineId, announce],
  );

  return (
    <section aria-labelledby="line-heading">
      <p class="back">
        <a href={hrefOf('lines')}>← All lines</a>
      </p>
      <h1 id="line-heading" tabIndex={-1}>
        Line {lineId}
      </h1>
      {error && (
        <p class="notice notice-error" role="alert">
          {error.status === 404 ? `There is no line ${lineId} in your scope.` : `The line could not be loaded: ${error.message}`}
        </p>
      )}
      {!line && !error && <p>Loading…</p>}
      {line && (
        <>
          <dl class="facts">
            <div>
              <dt>State</dt>
              <dd data-testid="line-state">
                <StateBadge state={line.state} />
              </dd>
            </div>
            <div>
              <dt>Since</dt>
              <dd>{formatDateTime(line.stateSince)}</dd>
            </div>
            <div>
              <dt>Area</dt>
              <dd>{areaName(areas, line.area)}</dd>
            </div>
            <div>
              <dt>Areas</dt>
              <dd>{line.areas.map((code) => areaName(areas, code)).join(', ') || '–'}</dd>
            </div>
            <div>
              <dt>Last sighting</dt>
              <dd>{formatDateTime(line.lastSightingAt)}</dd>
            </div>
            <div>
              <dt>Referrals</dt>
              <dd>{line.referrals}</dd>
            </div>
            {line.dormancyOverrideDays ? (
              <div>
                <dt>Dormancy window</dt>
                <dd>{line.dormancyOverrideDays} days (set for this line)</dd>
              </div>
            ) : null}
            {line.reviewDueAt ? (
              <div>
                <dt>Review due</dt>
                <dd>{formatDateTime(line.reviewDueAt)}</dd>
              </div>
            ) : null}
          </dl>

          <h2 id="timeline-heading">Timeline</h2>
          <TimelineChart periods={line.periods} lineId={line.lineId} now={now} />
          <div class="table-scroll" role="region" aria-labelledby="periods-caption" tabIndex={0}>
            <table class="data periods-table">
              <caption id="periods-caption">Periods of line {line.lineId}, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Began with</th>
                </tr>
              </thead>
              <tbody>
                {line.periods.map((period) => (
                  <tr key={`${period.state}-${period.from}`}>
                    <td>
                      <StateBadge state={period.state} />
                      {period.closureType ? ` (Type ${period.closureType})` : ''}
                    </td>
                    <td>{formatDateTime(period.from)}</td>
                    <td>{period.to ? formatDateTime(period.to) : 'now'}</td>
                    <td>{period.cause ? (KIND_LABEL[period.cause.kind] ?? period.cause.kind) : '–'}</td>
                  </tr>
                ))}
                {line.periods.length === 0 && (
                  <tr>
                    <td colSpan={4} class="empty">
                      No periods recorded.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>

          <h2 id="events-heading">Recent events</h2>
          <div class="table-scroll" role="region" aria-labelledby="events-caption" tabIndex={0}>
            <table class="data events-table">
              <caption id="events-caption">Most recent events of line {line.lineId}, newest first, with their 3x5x2 grading</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Event</th>
                  <th scope="col">Area</th>
                  <th scope="col">Source</th>
                  <th scope="col">Intelligence</th>
                  <th scope="col">Handling</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {line.events.map((event) => (
                  <tr key={event.eventId}>
                    <td>
                      <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt)}</time>
                    </td>
                    <td>{EVENT_LABEL[event.type] ?? event.type}</td>
                    <td>{areaName(areas, event.area)}</td>
                    <td title={gradingMeaning(event.grading)}>{event.grading.source}</td>
                    <td title={gradingMeaning(event.grading)}>{event.grading.intelligence}</td>
                    <td title={gradingMeaning(event.grading)}>{event.grading.handling}</td>
                    <td>{'withheld' in event ? <span class="withheld">{event.withheld}</span> : detailsOf(event)}</td>
                  </tr>
                ))}
                {line.events.length === 0 && (
                  <tr>
                    <td colSpan={7} class="empty">
                      No events you may see.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** A short, plain description of an event's body and source (no raw JSON). */
function detailsOf(event: IntelEventV1): string {
  // Read generically: each type's body has its own fields; those worth a word are named below.
  const body: Readonly<Record<string, unknown>> = event.body;
  const parts: string[] = [];
  for (const key of ['kind', 'brand', 'outcome', 'decision', 'closureType', 'category', 'items'] as const) {
    const value = body[key];
    if (value === undefined || value === null || value === '') continue;
    parts.push(`${key}: ${Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  parts.push(`source: ${event.source.system} ${event.source.reference}`);
  return parts.join('; ') || '–';
}
