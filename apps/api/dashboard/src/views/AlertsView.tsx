import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { SeverityBadge } from '../components/StateBadge';
import { areaName, mayAcknowledge, useSession } from '../context';
import { KIND_LABEL, formatDateTime } from '../format';
import { hrefOf } from '../route';
import type { AlertStatusV1 as AlertStatus, AlertViewV1 as Alert } from '@linewatch/contracts';

type StatusFilter = 'open' | 'acknowledged' | 'resolved' | 'all';
const FILTER_LABEL: Record<StatusFilter, string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved', all: 'All' };
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

/** Alerts for the officer's areas (analysts and admins: all), newest first, acknowledged from here. */
export function AlertsView() {
  const { api, live, me, areas, announce } = useSession();
  const [filter, setFilter] = useState<StatusFilter>('open');
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const current = useRef(filter);
  current.current = filter;
  const shown = useRef(alerts);
  shown.current = alerts;
  const canAcknowledge = mayAcknowledge(me);
  const teamName = (teamId: string) => areas.find((area) => area.team?.teamId === teamId)?.team?.name ?? teamId;

  const load = async (after: string | null, signal?: AbortSignal) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api.alerts({ status: filter === 'all' ? undefined : filter, after }, signal);
      setAlerts((previous) =>
        after === null ? page.items : [...previous, ...page.items.filter((a) => !previous.some((p) => p.alertId === a.alertId))],
      );
      setNext(page.next);
    } catch (failure) {
      if (failure instanceof DOMException && failure.name === 'AbortError') return;
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  };

  useEffect(() => {
    const abort = new AbortController();
    void load(null, abort.signal);
    return () => abort.abort();
    // Reloads when the status filter changes (load reads it).
  }, [filter]);

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
          if (!matches(current.current, news.status)) return list;
          return [news, ...list];
        });
      }),
    [live, announce],
  );

  const acknowledged = (alert: Alert) => {
    setAlerts((list) => list.map((a) => (a.alertId === alert.alertId ? { ...a, ...alert } : a)));
    announce(`Alert for line ${alert.lineId} acknowledged.`);
  };

  return (
    <section aria-labelledby="alerts-heading">
      <h1 id="alerts-heading" tabIndex={-1}>
        Alert inbox
      </h1>
      <p class="help">
        {me.roles.includes('analyst') || me.roles.includes('admin')
          ? 'Alerts of every area.'
          : `Alerts for your areas: ${me.areas.map((code) => areaName(areas, code)).join(', ') || 'none'}.`}
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
      </form>
      {error && (
        <p class="notice notice-error" role="alert">
          The alerts could not be loaded: {error}{' '}
          <button type="button" onClick={() => void load(null)}>
            Try again
          </button>
        </p>
      )}
      <p class="count">{loading && alerts.length === 0 ? 'Loading alerts…' : `${alerts.length} alert${alerts.length === 1 ? '' : 's'}`}</p>
      <ul class="alerts" aria-busy={loading ? 'true' : 'false'}>
        {alerts.map((alert) => (
          <AlertCard
            key={alert.alertId}
            alert={alert}
            canAcknowledge={canAcknowledge}
            teamName={teamName(alert.teamId)}
            onAcknowledged={acknowledged}
          />
        ))}
      </ul>
      {!loading && alerts.length === 0 && !error && (
        <p class="empty">No {filter === 'all' ? '' : `${FILTER_LABEL[filter].toLowerCase()} `}alerts.</p>
      )}
      {next && (
        <button type="button" class="more" disabled={loading} onClick={() => void load(next)}>
          {loading ? 'Loading…' : 'Load more alerts'}
        </button>
      )}
    </section>
  );
}

function AlertCard({
  alert,
  canAcknowledge,
  teamName,
  onAcknowledged,
}: {
  alert: Alert;
  canAcknowledge: boolean;
  teamName: string;
  onAcknowledged: (alert: Alert) => void;
}) {
  const { api } = useSession();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const open = OPEN.includes(alert.status);
  const headingId = `alert-${alert.alertId}`;

  const acknowledge = async () => {
    setBusy(true);
    setProblem(null);
    try {
      onAcknowledged(await api.acknowledge(alert.alertId, note.trim()));
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'ALERT_NOT_OPEN') {
        setProblem('Someone has already acknowledged or resolved this alert.');
        onAcknowledged({ ...alert, status: 'acknowledged' });
      } else setProblem(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class={`alert-card status-${alert.status}`} data-alert-id={alert.alertId} data-line-id={alert.lineId} data-status={alert.status}>
      <article aria-labelledby={headingId}>
        <h2 id={headingId}>
          <SeverityBadge severity={alert.severity} />{' '}
          {alert.content?.subject || `${KIND_LABEL[alert.kind] ?? alert.kind}: line ${alert.lineId}`}
        </h2>
        <dl class="facts">
          <div>
            <dt>Line</dt>
            <dd>
              <a href={hrefOf('lines', alert.lineId)}>{alert.lineId}</a>
            </dd>
          </div>
          <div>
            <dt>Change</dt>
            <dd>{KIND_LABEL[alert.kind] ?? alert.kind}</dd>
          </div>
          <div>
            <dt>Raised</dt>
            <dd>
              <time dateTime={alert.raisedAt}>{formatDateTime(alert.raisedAt)}</time>
            </dd>
          </div>
          <div>
            <dt>Team</dt>
            <dd>{teamName}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd data-testid="alert-status">{STATUS_LABEL[alert.status] ?? alert.status}</dd>
          </div>
          {alert.acknowledgedAt && (
            <div>
              <dt>Acknowledged</dt>
              <dd data-testid="alert-acknowledged">
                by {alert.acknowledgedBy ?? 'someone'} at{' '}
                <time dateTime={alert.acknowledgedAt}>{formatDateTime(alert.acknowledgedAt)}</time>
              </dd>
            </div>
          )}
        </dl>
        {open && canAcknowledge && (
          <div class="acknowledge">
            <label for={`note-${alert.alertId}`}>Note (optional)</label>
            <input
              id={`note-${alert.alertId}`}
              type="text"
              maxLength={500}
              value={note}
              onInput={(event) => setNote((event.currentTarget as HTMLInputElement).value)}
            />
            <button type="button" class="primary" disabled={busy} onClick={() => void acknowledge()} aria-describedby={headingId}>
              {busy ? 'Acknowledging…' : 'Acknowledge'}
            </button>
          </div>
        )}
        {problem && (
          <p class="notice notice-error" role="alert">
            {problem}
          </p>
        )}
      </article>
    </li>
  );
}
