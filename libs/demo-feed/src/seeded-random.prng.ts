/**
 * Seeded randomness for the demo feed: a hash to derive independent streams, a small PRNG
 * (sfc32) and UUID-shaped ids. Nothing here reads the clock or the platform's randomness, so
 * the same seed always gives the same feed.
 */

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

/** murmur3's finaliser: a bijection on 32-bit integers, so distinct inputs stay distinct. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** murmur3-style hash of 32-bit words: derives one independent stream per (seed, line, purpose). */
export function hash32(...words: readonly number[]): number {
  let h = 0x9747b28c;
  for (const word of words) {
    let k = Math.imul(word >>> 0, 0xcc9e2d51);
    k = rotl(k, 15);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = rotl(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ words.length);
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, so streams
 * seeded per line do not overlap the way 32-bit generators such as mulberry32 can, which would
 * give two lines the same story shifted in time.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...seedWords: readonly number[]) {
    this.a = hash32(...seedWords, 0xa1);
    this.b = hash32(...seedWords, 0xb2);
    this.c = hash32(...seedWords, 0xc3);
    this.d = hash32(...seedWords, 0xd4);
    // The first outputs of a freshly seeded sfc32 are weakly mixed.
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = rotl(this.c, 21);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Real in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by relative weight; `entries` must not be empty. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1][0];
  }

  /** Fisher–Yates on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }
}

const hex8 = (word: number): string => (word >>> 0).toString(16).padStart(8, '0');

/**
 * An RFC 4122 version-4-shaped UUID for event `eventIndex` of line `lineIndex`. A counter-based
 * generator rather than draws from a shared stream: the first and last words are bijections of
 * the line and the event counter, so two events of one feed can never share an id (an id
 * collision would make ingest drop the second event as a duplicate). The middle words are hashed
 * noise; the version nibble is 4 and the variant bits are 10.
 */
export function demoEventId(seedWords: readonly [number, number], lineIndex: number, eventIndex: number): string {
  const [seedLo, seedHi] = seedWords;
  const w0 = fmix32((lineIndex ^ hash32(seedLo, seedHi, 0x1d)) >>> 0);
  const w1 = (hash32(seedLo, seedHi, lineIndex, eventIndex, 0x2e) & 0xffff0fff) | 0x00004000;
  const w2 = ((hash32(seedLo, seedHi, lineIndex, eventIndex, 0x3f) & 0x3fffffff) | 0x80000000) >>> 0;
  const w3 = fmix32((eventIndex + hash32(seedLo, seedHi, lineIndex, 0x40)) >>> 0);
  const h1 = hex8(w1);
  const h2 = hex8(w2);
  return `${hex8(w0)}-${h1.slice(0, 4)}-${h1.slice(4)}-${h2.slice(0, 4)}-${h2.slice(4)}${hex8(w3)}`;
}
