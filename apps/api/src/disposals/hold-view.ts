import type { DisposalHoldV1 } from '@linewatch/contracts';
import type { DisposalHold } from '@linewatch/persistence';

/** A disposal hold as the line detail and the reviews due show it (null: none open). */
export function holdView(hold: DisposalHold | null | undefined): DisposalHoldV1 | null {
  if (!hold || (hold.status !== 'held' && hold.status !== 'erasing')) return null;
  return {
    reviewId: hold.reviewId,
    decidedAt: hold.decidedAt.toISOString(),
    decidedBy: hold.decidedBy,
    eraseAfter: hold.eraseAfter.toISOString(),
    status: hold.status,
  };
}
