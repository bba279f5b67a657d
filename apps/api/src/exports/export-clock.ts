/** The clock the exports read (tests hand in one they control). */
export interface Clock {
  now(): Date;
}
export const EXPORT_CLOCK = Symbol('EXPORT_CLOCK');
export const systemClock: Clock = { now: () => new Date() };
