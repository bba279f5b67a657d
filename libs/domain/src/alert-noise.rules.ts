/**
 * Alert noise (PRODUCT.md "Alerts", "Alert noise"): whether a change of a line's current state is
 * worth a pushed alert. Not when it was caused only by a history import (a backfill or a replay of
 * old files: every change is recorded, none is news), nor when it is the first record of a line
 * that is already dormant or closed with all its evidence old (nobody was told anything that
 * changed). Such changes are held for the team's digest.
 */
import type { HeldReason } from '@linewatch/contracts';
import type { LineState } from './line-state';

export type PushDecision = { readonly pushed: true } | { readonly pushed: false; readonly heldReason: HeldReason };

export interface PushInputs {
  /** What was last told (null: the line was never recorded before). */
  readonly from: LineState | null;
  readonly to: LineState;
  /** Every new event behind the change came from a history import (false for the sweep and analysts' links). */
  readonly historyOnly: boolean;
  /** The line's newest evidence, in event time; null when it has none. */
  readonly newestEvidenceAt: Date | null;
  /** The dormancy window of the line's area, in days (evidence older than this is old). */
  readonly windowDays: number;
  readonly now: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const PUSHED: PushDecision = Object.freeze({ pushed: true });

export function pushDecision(inputs: PushInputs): PushDecision {
  if (inputs.historyOnly) return { pushed: false, heldReason: 'history' };
  if (inputs.from !== null) return PUSHED;
  // A first record already dormant: its evidence is older than the window by definition.
  if (inputs.to === 'dormant') return { pushed: false, heldReason: 'first_record_dormant' };
  if (inputs.to === 'closed') {
    const old =
      inputs.newestEvidenceAt === null || inputs.newestEvidenceAt.getTime() + inputs.windowDays * DAY_MS <= inputs.now.getTime();
    if (old) return { pushed: false, heldReason: 'first_record_closed' };
  }
  return PUSHED;
}
