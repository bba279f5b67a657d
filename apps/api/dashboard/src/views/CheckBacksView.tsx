import { useRef, useState } from 'preact/hooks';
import type { CheckBackDueV1 } from '@linewatch/contracts';
import { ApiError } from '../api';
import { areaName, useSession } from '../context';
import { formatDateTime } from '../format';
import { usePagedList } from '../paged-list';
import { hrefOf } from '../route';

const RATIONALE_MIN = 3;
type Outcome = 'out_of_use' | 'in_use';
type Note = { kind: 'done' | 'refused'; text: string } | null;

/**
 * Closure check-backs due now (analysts, admins), earliest first, with how many days overdue: what
 * the home view's figure counts. Analysts record one: still out of use (an alteration in the s.62
 * log), or in use (published as a sighting: the line resurfaces and alerts as usual).
 */
export function CheckBacksView() {
  const { api, areas, me, announce } = useSession();
  const records = me.roles.includes('analyst');
  const { items, next, loading, error, load } = usePagedList<CheckBackDueV1>((after, signal) => api.dueCheckBacks(after, signal));
  const [selected, setSelected] = useState('');
  const [outcome, setOutcome] = useState<Outcome>('out_of_use');
  const [rationale, setRationale] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note>(null);
  const selectRef = useRef<HTMLSelectElement>(null);

  const choose = (checkBackId: string) => {
    setSelected(checkBackId);
    setNote(null);
    selectRef.current?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const item = items.find((i) => i.checkBackId === selected);
    if (!item) return setNote({ kind: 'refused', text: 'Choose the check-back you are recording.' });
    if (rationale.trim().length < RATIONALE_MIN)
      return setNote({
        kind: 'refused',
        text: `Give a rationale (at least ${RATIONALE_MIN} characters): it is recorded with the check-back.`,
      });
    setBusy(true);
    setNote(null);
    try {
      await api.recordCheckBack(item.lineId, { outcome, rationale: rationale.trim(), checkBackId: item.checkBackId });
      const text =
        outcome === 'in_use'
          ? `Recorded: line ${item.lineId} is in use. A sighting was published; the line resurfaces and alerts as usual.`
          : `Recorded: line ${item.lineId} is still out of use.`;
      setNote({ kind: 'done', text });
      announce(text);
      setSelected('');
      setRationale('');
      await load(null);
    } catch (failure) {
      setNote({ kind: 'refused', text: failure instanceof ApiError ? failure.message : String(failure) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="check-backs-heading">
      <h1 id="check-backs-heading" tabIndex={-1}>
        Check-backs due
      </h1>
      <p class="help">
        A Type 1 closure is checked back 7, 28 and 90 days after it (configurable): is the number still out of use? Check-backs due now,
        earliest first. One overdue by more than 7 days reminds the intelligence team.
      </p>
      {error && (
        <p class="notice notice-error" role="alert">
          The check-backs due could not be loaded: {error}{' '}
          <button type="button" onClick={() => void load(null)}>
            Try again
          </button>
        </p>
      )}
      <p class="count">
        {loading && items.length === 0
          ? 'Loading…'
          : `${items.length} check-back${items.length === 1 ? '' : 's'}${next ? ' shown (more to load)' : ''}`}
      </p>
      <div class="table-scroll" role="region" aria-labelledby="check-backs-caption" tabIndex={0}>
        <table class="data check-backs-table" aria-busy={loading ? 'true' : 'false'}>
          <caption id="check-backs-caption">Closure check-backs due, earliest first</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Area</th>
              <th scope="col">Closed (Type 1)</th>
              <th scope="col">Check-back</th>
              <th scope="col">Due</th>
              <th scope="col">Days overdue</th>
              {records && <th scope="col">Record</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.checkBackId} data-check-back-id={item.checkBackId} data-line-id={item.lineId}>
                <th scope="row">
                  <a href={hrefOf('lines', item.lineId)}>{item.lineId}</a>
                </th>
                <td>{areaName(areas, item.area)}</td>
                <td>
                  <time dateTime={item.closedAt}>{formatDateTime(item.closedAt)}</time>
                </td>
                <td>{item.offsetDays} days after</td>
                <td>
                  <time dateTime={item.dueAt}>{formatDateTime(item.dueAt)}</time>
                </td>
                <td class={item.daysOverdue > 7 ? 'overdue' : undefined}>{item.daysOverdue}</td>
                {records && (
                  <td>
                    <button
                      type="button"
                      onClick={() => choose(item.checkBackId)}
                      aria-label={`Record the check-back of line ${item.lineId}`}
                    >
                      Record…
                    </button>
                  </td>
                )}
              </tr>
            ))}
            {!loading && items.length === 0 && !error && (
              <tr>
                <td colSpan={records ? 7 : 6} class="empty">
                  No check-back is due.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {next && (
        <button type="button" class="more" disabled={loading} onClick={() => void load(next)}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
      {records && (
        <form
          class="filters link-form"
          onSubmit={(e) => void submit(e)}
          noValidate
          aria-labelledby="check-back-form-title"
          data-testid="check-back-form"
        >
          <h2 id="check-back-form-title">Record a check-back</h2>
          <div class="field">
            <label for="check-back-which">Check-back</label>
            <select
              id="check-back-which"
              ref={selectRef}
              value={selected}
              onChange={(e) => setSelected((e.currentTarget as HTMLSelectElement).value)}
            >
              <option value="">Choose…</option>
              {items.map((item) => (
                <option key={item.checkBackId} value={item.checkBackId}>
                  {`${item.lineId}: ${item.offsetDays}-day check-back, due ${formatDateTime(item.dueAt)}`}
                </option>
              ))}
            </select>
          </div>
          <fieldset class="field">
            <legend>Outcome</legend>
            <label>
              <input
                type="radio"
                name="check-back-outcome"
                value="out_of_use"
                checked={outcome === 'out_of_use'}
                onChange={() => setOutcome('out_of_use')}
              />{' '}
              Still out of use
            </label>
            <label>
              <input
                type="radio"
                name="check-back-outcome"
                value="in_use"
                checked={outcome === 'in_use'}
                onChange={() => setOutcome('in_use')}
              />{' '}
              In use (recorded as a sighting: the line resurfaces and alerts)
            </label>
          </fieldset>
          <div class="field">
            <label for="check-back-rationale">Rationale (required, recorded with the check-back)</label>
            <input
              id="check-back-rationale"
              type="text"
              maxLength={2000}
              value={rationale}
              aria-invalid={note?.kind === 'refused' ? 'true' : undefined}
              aria-describedby={note ? 'check-back-note' : undefined}
              onInput={(e) => setRationale((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Recording…' : 'Record check-back'}
          </button>
          <p id="check-back-note" role="status" class={note?.kind === 'refused' ? 'notice notice-error' : note ? 'notice' : undefined}>
            {note?.text ?? ''}
          </p>
        </form>
      )}
    </section>
  );
}
