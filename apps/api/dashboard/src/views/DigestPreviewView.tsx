import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { useSession } from '../context';
import { formatDateTime } from '../format';
import { hrefOf } from '../route';
import type { TeamDigestV1, TeamV1 } from '@linewatch/contracts';

const STATES = ['active', 'dormant', 'disrupted', 'closed'] as const;
const REASON_LABEL: Record<string, string> = {
  history: 'history import',
  first_record_dormant: 'first record already dormant',
  first_record_closed: 'first record already closed',
  silenced: 'silenced',
};

/** Whole minutes as "3 d 4 h", "2 h 5 min", "12 min". */
function age(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}

/**
 * Team digests (admins): the digest a neighbourhood team would be sent now — lines in its areas by
 * state, every change since its previous digest (pushed as an alert or only recorded, and why),
 * its alerts still open with their age — as `GET /v1/teams/{teamId}/digest-preview` answers it
 * (handling code C sanitised as in the e-mail). Reading it is logged (s.62) like any other read.
 */
export function DigestPreviewView() {
  const { api } = useSession();
  const [teams, setTeams] = useState<TeamV1[]>([]);
  const [teamId, setTeamId] = useState<string>('');
  const [digest, setDigest] = useState<TeamDigestV1 | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    api
      .teams(abort.signal)
      .then((list) => {
        setTeams(list);
        setTeamId((chosen) => chosen || (list[0]?.teamId ?? ''));
      })
      .catch((failure: unknown) => {
        if (!(failure instanceof DOMException && failure.name === 'AbortError'))
          setError(failure instanceof ApiError ? failure.message : String(failure));
      });
    return () => abort.abort();
  }, []);

  useEffect(() => {
    if (!teamId) return;
    const abort = new AbortController();
    setLoading(true);
    setError(null);
    api
      .digestPreview(teamId, abort.signal)
      .then(setDigest)
      .catch((failure: unknown) => {
        if (failure instanceof DOMException && failure.name === 'AbortError') return;
        setDigest(null);
        setError(failure instanceof ApiError ? `${failure.message} (${failure.code})` : String(failure));
      })
      .finally(() => {
        if (!abort.signal.aborted) setLoading(false);
      });
    return () => abort.abort();
  }, [teamId]);

  return (
    <section aria-labelledby="digests-heading">
      <h1 id="digests-heading" tabIndex={-1}>
        Team digests
      </h1>
      <p class="help">What a team would be sent now, on its schedule, by e-mail and webhook. Reading a preview is logged.</p>
      <label>
        Team{' '}
        <select value={teamId} onChange={(e) => setTeamId((e.target as HTMLSelectElement).value)}>
          {teams.map((team) => (
            <option key={team.teamId} value={team.teamId}>
              {team.name}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {loading && <p aria-live="polite">Reading the preview…</p>}
      {digest && !loading && (
        <article aria-labelledby="digest-title" class="digest-preview">
          <h2 id="digest-title">
            Digest for {digest.team.name}: {digest.lines.total} lines, {digest.changes.length} changes, {digest.openAlerts.length} open
            alerts
          </h2>
          <p>
            Since {formatDateTime(digest.period.from)} (times in {digest.timeZone})
            {digest.sanitised ? ' — some entries withheld (handling code C): contact the intelligence unit.' : ''}
          </p>
          <table>
            <caption>Lines in the team's areas by state</caption>
            <thead>
              <tr>
                <th scope="col">Area</th>
                {STATES.map((s) => (
                  <th scope="col" key={s}>
                    {s}
                  </th>
                ))}
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {digest.lines.byArea.map((area) => (
                <tr key={area.area}>
                  <th scope="row">{area.name}</th>
                  {STATES.map((s) => (
                    <td key={s}>{area.byState[s]}</td>
                  ))}
                  <td>{area.total}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Changes since the previous digest</h3>
          {digest.changes.length === 0 ? (
            <p>No changes.</p>
          ) : (
            <ul class="digest-changes">
              {digest.changes.map((change, index) => (
                <li key={change.changeId ?? `withheld-${index}`}>
                  <a href={hrefOf('lines', change.lineId)}>{change.lineId}</a>: {change.from ?? 'new'} → {change.to} ({change.kind}) at{' '}
                  {formatDateTime(change.at)} —{' '}
                  {change.pushed ? 'alerted' : `recorded, not alerted (${REASON_LABEL[change.reason ?? ''] ?? change.reason ?? 'held'})`}
                  {change.sanitised ? '; details withheld' : ''}
                </li>
              ))}
            </ul>
          )}
          {digest.changesOmitted > 0 && <p>{digest.changesOmitted} more changes are in the lines' timelines.</p>}
          <h3>Alerts still open</h3>
          {digest.openAlerts.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul>
              {digest.openAlerts.map((alert) => (
                <li key={alert.alertId}>
                  {alert.severity}: {alert.subject} — open for {age(alert.ageMinutes)}
                </li>
              ))}
            </ul>
          )}
        </article>
      )}
    </section>
  );
}
