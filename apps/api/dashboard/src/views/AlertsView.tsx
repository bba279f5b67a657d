import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { readForView } from '../paged-list';
import { SeverityBadge } from '../components/StateBadge';
import { areaName, mayAcknowledge, useSession } from '../context';
import { KIND_LABEL, formatDateTime } from '../format';
import { hrefOf, type RouteParams } from '../route';
import type { AlertStatusV1 as AlertStatus, AlertViewV1 as Alert } from '@linewatch/contracts';

type StatusFilter = 'open' | 'acknowledged' | 'resolved' | 'held' | 'all';
const FILTER_LABEL: Record<StatusFilter, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  held: 'Held for the digest',
  all: 'All',
};
const OPEN: readonly AlertStatus[] = ['raised', 'delivered'];
const STATUS_LABEL: Record<AlertStatus, string> = {
  raised: 'Open',
  delivered: 'Open (delivered)',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  silenced: 'Silenced',
  held: 'Held for the digest',
};

const matches = (filter: StatusFilter, status: AlertStatus) =>
  filter === 'all' || (filter === 'open' ? OPEN.includes(status) : filter === status);

type SortKey = 'raised' | 'severity' | 'line' | 'area' | 'status' | 'age';
const SORT_LABEL: Record<SortKey, string> = {
  raised: 'Raised',
  severity: 'Severity',
  line: 'Line',
  area: 'Area',
  status: 'Status',
  age: 'Age',
};
const SEVERITY_RANK: Record<Alert['severity'], number> = { low: 0, medium: 1, high: 2, critical: 3 };
/** What a column sorts first when chosen: the newest, the most severe, the oldest; names A to Z. */
const FIRST_DIRECTION: Record<SortKey, 'ascending' | 'descending'> = {
  raised: 'descending',
  severity: 'descending',
  line: 'ascending',
  area: 'ascending',
  status: 'ascending',
  age: 'descending',
};
interface Sort {
  readonly key: SortKey;
  readonly direction: 'ascending' | 'descending';
}

const isStatusFilter = (value: string | undefined): value is StatusFilter => value !== undefined && value in FILTER_LABEL;
const isSeverity = (value: string | undefined): value is Alert['severity'] => value !== undefined && value in SEVERITY_RANK;

