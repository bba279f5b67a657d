import { STATE_LABEL } from '../format';
import type { LineState } from '../format';

const SYMBOL: Record<LineState, string> = { active: '●', dormant: '◐', disrupted: '✕', closed: '■' };

/** A state as a coloured badge with its name written out (colour is never the only signal). */
export function StateBadge({ state }: { state: LineState | null }) {
  if (!state) return <span class="badge badge-none">Not known</span>;
  return (
    <span class={`badge badge-${state}`} data-state={state}>
      <span aria-hidden="true">{SYMBOL[state]} </span>
      {STATE_LABEL[state]}
    </span>
  );
}

const SEVERITY_LABEL: Record<string, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

export function SeverityBadge({ severity }: { severity: string }) {
  return (
    <span class={`badge severity severity-${severity}`} data-severity={severity}>
      {SEVERITY_LABEL[severity] ?? severity}
    </span>
  );
}
