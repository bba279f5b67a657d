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

/**
 * The moves the rules can make (`from` null: a line never seen before). A line becomes `dormant`
 * only from `active`; enforcement never moves a `closed` line; every state can be closed, and
 * `active` is reached from every other state.
 */
export function isLegalTransition(from: LineState | null, to: LineState): boolean {
  if (from === to) return false;
  switch (to) {
    case 'active':
    case 'closed':
      return true;
    case 'dormant':
      return from === 'active';
    case 'disrupted':
      return from !== 'closed';
    default: {
      const unhandled: never = to;
      return unhandled;
    }
  }
}
