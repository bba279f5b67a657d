export { LINE_STATES, transitionKind, type LineState, type TransitionKind } from './line-state';