/** How long ago, as a dense list says it: "5 min", "3 h", "2 d". */
export function formatAge(raisedAt: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(raisedAt)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / 1440)} d`;
}

/**
 * Alerts for the officer's areas (analysts and admins: all) as a dense table, newest first, sortable
 * by column; open ones acknowledged one by one or several at once (POST /v1/alerts/{id}/acknowledge
 * for each). `params`: the filter the address gives (a figure of the home view): status, severity.
 */
export function AlertsView({ params }: { params?: RouteParams }) {
  const { api, live, me, areas, announce } = useSession();
  const [filter, setFilter] = useState<StatusFilter>(isStatusFilter(params?.status) ? params.status : 'open');
  const [severity, setSeverity] = useState<Alert['severity'] | ''>(isSeverity(params?.severity) ? params.severity : '');
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<Sort>({ key: 'raised', direction: 'descending' });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [now, setNow] = useState(() => Date.now());
  const current = useRef({ filter, severity });
  current.current = { filter, severity };
  const shown = useRef(alerts);
  shown.current = alerts;
  const canAcknowledge = mayAcknowledge(me);

  const load = (after: string | null, signal?: AbortSignal) =>
    readForView({ setLoading, setError }, signal, async () => {
      const page = await api.alerts({ status: filter === 'all' ? undefined : filter, severity: severity || undefined, after }, signal);
      setAlerts((previous) =>
        after === null ? page.items : [...previous, ...page.items.filter((a) => !previous.some((p) => p.alertId === a.alertId))],
      );
      setNext(page.next);
      setNow(Date.now());
    });

  useEffect(() => {
    const abort = new AbortController();
    setSelected(new Set());
    void load(null, abort.signal);
    return () => abort.abort();
    // Reloads when a filter changes (load reads them).
  }, [filter, severity]);

  // Ages move on while the page is open.
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);

  const reload = useRef(load);
  reload.current = load;
  useEffect(() => live.onResync(() => void reload.current(null)), [live]);

  useEffect(
    () =>
      live.on('alert', (news) => {
        const known = shown.current.some((a) => a.alertId === news.alertId);
        if (!known && OPEN.includes(news.status))
          announce(`New ${news.severity} alert: line ${news.lineId}, ${KIND_LABEL[news.kind] ?? news.kind}.`);
        setAlerts((list) => {
          const index = list.findIndex((a) => a.alertId === news.alertId);
          // An alert item is the whole alert view (live-item.v1): it replaces what the list had.
          if (index >= 0) return [...list.slice(0, index), news, ...list.slice(index + 1)];
          const wanted = current.current;
          if (!matches(wanted.filter, news.status) || (wanted.severity && wanted.severity !== news.severity)) return list;
          return [news, ...list];
        });
      }),
    [live, announce],
  );

  const areasOf = (alert: Alert) => alert.areas.map((code) => areaName(areas, code)).join(', ') || '–';
  const sorted = sortAlerts(alerts, sort, areasOf);
  const selectable = sorted.filter((alert) => canAcknowledge && OPEN.includes(alert.status));
  const chosen = selectable.filter((alert) => selected.has(alert.alertId));
  const allChosen = selectable.length > 0 && chosen.length === selectable.length;

  const toggle = (alertId: string, on: boolean) =>
    setSelected((ids) => {
      const left = new Set(ids);
      if (on) left.add(alertId);
      else left.delete(alertId);
      return left;
    });

  const sortBy = (key: SortKey) =>
    setSort((was) =>
      was.key === key
        ? { key, direction: was.direction === 'ascending' ? 'descending' : 'ascending' }
        : { key, direction: FIRST_DIRECTION[key] },
    );

  /** One request per alert, in turn (the route takes one; the api logs each); what failed is said, the rest stand. */
  const acknowledge = async (targets: readonly Alert[]) => {
    if (targets.length === 0) return;
    setBusy(true);
    setProblems([]);
    const failed: string[] = [];
    let done = 0;
    for (const alert of targets) {
      try {
        const answer = await api.acknowledge(alert.alertId, note.trim());
        setAlerts((list) => list.map((a) => (a.alertId === answer.alertId ? { ...a, ...answer } : a)));
        done += 1;
      } catch (failure) {
        if (failure instanceof ApiError && failure.code === 'ALERT_NOT_OPEN') {
          failed.push(`Line ${alert.lineId}: someone has already acknowledged or resolved this alert.`);
          setAlerts((list) => list.map((a) => (a.alertId === alert.alertId ? { ...a, status: 'acknowledged' } : a)));
        } else failed.push(`Line ${alert.lineId}: ${failure instanceof ApiError ? failure.message : String(failure)}`);
      }
    }
    setSelected(new Set());
    setProblems(failed);
    setBusy(false);
    announce(
      targets.length === 1 && done === 1
        ? `Alert for line ${targets[0].lineId} acknowledged.`
        : `${done} of ${targets.length} alerts acknowledged.${failed.length > 0 ? ` ${failed.length} could not be.` : ''}`,
    );
  };

  const header = (key: SortKey, extra?: string) => (
    <th scope="col" class={extra} aria-sort={sort.key === key ? sort.direction : undefined}>
      <button type="button" class="sort" onClick={() => sortBy(key)} data-sort={key}>
        {SORT_LABEL[key]}
        <span aria-hidden="true" class="sort-mark">
          {sort.key === key ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}
        </span>
      </button>
    </th>
  );

  return (
    <section aria-labelledby="alerts-heading">
      <h1 id="alerts-heading" tabIndex={-1}>
        Alert inbox
      </h1>
      <p class="help">
        {me.roles.includes('analyst') || me.roles.includes('admin')
          ? 'Alerts of every area.'
          : `Alerts for your areas: ${me.areas.map((code) => areaName(areas, code)).join(', ') || 'none'}.`}{' '}
        Sort by a column with its heading.
      </p>
      <form class="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filter alerts">
        <div class="field">
          <label for="filter-status">Status</label>
          <select
            id="filter-status"
            value={filter}
            onChange={(event) => setFilter((event.currentTarget as HTMLSelectElement).value as StatusFilter)}
          >
            {(Object.keys(FILTER_LABEL) as StatusFilter[]).map((value) => (
              <option key={value} value={value}>
                {FILTER_LABEL[value]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-severity">Severity</label>
          <select
            id="filter-severity"
            value={severity}
            onChange={(event) => setSeverity((event.currentTarget as HTMLSelectElement).value as Alert['severity'] | '')}
          >
            <option value="">Any severity</option>
            {(Object.keys(SEVERITY_RANK) as Alert['severity'][]).reverse().map((value) => (
              <option key={value} value={value}>
                {value[0].toUpperCase() + value.slice(1)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {error && (
        <p class="notice notice-error" role="alert">
          The alerts could not be loaded: {error}{' '}
          <button type="button" onClick={() => void load(null)}>
            Try again
          </button>
        </p>
      )}
      {canAcknowledge && selectable.length > 0 && (
        <div class="bulk" role="group" aria-label="Acknowledge alerts">
          <label for="ack-note">Note (optional, sent with each acknowledgement)</label>
          <input
            id="ack-note"
            type="text"
            maxLength={500}
            value={note}
            onInput={(event) => setNote((event.currentTarget as HTMLInputElement).value)}
          />
          <button type="button" class="primary" disabled={busy || chosen.length === 0} onClick={() => void acknowledge(chosen)}>
            {busy ? 'Acknowledging…' : `Acknowledge selected (${chosen.length})`}
          </button>
        </div>
      )}
      {problems.length > 0 && (
        <div class="notice notice-error" role="alert">
          <p>Not every alert could be acknowledged:</p>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      <p class="count">{loading && alerts.length === 0 ? 'Loading alerts…' : `${alerts.length} alert${alerts.length === 1 ? '' : 's'}`}</p>
      <div class="table-scroll" role="region" aria-labelledby="alerts-caption" tabIndex={0}>
        <table class="data alerts-table" aria-busy={loading ? 'true' : 'false'}>
          <caption id="alerts-caption">
            {FILTER_LABEL[filter]} alerts{severity ? ` of ${severity} severity` : ''}, sorted by {SORT_LABEL[sort.key].toLowerCase()} (
            {sort.direction})
          </caption>
          <thead>
            <tr>
              {canAcknowledge && (
                <th scope="col" class="select">
                  <input
                    type="checkbox"
                    aria-label="Select every open alert shown"
                    checked={allChosen}
                    disabled={selectable.length === 0 || busy}
                    onChange={(event) =>
                      setSelected(new Set((event.currentTarget as HTMLInputElement).checked ? selectable.map((a) => a.alertId) : []))
                    }
                  />
                </th>
              )}
              {header('line')}
              {header('severity')}
              {header('age', 'number')}
              {header('status')}
              {header('area')}
              <th scope="col">Change</th>
              {header('raised')}
              {canAcknowledge && (
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {sorted.map((alert) => {
              const open = OPEN.includes(alert.status);
              const label = `${KIND_LABEL[alert.kind] ?? alert.kind}: line ${alert.lineId}, raised ${formatDateTime(alert.raisedAt)}`;
              return (
                <tr
                  key={alert.alertId}
                  class={`alert-row status-${alert.status}`}
                  data-alert-id={alert.alertId}
                  data-line-id={alert.lineId}
                  data-status={alert.status}
                  data-severity={alert.severity}
                >
                  {canAcknowledge && (
                    <td class="select">
                      {open && (
                        <input
                          type="checkbox"
                          aria-label={`Select ${label}`}
                          checked={selected.has(alert.alertId)}
                          disabled={busy}
                          onChange={(event) => toggle(alert.alertId, (event.currentTarget as HTMLInputElement).checked)}
                        />
                      )}
                    </td>
                  )}
                  <th scope="row">
                    <a href={hrefOf('lines', alert.lineId)} title={alert.content?.subject || undefined}>
                      {alert.lineId}
                    </a>
                  </th>
                  <td>
                    <SeverityBadge severity={alert.severity} />
                  </td>
                  <td class="number" data-testid="alert-age">
                    {formatAge(alert.raisedAt, now)}
                  </td>
                  <td data-testid="alert-status">
                    {STATUS_LABEL[alert.status] ?? alert.status}
                    {alert.acknowledgedAt && (
                      <span class="muted" data-testid="alert-acknowledged">
                        {' '}
                        by {alert.acknowledgedBy ?? 'someone'}
                      </span>
                    )}
                  </td>
                  <td>{areasOf(alert)}</td>
                  <td>{KIND_LABEL[alert.kind] ?? alert.kind}</td>
                  <td>
                    <time dateTime={alert.raisedAt}>{formatDateTime(alert.raisedAt)}</time>
                  </td>
                  {canAcknowledge && (
                    <td>
                      {open && (
                        <button type="button" disabled={busy} onClick={() => void acknowledge([alert])} aria-label={`Acknowledge ${label}`}>
                          Acknowledge
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
            {!loading && alerts.length === 0 && !error && (
              <tr>
                <td colSpan={canAcknowledge ? 9 : 7} class="empty">
                  No {filter === 'all' ? '' : `${FILTER_LABEL[filter].toLowerCase()} `}alerts.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {next && (
        <button type="button" class="more" disabled={loading} onClick={() => void load(next)}>
          {loading ? 'Loading…' : 'Load more alerts'}
        </button>
      )}
    </section>
  );
}

/** The loaded alerts in the order chosen; ties keep the API's order (newest first). */
function sortAlerts(alerts: readonly Alert[], sort: Sort, areasOf: (alert: Alert) => string): Alert[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const compare = (a: Alert, b: Alert): number => {
    switch (sort.key) {
      case 'raised':
        return Date.parse(a.raisedAt) - Date.parse(b.raisedAt);
      case 'age':
        return Date.parse(b.raisedAt) - Date.parse(a.raisedAt);
      case 'severity':
        return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
      case 'line':
        return a.lineId.localeCompare(b.lineId);
      case 'area':
        return areasOf(a).localeCompare(areasOf(b));
      case 'status':
        return (STATUS_LABEL[a.status] ?? a.status).localeCompare(STATUS_LABEL[b.status] ?? b.status);
      default: {
        const never: never = sort.key;
        return never;
      }
    }
  };
  return alerts
    .map((alert, index) => ({ alert, index }))
    .sort((x, y) => sign * compare(x.alert, y.alert) || x.index - y.index)
    .map((entry) => entry.alert);
}
