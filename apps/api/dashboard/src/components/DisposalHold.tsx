import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { useSession } from '../context';
import { formatDateTime } from '../format';
import type { LineDetailV1 } from '@linewatch/contracts';

/**
 * A line held for disposal (a `dispose` review): when it will be erased and who decided; an admin
 * may cancel the hold with a reason (POST /v1/lines/…/disposal/cancel, an s.62 alteration).
 */
export function DisposalHold({ line, onCancelled }: { line: LineDetailV1; onCancelled: () => void }) {
  const { api, me, announce } = useSession();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hold = line.disposal;
  if (!hold) return null;
  const mayCancel = me.roles.includes('admin') && hold.status === 'held';

  const cancel = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.cancelDisposal(line.lineId, reason.trim());
      announce(`Disposal of line ${line.lineId} cancelled.`);
      setReason('');
      onCancelled();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="notice notice-warning disposal-hold" aria-labelledby="disposal-heading" data-status={hold.status}>
      <h2 id="disposal-heading">Held for disposal</h2>
      <p>
        {hold.status === 'erasing' ? (
          'Being erased now'
        ) : (
          <>
            Erased after <time dateTime={hold.eraseAfter}>{formatDateTime(hold.eraseAfter)}</time>
          </>
        )}{' '}
        — disposal decided by {hold.decidedBy} on <time dateTime={hold.decidedAt}>{formatDateTime(hold.decidedAt)}</time>. Its events,
        identifiers, timeline and alerts will be erased; a tombstone and the weekly counts stay.
      </p>
      {mayCancel && (
        <form class="disposal-cancel" onSubmit={(event) => void cancel(event)}>
          <label for="disposal-reason">Reason for cancelling (recorded)</label>
          <input
            id="disposal-reason"
            name="reason"
            value={reason}
            minLength={3}
            maxLength={2000}
            required
            onInput={(event) => setReason((event.target as HTMLInputElement).value)}
          />
          <button type="submit" disabled={busy || reason.trim().length < 3}>
            {busy ? 'Cancelling…' : 'Cancel disposal'}
          </button>
        </form>
      )}
      {error && (
        <p class="notice notice-error" role="alert">
          The hold could not be cancelled: {error}
        </p>
      )}
    </section>
  );
}
