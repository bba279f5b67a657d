/** Typed domain errors: a code for the adapters to map (dead-letter reason, HTTP status); never thrown for a business outcome. */
export type DomainErrorCode =
  /** A `dormancy_override` assessment without `dormancyWindowDays` (the contract refuses it; unreachable after validation). */
  | 'dormancy_override_without_window'
  /** A command for another line than the decider's. */
  | 'wrong_line'
  /** An event that sorts before what the state already applied: recompute the timeline from the set (`computeTimeline`). */
  | 'out_of_order';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}
