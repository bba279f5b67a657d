import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { DisposalHold } from '../components/DisposalHold';
import { LinkForms, UnmergeControl, mayDecideLinks, type DecisionProps } from '../components/LinkDecisions';
import { StateBadge } from '../components/StateBadge';
import { TimelineChart } from '../components/TimelineChart';
import { areaName, useSession } from '../context';
import { EVENT_LABEL, KIND_LABEL, STATE_LABEL, formatDateTime, gradingMeaning } from '../format';
import { hrefOf } from '../route';
import { describeEvent } from '../event-details';
import type {
  LineDetailV1 as LineDetail,
  LineIdentifierIntervalV1 as Interval,
  LineLinkDecisionV1 as LinkDecision,
} from '@linewatch/contracts';

/**
 * One line: current state, identity (numbers, handsets, brands, merged lines, link decisions), its
 * timeline (chart and table) and recent events with their grading. A merged line's id shows the
 * line it was merged into, saying so. Analysts also decide links here (merge, undo a merge, attach
 * a number or handset): the page reads the line again once the tracker has applied one.
 */
export function LineDetailView({ lineId }: { lineId: string }) {
  const { api, live, areas, announce, me } = useSession();
  const [line, setLine] = useState<LineDetail | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const reload = useRef<() => void>(() => undefined);
  const [applied, setApplied] = useState<string | null>(null);

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

  // The line shown: the one asked for, or the line it was merged into.
  const shownId = line?.lineId ?? lineId;
  // Link decisions (analysts only): the line as the tracker left it once one is applied.
  const decisions: DecisionProps | null = mayDecideLinks(me)
    ? {
        askedFor: lineId,
        onApplied: (detail, message) => {
          setLine(detail);
          setNow(Date.now());
          setError(null);
          if (message) setApplied(message);
        },
        onRefresh: () => reload.current(),
      }
    : null;
  useEffect(() => setApplied(null), [lineId]);
  useEffect(
    () =>
      live.on('state-change', (change) => {
        if (change.lineId !== shownId) return;
        announce(`Line ${shownId} is now ${STATE_LABEL[change.to].toLowerCase()}.`);
        reload.current();
      }),
    [live, shownId, announce],
  );

  return (
    <section aria-labelledby="line-heading">
      <p class="back">
        <a href={hrefOf('lines')}>← All lines</a>
      </p>
      <h1 id="line-heading" tabIndex={-1}>
        Line {shownId}
      </h1>
      {line?.resolvedFrom && (
        <div class="notice">
          <p data-testid="merged-notice">
            Line {line.resolvedFrom} was merged into line {line.lineId}: its records are shown here as line {line.lineId}’s.
          </p>
          {decisions && (
            <UnmergeControl
              key={line.resolvedFrom}
              merged={line.resolvedFrom}
              mergeEventId={line.identity.aliases.find((a) => a.lineId === line.resolvedFrom)?.mergeEventId}
              {...decisions}
            />
          )}
        </div>
      )}
      {applied && (
        <p class="notice" data-testid="link-applied">
          {applied}
        </p>
      )}
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
              <dt>Brand</dt>
              <dd data-testid="line-brands">{line.identity.brands.map((b) => b.brand).join(', ') || '–'}</dd>
            </div>
            <div>
              <dt>Current number</dt>
              <dd data-testid="line-current-number">{line.currentNumber ?? '–'}</dd>
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

          <DisposalHold line={line} onCancelled={() => reload.current()} />
          <IdentitySection line={line} decisions={decisions} />
          {decisions && <LinkForms line={line} {...decisions} />}

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
                    <td>{'withheld' in event ? <span class="withheld">{event.withheld}</span> : describeEvent(event)}</td>
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

const KIND_WORD: Record<Interval['kind'], string> = { msisdn: 'Number', imei: 'Handset (IMEI)' };

/**
 * Who the line is: its numbers and handsets with when it held them (the current ones marked), its
 * brands, the lines merged into it and the analysts' link decisions. The API leaves out what the
 * reader may not see (anything known only from handling-C evidence, for officers).
 */
function IdentitySection({ line, decisions }: { line: LineDetail; decisions: DecisionProps | null }) {
  const { identity } = line;
  const held = [...identity.numbers, ...identity.handsets].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return (
    <>
      <h2 id="identity-heading">Identity</h2>
      <div class="table-scroll" role="region" aria-labelledby="identifiers-caption" tabIndex={0}>
        <table class="data identifiers-table">
          <caption id="identifiers-caption">Numbers and handsets of line {line.lineId}, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Number or IMEI</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
            </tr>
          </thead>
          <tbody>
            {held.map((interval) => (
              <tr
                key={`${interval.kind}-${interval.value}-${interval.from}`}
                data-kind={interval.kind}
                data-current={interval.to ? 'false' : 'true'}
              >
                <td>{KIND_WORD[interval.kind]}</td>
                <td class="identifier">{interval.value}</td>
                <td>
                  <time dateTime={interval.from}>{formatDateTime(interval.from)}</time>
                </td>
                <td>{interval.to ? <time dateTime={interval.to}>{formatDateTime(interval.to)}</time> : <strong>now (current)</strong>}</td>
              </tr>
            ))}
            {held.length === 0 && (
              <tr>
                <td colSpan={4} class="empty">
                  No number or handset known.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      <h3>Brands</h3>
      {identity.brands.length === 0 ? (
        <p class="empty">No brand known.</p>
      ) : (
        <ul class="plain brands">
          {identity.brands.map((brand) => (
            <li key={brand.brand} data-brand={brand.brand}>
              <strong>{brand.brand}</strong>
              {brand.writtenAs && brand.writtenAs.length > 0 ? ` (written ${brand.writtenAs.map((w) => `“${w}”`).join(', ')})` : ''}: first
              seen {formatDateTime(brand.firstSeenAt)}, last seen {formatDateTime(brand.lastSeenAt)}
            </li>
          ))}
        </ul>
      )}

      <h3>Lines merged into this one</h3>
      {identity.aliases.length === 0 ? (
        <p class="empty">None.</p>
      ) : (
        <ul class="plain aliases">
          {identity.aliases.map((alias) => (
            <li key={alias.lineId} data-alias={alias.lineId}>
              <strong>{alias.lineId}</strong>
              {alias.mergedInto === line.lineId ? '' : ` (through ${alias.mergedInto})`}, merged{' '}
              <time dateTime={alias.mergedAt}>{formatDateTime(alias.mergedAt)}</time>: its id now opens this line
              {decisions && <UnmergeControl merged={alias.lineId} mergeEventId={alias.mergeEventId} {...decisions} />}
            </li>
          ))}
        </ul>
      )}

      {identity.links.length > 0 && (
        <div class="table-scroll" role="region" aria-labelledby="links-caption" tabIndex={0}>
          <table class="data links-table">
            <caption id="links-caption">Link decisions concerning line {line.lineId}, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Decision</th>
                <th scope="col">By</th>
                <th scope="col">Rationale</th>
              </tr>
            </thead>
            <tbody>
              {identity.links.map((link) => (
                <tr key={link.eventId} data-type={link.type}>
                  <td>
                    <time dateTime={link.occurredAt}>{formatDateTime(link.occurredAt)}</time>
                  </td>
                  <td>{describeLink(link)}</td>
                  <td>{link.decidedBy}</td>
                  <td class="wrap">{link.rationale}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function describeLink(link: LinkDecision): string {
  switch (link.type) {
    case 'line.merged':
      return `${link.lineId} merged into ${link.into ?? '?'}`;
    case 'line.unmerged':
      return `${link.lineId} unmerged (the merge undone)`;
    case 'line.identifier_attached':
      return `${link.identifier ? `${KIND_WORD[link.identifier.kind]} ${link.identifier.value}` : 'An identifier'} attached to ${link.lineId}`;
    default: {
      const unhandled: never = link.type;
      return unhandled;
    }
  }
}
