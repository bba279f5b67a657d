/** The clock the team digests read (an in-process test hands in one it controls). */
export interface DigestClock {
  now(): Date;
}
export const DIGEST_CLOCK = Symbol('DIGEST_CLOCK');
export const systemDigestClock: DigestClock = { now: () => new Date() };
