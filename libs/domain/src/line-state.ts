/**
 * Line states and the name of each change between them (PRODUCT.md, "Line
 * states"). Pure: no I/O, no clock. The decider that applies events to a
 * line's timeline builds on these (issue: line tracker).
 */
export const LINE_STATES = ['active', 'dormant', 'disrupted', 'closed'] as const;
export type LineState = (typeof LINE_STATES)[number];

/** What a change of current state is called in alerts and exports. */
export type TransitionKind = 'new' | 'reactivated' | 'resurfaced' | 'went_dormant' | 'disrupted' | 'closed';

/** `from` is null for a line never seen before. Returns null when nothing changes. */
export function transitionKind(from: LineState | null, to: LineState): TransitionKind | null {
  if (from === to) return null;
  switch (to) {
    case 'active':
      if (from === null) return 'new';
      if (from === 'dormant') return 'reactivated';
      return 'resurfaced';
    case 'dormant':
      return 'went_dormant';
    case 'disrupted':
      return 'disrupted';
    case 'closed':
      return 'closed';
    default: {
      const unhandled: never = to;
      return unhandled;
    }
  }
}
