/**
 * A deterministic, clearly fictional feed of `intel.event.v1` events for demos and load tests
 * (`linewatch demo-feed`). Each line gets a story drawn from a seeded PRNG: first sightings,
 * sightings every few days, quiet spells past the 28-day dormancy window, raids, arrests and
 * seizures, deactivation and a new handset within hours, closures (Type 1 and 2), reopenings,
 * safeguarding referrals.
 *
 * Line identity (PRODUCT.md, "Line identity"): numbers swapped (`line.number_changed`, the new
 * handset's IMEI with a valid check digit); reports from records systems that know only the number
 * (`line: { msisdn }` and no `lineId`: intake resolves them, the number having been named on its
 * line before and held by no other line of the feed); a raided line replaced within days by a new
 * line under the same brand in the same area (a replacement suggestion for analysts); and, for
 * some replacements, an analyst's `line.merged` decision a few days later (the new line merged
 * into the raided one). `reportsByNumber: false` and `decisions: false` leave the last two out
 * (every event then names its lines by id: an `intel.event.v1` as the tracker stores it).
 *
 * Pure: the clock and the platform's randomness are never read; the same options give the same
 * events, byte for byte. Lazy: lines are started in start-time order and their events merged,
 * so taking the first events of a feed of a billion lines costs only those lines' stories.
 *
 * Arrival order: events are yielded in `occurredAt` order, except late reports (about 3%),
 * which carry a `reportedAt` days after `occurredAt` and are yielded at their `reportedAt`
 * position, so consumers see history rewritten out of order. Only late reports carry
 * `reportedAt` (see `isLateReport`).
 */
import {
  isLuhnValid,
  type IntelEventInput,
  type IntelEventSubmissionInput,
  type IntelEventType,
  type LineLinkInput,
} from '@linewatch/contracts';
import { SeededRandom, demoEventId } from './seeded-random.prng';

/** What the feed yields: a report as a records system submits it (by line id or by number), or an analyst's link decision. */
export type DemoFeedEvent = IntelEventSubmissionInput | LineLinkInput;

export const DEMO_AREAS = [
  'bath',
  'keynsham',
  'saltford',
  'midsomer-norton',
  'radstock',
  'paulton',
  'peasedown-st-john',
  'chew-valley',
] as const;

export interface DemoFeedOptions {
  /** Any safe integer; the same seed and options give the same feed. */
  readonly seed: number;
  /** No event is dated before `from` or after `to`. */
  readonly from: Date;
  readonly to: Date;
  /** How many lines to start between `from` and `to` (at most 2^32 - 1). */
  readonly lines: number;
  /** Area codes the lines operate in; default `DEMO_AREAS`. */
  readonly areas?: readonly string[];
  /** Some reports name the line by number only (`line: { msisdn }`, no `lineId`); default true. False: by id instead. */
  readonly reportsByNumber?: boolean;
  /** Analysts' link decisions (`line.merged`) in the feed; default true. */
  readonly decisions?: boolean;
}

/** Who decides the demo's merges (`decidedBy`). */
export const DEMO_ANALYST = 'demo-analyst';

/** A new line taking up a raided line's brand starts this soon after the raid (within the 14-day replacement window). */
export const REPLACEMENT_MAX_DAYS = 12;

export const DEMO_SOURCE_SYSTEM = 'demo-feed';

/** A report this long after its event is late: it is yielded at its `reportedAt` position. */
export const LATE_REPORT_MIN_DELAY_MS = 24 * 60 * 60 * 1000;

export class DemoFeedOptionsError extends Error {
  readonly code = 'INVALID_DEMO_FEED_OPTIONS';
  constructor(message: string) {
    super(message);
    this.name = 'DemoFeedOptionsError';
  }
}

/** True for an event reported at least `LATE_REPORT_MIN_DELAY_MS` after it happened. */
export function isLateReport(event: Pick<IntelEventInput, 'occurredAt' | 'reportedAt'>): boolean {
  return event.reportedAt !== undefined && Date.parse(event.reportedAt) - Date.parse(event.occurredAt) >= LATE_REPORT_MIN_DELAY_MS;
}

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Story probabilities, per step of an active line (a step is usually one sighting, every few days).
const P_QUIET = 0.035;
const P_ENFORCEMENT = 0.03;
const P_CUT_OFF = 0.006;
const P_ROTATE_HANDSET = 0.015;
const P_REFERRAL = 0.008;
const P_DORMANCY_OVERRIDE = 0.004;
const P_FALSE_REPORT = 0.016;
const P_LATE = 0.03;
const P_HANDLING_C = 0.15;
// Line identity: a report naming the line by number only; a raided line replaced by a new one; that replacement merged.
const P_BY_NUMBER = 0.1;
const P_REPLACED = 0.5;
const P_MERGED = 0.5;

// Invented brand names; a reused name gets a number ("Jay 2").
const BRANDS = [
  'Jay',
  'Blade',
  'Ronnie',
  'Kandi',
  'Smokey',
  'Dee',
  'Tank',
  'Flash',
  'Nitro',
  'Sparky',
  'Ziggy',
  'Bandit',
  'Moose',
  'Rocket',
  'Viper',
  'Gecko',
  'Turbo',
  'Biscuit',
  'Domino',
  'Frosty',
  'Ace',
  'Pepper',
  'Comet',
  'Echo',
] as const;

// Relative share of lines per default area (Bath is the largest town); other areas weigh 1.
const AREA_WEIGHTS: Readonly<Record<string, number>> = {
  bath: 5,
  keynsham: 2,
  'midsomer-norton': 2,
  radstock: 1.5,
  paulton: 1.2,
  'peasedown-st-john': 1,
  'chew-valley': 0.8,
  saltford: 0.7,
};

// Public postcode districts of the default areas (places, not people).
const POSTCODE_DISTRICTS: Readonly<Record<string, readonly string[]>> = {
  bath: ['BA1', 'BA2'],
  keynsham: ['BS31'],
  saltford: ['BS31'],
  'midsomer-norton': ['BA3'],
  radstock: ['BA3'],
  paulton: ['BS39'],
  'peasedown-st-john': ['BA2'],
  'chew-valley': ['BS39', 'BS40'],
};

type EventOf<T extends IntelEventType> = Extract<IntelEventInput, { type: T }>;
type Payload = { [T in IntelEventType]: { readonly type: T; readonly body: EventOf<T>['body'] } }[IntelEventType];
type SightingKind = EventOf<'line.sighting'>['body']['kind'];
type SeizureItem = EventOf<'enforcement.seizure'>['body']['items'][number];
type AgeBand = NonNullable<EventOf<'enforcement.arrest'>['body']['ageBand']>;
type Decision = EventOf<'line.assessed'>['body']['decision'];

type DemoGrading =
  | { readonly source: '1' | '2' | '3'; readonly intelligence: 'A' | 'B' | 'C' | 'D' | 'E'; readonly handling: 'P' | 'C' }
  | {
      readonly system: '5x5x5';
      readonly source: 'A' | 'B' | 'C' | 'D' | 'E';
      readonly intelligence: '1' | '2' | '3' | '4' | '5';
      readonly handling: '1' | '2' | '3' | '4' | '5';
    };

/** An analyst's merge of this line (the replacement) into the line it replaces. */
type MergePayload = {
  readonly type: 'line.merged';
  readonly body: { readonly into: string; readonly decidedBy: string; readonly justification: string };
};

interface StoryEvent {
  readonly at: number;
  readonly area: string;
  readonly grading: DemoGrading;
  readonly payload: Payload | MergePayload;
  /** A report naming its line by this number only (no `lineId`). */
  readonly byNumber?: string;
  /** Referrals: the lines named. Raids: filled in when the raid is yielded (other lines may join). */
  lineIds?: string[];
  /** Raids: how many other lines operating in the area the raid also names, if any are found. */
  readonly extraLines?: number;
}

/** A story event as queued: with its id and, when late, its report time. */
interface ReadyEvent extends StoryEvent {
  readonly eventId: string;
  readonly reportedAt?: number;
}

interface DemoLine {
  readonly index: number;
  readonly lineId: string;
  readonly brand: string;
  readonly homeArea: string;
  /** When the line was operating (first to last sighting of each active spell), for raids naming several lines. */
  readonly operating: (readonly [number, number])[];
  /** A new line that took up a raided line's brand: the raided line and when it was raided. */
  readonly replaces?: { readonly lineId: string; readonly raidAt: number };
}

/** A raided line whose brand moves to the next line that starts within REPLACEMENT_MAX_DAYS. */
interface Replaceable {
  readonly lineId: string;
  readonly brand: string;
  readonly area: string;
  readonly raidAt: number;
}

interface Plan {
  readonly seedWords: readonly [number, number];
  readonly from: number;
  readonly to: number;
  readonly lines: number;
  readonly areas: readonly string[];
  readonly brands: readonly string[];
  readonly reportsByNumber: boolean;
  readonly decisions: boolean;
}

interface QueuedEvent {
  readonly key: number;
  readonly seq: number;
  readonly line: DemoLine;
  readonly event: ReadyEvent;
}

// Salts keep the PRNG streams for each purpose independent of one another.
const SALT_PLAN = 0x51a7;
const SALT_SPAWN = 0x5a3e;
const SALT_STORY = 0x570e;
const SALT_RAID = 0x4a1d;
const SALT_NUMBERS = 0x0770;

/**
 * The feed, lazily: validates the options at once (not on the first `next()`), then yields.
 * With `now` at `to` and no skew, every report passes `validateIntelSubmission` (and those naming
 * their lines by id `validateIntelEvent`), every decision `validateLineLink`.
 */
export function generateDemoFeed(options: DemoFeedOptions): Generator<DemoFeedEvent> {
  return feed(planOf(options));
}

function planOf(options: DemoFeedOptions): Plan {
  const { seed, from, to, lines } = options;
  if (!Number.isSafeInteger(seed)) throw new DemoFeedOptionsError(`seed must be a safe integer, got ${seed}`);
  if (!(from instanceof Date) || Number.isNaN(from.getTime())) throw new DemoFeedOptionsError('from must be a valid date');
  if (!(to instanceof Date) || Number.isNaN(to.getTime())) throw new DemoFeedOptionsError('to must be a valid date');
  if (from.getTime() >= to.getTime()) throw new DemoFeedOptionsError('from must be before to');
  if (!Number.isSafeInteger(lines) || lines < 0 || lines > 0xffffffff) {
    throw new DemoFeedOptionsError(`lines must be an integer from 0 to ${0xffffffff}, got ${lines}`);
  }
  const areas = [...new Set(options.areas ?? DEMO_AREAS)];
  if (areas.length === 0) throw new DemoFeedOptionsError('areas must not be empty');
  // Split into two 32-bit words so seeds beyond 2^32 still differ.
  const seedWords = [seed >>> 0, Math.floor(seed / 0x100000000) >>> 0] as const;
  const brands = new SeededRandom(...seedWords, SALT_PLAN).shuffle(BRANDS);
  return {
    seedWords,
    from: from.getTime(),
    to: to.getTime(),
    lines,
    areas,
    brands,
    reportsByNumber: options.reportsByNumber ?? true,
    decisions: options.decisions ?? true,
  };
}

/** True for a decision of an analyst (`line.merged`, …), false for a report. */
export function isLinkDecision(event: DemoFeedEvent): event is LineLinkInput {
  return event.type === 'line.merged' || event.type === 'line.unmerged' || event.type === 'line.identifier_attached';
}

/** True for a report that names its line by number or handset only (intake resolves it to a line). */
export function isByNumber(event: DemoFeedEvent): boolean {
  return !isLinkDecision(event) && 'line' in event && event.line !== undefined && !('lineId' in event && event.lineId !== undefined);
}

/**
 * The feed's phone numbers, from Ofcom's drama range 07700 900000–900999 in a seeded order: no
 * number is given twice until all 1,000 have been (beyond that, numbers are recycled).
 */
class NumberPool {
  private readonly order: readonly number[];
  private given = 0;

  constructor(plan: Plan) {
    this.order = new SeededRandom(...plan.seedWords, SALT_NUMBERS).shuffle(Array.from({ length: 1000 }, (_, i) => i));
  }

  /** The next number's last three digits, and whether it was never given before. */
  take(): { readonly digits: string; readonly first: boolean } {
    const digits = String(this.order[this.given % this.order.length]).padStart(3, '0');
    this.given += 1;
    return { digits, first: this.given <= this.order.length };
  }
}

function* feed(plan: Plan): Generator<DemoFeedEvent> {
  const spawner = new LineSpawner(plan);
  const queue = new EventQueue();
  const numbers = new NumberPool(plan);
  const byArea = new Map<string, DemoLine[]>();
  let replaceable: Replaceable[] = [];
  let seq = 0;
  let reference = 0;
  for (;;) {
    const head = queue.peek();
    const nextStart = spawner.peekStart();
    // A line's events are all at or after its start, so a line need only be written once the
    // merge passes its start: this is what keeps the feed lazy. On a tie the queued event goes
    // first, as it would anyway (a line written later gets larger sequence numbers), so a huge
    // feed whose lines start in the same minute does not write them all before the first event.
    if (nextStart !== undefined && (head === undefined || nextStart < head.key)) {
      const spawned = spawner.spawn();
      // A raided line's brand is taken up by the next line to start within days, in its area.
      replaceable = replaceable.filter((r) => spawned.start <= r.raidAt + REPLACEMENT_MAX_DAYS * DAY);
      const taken = replaceable.find((r) => r.raidAt + HOUR <= spawned.start);
      replaceable = replaceable.filter((r) => r !== taken);
      const line = taken
        ? { ...spawned, brand: taken.brand, homeArea: taken.area, replaces: { lineId: taken.lineId, raidAt: taken.raidAt } }
        : spawned;
      const writer = new LineStory(plan, line, numbers);
      const story = writer.write();
      if (writer.replacedAfterRaid !== undefined)
        replaceable.push({ lineId: line.lineId, brand: line.brand, area: line.homeArea, raidAt: writer.replacedAfterRaid });
      const peers = byArea.get(line.homeArea) ?? [];
      peers.push(line);
      byArea.set(line.homeArea, peers);
      for (const event of story) queue.push({ key: event.reportedAt ?? event.at, seq: seq++, line, event });
      continue;
    }
    if (head === undefined) return;
    queue.pop();
    if (head.event.payload.type === 'enforcement.raid') head.event.lineIds = raidLineIds(plan, head, byArea);
    reference += 1;
    yield toIntelEvent(head, reference);
  }
}

/** The lines a raid names: its own, and sometimes one or two others operating in the same area then. */
function raidLineIds(plan: Plan, queued: QueuedEvent, byArea: Map<string, DemoLine[]>): string[] {
  const { line, event } = queued;
  const wanted = event.extraLines ?? 0;
  if (wanted === 0) return [line.lineId];
  const peers = byArea.get(line.homeArea) ?? [];
  // Forget lines that stopped operating well before anything still to come (late reports are at
  // most 21 days late), so the scan stays short however long the feed runs.
  const horizon = queued.key - 30 * DAY;
  const live = peers.filter((peer) => (peer.operating.at(-1)?.[1] ?? -Infinity) >= horizon);
  byArea.set(line.homeArea, live);
  const candidates = live.filter((peer) => peer !== line && peer.operating.some(([s, e]) => s <= event.at && event.at <= e + 7 * DAY));
  const random = new SeededRandom(...plan.seedWords, SALT_RAID, line.index, Math.floor(event.at / MINUTE));
  return [
    line.lineId,
    ...random
      .shuffle(candidates)
      .slice(0, wanted)
      .map((peer) => peer.lineId),
  ];
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function toIntelEvent({ line, event }: QueuedEvent, reference: number): DemoFeedEvent {
  const head = {
    eventId: event.eventId,
    type: event.payload.type,
    occurredAt: iso(event.at),
    ...(event.reportedAt !== undefined ? { reportedAt: iso(event.reportedAt) } : {}),
    area: event.area,
    grading: event.grading,
    source: { system: DEMO_SOURCE_SYSTEM, reference: `DEMO-${reference}` },
  };
  const type = event.payload.type;
  const lines =
    type === 'enforcement.raid' || type === 'safeguarding.referral'
      ? { lineIds: event.lineIds ?? [] }
      : event.byNumber !== undefined
        ? { line: { msisdn: event.byNumber } }
        : { lineId: line.lineId };
  // One cast: TypeScript cannot correlate `type` with `body` through spreads. The spec checks
  // every generated event against the contract.
  return { ...head, ...lines, body: event.payload.body } as DemoFeedEvent;
}

/**
 * Starts lines in start-time order without drawing them all first: sorted uniforms by the
 * sequential order-statistics method, then a monotone map that puts about a third of the lines
 * in the first weeks (lines already running when the feed begins).
 */
class LineSpawner {
  private readonly random: SeededRandom;
  private started = 0;
  private u = 0;
  private next: number | undefined;

  constructor(private readonly plan: Plan) {
    this.random = new SeededRandom(...plan.seedWords, SALT_SPAWN);
  }

  peekStart(): number | undefined {
    if (this.next === undefined && this.started < this.plan.lines) {
      const remaining = this.plan.lines - this.started;
      this.u = 1 - (1 - this.u) * Math.pow(1 - this.random.next(), 1 / remaining);
      const x = this.u < 0.35 ? (this.u / 0.35) * 0.08 : 0.08 + ((this.u - 0.35) / 0.65) * 0.92;
      const raw = this.plan.from + x * (this.plan.to - this.plan.from);
      // Whole minutes, as the rest of the story; never after `to`.
      this.next = Math.min(Math.ceil(raw / MINUTE) * MINUTE, this.plan.to);
    }
    return this.next;
  }

  spawn(): DemoLine & { readonly start: number } {
    const start = this.peekStart();
    if (start === undefined) throw new Error('no line left to start');
    this.next = undefined;
    const index = this.started++;
    const { brands, areas } = this.plan;
    const round = Math.floor(index / brands.length);
    const brand = round === 0 ? brands[index % brands.length] : `${brands[index % brands.length]} ${round + 1}`;
    const homeArea = this.random.weighted(areas.map((area) => [area, AREA_WEIGHTS[area] ?? 1] as const));
    return { index, lineId: `DEMO-${String(index + 1).padStart(4, '0')}`, brand, homeArea, operating: [], start };
  }
}

/** A binary min-heap on (key, seq): seq keeps ties in insertion order, so the merge is deterministic. */
class EventQueue {
  private readonly items: QueuedEvent[] = [];

  peek(): QueuedEvent | undefined {
    return this.items[0];
  }

  push(item: QueuedEvent): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): QueuedEvent | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && before(items[left], items[smallest])) smallest = left;
        if (right < items.length && before(items[right], items[smallest])) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest], items[i]];
        i = smallest;
      }
    }
    return top;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.key < b.key || (a.key === b.key && a.seq < b.seq);
}

function areaName(area: string): string {
  return area
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/**
 * One line's whole story, written when the line starts. Times only move forward (`this.t` is
 * the latest event), except false reports dropped into quiet spells; the events are sorted at
 * the end and cut at `to`.
 */
class LineStory {
  private readonly random: SeededRandom;
  private readonly events: StoryEvent[] = [];
  private readonly secondaryArea: string | undefined;
  private t: number;
  private msisdn: string;
  private imei: string;
  private operatingOpen = false;
  /** The current number was given to no other line before, and this line named it by id already: a report may name the line by it alone. */
  private msisdnUnique = false;
  private msisdnNamed = false;
  /** Set when the story ends after a raid with the brand moving to a new line: the raid's time. */
  replacedAfterRaid: number | undefined;

  constructor(
    private readonly plan: Plan,
    private readonly line: DemoLine & { readonly start: number },
    private readonly numbers: NumberPool,
  ) {
    this.random = new SeededRandom(...plan.seedWords, SALT_STORY, line.index);
    const others = plan.areas.filter((area) => area !== line.homeArea);
    this.secondaryArea = others.length > 0 && this.random.chance(0.35) ? this.random.pick(others) : undefined;
    this.t = line.start;
    this.msisdn = this.newMsisdn();
    this.imei = this.newImei();
  }

  write(): ReadyEvent[] {
    const replaces = this.line.replaces;
    if (replaces === undefined) this.sighting(this.t, { firstOrReturn: true });
    else this.replacement(replaces);
    let going = true;
    while (going && this.t <= this.plan.to) {
      const roll = this.random.next();
      if (roll < P_QUIET) going = this.quietSpell();
      else if (roll < P_QUIET + P_ENFORCEMENT) going = this.enforcement();
      else if (roll < P_QUIET + P_ENFORCEMENT + P_CUT_OFF) going = this.cutOff();
      else this.routine();
    }
    return this.finish();
  }

  // --- episodes: each returns false when the story ends (the line stays dormant or closed) ---

  /**
   * A new line under a raided line's brand, in its area, days after the raid: its first record is
   * a bulk text advertising the brand on a new number (analysts are shown a possible replacement).
   * Sometimes an analyst merges it into the raided line a few days later.
   */
  private replacement(replaces: { readonly lineId: string; readonly raidAt: number }): void {
    const days = Math.max(1, Math.round((this.t - replaces.raidAt) / DAY));
    this.sighting(this.t, {
      firstOrReturn: true,
      kind: 'bulk_text',
      area: this.line.homeArea,
      note: `Fictional demo data: bulk text advertising ${this.line.brand} on a new number, ${days} day(s) after a raid.`,
    });
    if (!this.random.chance(P_MERGED)) return;
    const at = this.nextDayAt(this.random.int(2, 6), 9, 17);
    if (!this.plan.decisions) return;
    this.events.push({
      at,
      area: this.line.homeArea,
      grading: { source: '1', intelligence: 'A', handling: 'P' },
      payload: {
        type: 'line.merged',
        body: {
          into: replaces.lineId,
          decidedBy: DEMO_ANALYST,
          justification: `Fictional demo: same brand (${this.line.brand}) advertised on a new number ${days} day(s) after the raid on ${replaces.lineId}, same area; replacement accepted.`,
        },
      },
    });
  }

  private routine(): void {
    this.t = this.nextDayAt(this.random.weighted(SIGHTING_GAPS_DAYS), 7, 23);
    this.sighting(this.t);
    if (this.random.chance(P_ROTATE_HANDSET)) {
      // Gangs also swap handsets unprompted to stay ahead of call data.
      this.numberChanged(this.t + this.random.int(60, 20 * 60) * MINUTE);
    } else if (this.random.chance(P_REFERRAL)) {
      this.t = this.nextDayAt(this.random.int(1, 5), 9, 17);
      this.referral(this.random.chance(0.8) ? 'child' : 'adult', this.random.chance(0.2) ? ['criminal', 'sexual'] : ['criminal']);
    } else if (this.random.chance(P_DORMANCY_OVERRIDE)) {
      const days = this.random.pick([14, 21, 42, 56]);
      this.t = this.nextDayAt(this.random.int(1, 3), 9, 17);
      this.assessed(
        'dormancy_override',
        `Fictional demo: the line is known to trade in bursts; dormancy window set to ${days} days.`,
        days,
      );
    }
  }

  /** No sighting for longer than the 28-day dormancy window; most lines come back. */
  private quietSpell(): boolean {
    this.operatingOpen = false;
    const days = this.random.int(30, 100);
    if (this.random.chance(0.2)) {
      // A false report in the quiet spell: graded E, it must not wake the line.
      this.falseReport(this.t + this.random.between(3, days - 3) * DAY);
    }
    if (this.random.chance(0.25)) return false;
    this.t = this.nextDayAt(days, 8, 22);
    this.sighting(this.t, { firstOrReturn: true, note: 'Fictional demo data: the line is advertising again after a quiet spell.' });
    return true;
  }

  /** A warrant or a street arrest, then perhaps deactivation, then closure or the line carries on. */
  private enforcement(): boolean {
    this.operatingOpen = false;
    let holderCharged = false;
    let handsetSeized = false;
    let childArrested = false;
    const arrest = (role: 'holder' | 'runner', at: number): void => {
      const ageBand: AgeBand =
        role === 'runner'
          ? this.random.weighted([
              ['under_18', 0.6],
              ['18_24', 0.3],
              ['25_plus', 0.05],
              ['unknown', 0.05],
            ])
          : this.random.weighted([
              ['18_24', 0.3],
              ['25_plus', 0.65],
              ['unknown', 0.05],
            ]);
      const charged = this.random.chance(role === 'holder' ? 0.7 : 0.4);
      holderCharged ||= role === 'holder' && charged;
      childArrested ||= ageBand === 'under_18';
      this.push(at, this.line.homeArea, this.enforcementGrading(), { type: 'enforcement.arrest', body: { role, charged, ageBand } });
    };
    const seizure = (at: number, withHandsetChance: number): void => {
      const items: SeizureItem[] = [];
      const handset = this.random.chance(withHandsetChance);
      if (handset) items.push({ kind: 'handset', quantity: this.random.int(1, 3), description: 'deal-line handset (fictional)' });
      if (this.random.chance(0.8) || items.length === 0) {
        items.push({ kind: 'drugs', quantity: this.random.int(10, 150), description: this.random.pick(DRUG_DESCRIPTIONS) });
      }
      if (this.random.chance(0.6))
        items.push({ kind: 'cash', quantity: this.random.int(15, 900) * 10, description: 'GBP in notes (fictional)' });
      if (this.random.chance(0.1)) items.push({ kind: 'weapon', quantity: 1, description: 'bladed article (fictional)' });
      handsetSeized ||= handset;
      this.push(at, this.line.homeArea, this.enforcementGrading(), {
        type: 'enforcement.seizure',
        body: { items, ...(handset ? { msisdn: this.msisdn, imei: this.imei } : {}) },
      });
    };

    let raidAt: number | undefined;
    if (this.random.chance(0.6)) {
      // Warrants are executed at dawn.
      let at = this.nextDayAt(this.random.int(1, 10), 5, 8);
      raidAt = at;
      const cuckooing = this.random.chance(0.25);
      const districts = POSTCODE_DISTRICTS[this.line.homeArea];
      const place = cuckooing ? 'flat of a vulnerable adult, taken over by the line' : this.random.pick(PLACES);
      this.push(
        at,
        this.line.homeArea,
        this.enforcementGrading(),
        {
          type: 'enforcement.raid',
          body: {
            place: {
              description: `${place}, ${areaName(this.line.homeArea)} (fictional)`,
              ...(districts ? { postcodeDistrict: this.random.pick(districts) } : {}),
            },
            warrant: `DEMO-W-${this.random.int(1000, 9999)}`,
            cuckooing,
            note: cuckooing
              ? 'Fictional demo data: cuckooed address used as a base for the line.'
              : 'Fictional demo data: warrant executed.',
          },
        },
        { extraLines: this.random.chance(0.3) ? this.random.int(1, 2) : 0 },
      );
      const arrests = this.random.weighted(ARRESTS_AT_RAID);
      const holderPresent = this.random.chance(0.35);
      for (let i = 0; i < arrests; i++) {
        at += this.random.int(5, 60) * MINUTE;
        arrest(i === 0 && holderPresent ? 'holder' : 'runner', at);
      }
      if (this.random.chance(0.85)) {
        at += this.random.int(10, 90) * MINUTE;
        seizure(at, 0.7);
      }
      this.t = at;
      if (cuckooing) {
        this.t = this.nextDayAt(this.random.int(1, 3), 9, 17);
        this.referral('adult', this.random.chance(0.3) ? ['cuckooing', 'criminal'] : ['cuckooing']);
      }
    } else {
      // A runner (or, less often, the holder) stopped in the street.
      let at = this.nextDayAt(this.random.int(1, 10), 14, 23);
      arrest(this.random.chance(0.75) ? 'runner' : 'holder', at);
      if (this.random.chance(0.55)) {
        at += this.random.int(5, 30) * MINUTE;
        seizure(at, 0.4);
      }
      this.t = at;
    }
    if (childArrested && this.random.chance(0.7)) {
      this.t = this.nextDayAt(this.random.int(1, 4), 9, 17);
      this.referral('child', this.random.chance(0.15) ? ['criminal', 'sexual'] : ['criminal']);
    }
    if (raidAt !== undefined && this.random.chance(P_REPLACED)) {
      // The raided line goes silent; its brand carries on on a new line (the next to start nearby, if one does).
      this.replacedAfterRaid = raidAt;
      return false;
    }

    if (this.random.chance(handsetSeized ? 0.75 : 0.3)) {
      this.deactivated(this.nextDayAt(this.random.int(1, 14), 9, 17));
      if (holderCharged && this.random.chance(0.5)) return this.closure('closure_type_1');
      return this.afterDeactivation();
    }
    if (holderCharged && this.random.chance(0.7)) return this.closure('closure_type_1');
    // Not stopped: the line carries on, on a new handset if its phone was taken.
    this.t = this.nextDayAt(this.random.int(2, 21), 8, 22);
    if (handsetSeized) {
      this.numberChanged(this.t);
      this.t = this.nextDayAt(this.random.int(1, 3), 8, 22);
    }
    this.sighting(this.t, { firstOrReturn: true });
    return true;
  }

  /** The operator cuts the number off after bulk texts are reported, with no enforcement. */
  private cutOff(): boolean {
    this.operatingOpen = false;
    this.deactivated(this.nextDayAt(this.random.int(1, 5), 9, 17), this.random.chance(0.7) ? 'network_operator' : 'court_order');
    return this.afterDeactivation();
  }

  /** The brand outlives the handset: usually a new number within hours ("sometimes within an hour"). */
  private afterDeactivation(): boolean {
    if (this.random.chance(0.3)) return this.closure('closure_type_2');
    const minutes = this.random.chance(0.35) ? this.random.int(8, 59) : this.random.int(61, 12 * 60);
    this.numberChanged(this.t + minutes * MINUTE);
    this.t += this.random.int(2 * 60, 36 * 60) * MINUTE;
    this.sighting(this.t, { kind: 'bulk_text', note: `Fictional demo data: bulk text announcing a new number for ${this.line.brand}.` });
    return true;
  }

  private closure(decision: 'closure_type_1' | 'closure_type_2'): boolean {
    this.operatingOpen = false;
    // Type 1 waits for check-backs that the number stays out of use; Type 2 for no new number.
    this.t = this.nextDayAt(decision === 'closure_type_1' ? this.random.int(14, 45) : this.random.int(3, 28), 9, 17);
    this.assessed(decision, CLOSURE_RATIONALE[decision]);
    const roll = this.random.next();
    if (roll < 0.15) {
      this.t = this.nextDayAt(this.random.int(30, 150), 9, 17);
      this.assessed('reopen', 'Fictional demo: fresh intelligence shows the line operating again.');
      this.markOperating(this.t);
      this.t = this.nextDayAt(this.random.int(1, 3), 8, 22);
      this.sighting(this.t);
      return true;
    }
    if (roll < 0.3) {
      // Relaunched under the same brand on a new handset, without anyone reopening it first.
      this.t = this.nextDayAt(this.random.int(20, 120), 8, 22);
      this.numberChanged(this.t);
      this.t += this.random.int(2 * 60, 36 * 60) * MINUTE;
      this.sighting(this.t, { kind: 'bulk_text' });
      return true;
    }
    return false;
  }

  // --- single events ---

  private sighting(at: number, options: { firstOrReturn?: boolean; kind?: SightingKind; note?: string; area?: string } = {}): void {
    if (!options.firstOrReturn && this.random.chance(P_FALSE_REPORT)) {
      this.falseReport(at);
      return;
    }
    const kind = options.kind ?? this.random.weighted(SIGHTING_KINDS);
    const note = options.note ?? this.random.pick(SIGHTING_NOTES[kind]);
    const brand = kind === 'call_data' && this.random.chance(0.5) ? {} : { brand: this.line.brand };
    const msisdn = kind === 'intelligence_report' && this.random.chance(0.5) ? {} : { msisdn: this.msisdn };
    const grading = this.sightingGrading(kind);
    const area = options.area ?? this.sightingArea();
    // A records system that knows only the number (a member of the public forwarding a bulk text): the report names the line by it.
    const byNumber =
      'msisdn' in msisdn && (kind === 'bulk_text' || kind === 'intelligence_report') && this.random.chance(P_BY_NUMBER)
        ? this.msisdnUnique && this.msisdnNamed && this.plan.reportsByNumber
        : false;
    if (byNumber) {
      this.push(at, area, grading, { type: 'line.sighting', body: { kind, ...brand, note } }, { byNumber: this.msisdn });
    } else {
      this.push(at, area, grading, { type: 'line.sighting', body: { kind, ...brand, ...msisdn, note } });
      if ('msisdn' in msisdn) this.msisdnNamed = true;
    }
    this.markOperating(at);
  }

  /** An intelligence report graded E (suspected false): it never changes the line's state. */
  private falseReport(at: number): void {
    this.push(
      at,
      this.sightingArea(),
      { source: this.random.pick(['2', '3'] as const), intelligence: 'E', handling: this.handling() },
      {
        type: 'line.sighting',
        body: { kind: 'intelligence_report', brand: this.line.brand, note: 'Fictional demo data: uncorroborated report, suspected false.' },
      },
    );
  }

  private numberChanged(at: number): void {
    this.t = at;
    const previousMsisdn = this.msisdn;
    do this.msisdn = this.newMsisdn();
    while (this.msisdn.slice(-3) === previousMsisdn.slice(-3));
    this.imei = this.newImei();
    const grading = {
      source: this.random.pick(['1', '2'] as const),
      intelligence: this.random.pick(['B', 'C'] as const),
      handling: this.handling(),
    };
    this.push(at, this.line.homeArea, grading, {
      type: 'line.number_changed',
      body: { newMsisdn: this.msisdn, previousMsisdn, imei: this.imei, brand: this.line.brand },
    });
    this.msisdnNamed = true;
    this.markOperating(at);
  }

  private deactivated(at: number, method?: 'court_order' | 'network_operator' | 'other'): void {
    this.t = at;
    const chosen =
      method ??
      this.random.weighted([
        ['court_order', 0.55],
        ['network_operator', 0.4],
        ['other', 0.05],
      ] as const);
    this.push(at, this.line.homeArea, this.enforcementGrading(), {
      type: 'line.deactivated',
      body: { method: chosen, msisdn: this.msisdn },
    });
  }

  private assessed(decision: Decision, rationale: string, dormancyWindowDays?: number): void {
    this.push(
      this.t,
      this.line.homeArea,
      { source: '1', intelligence: 'A', handling: this.handling(0.1) },
      {
        type: 'line.assessed',
        body: { decision, ...(dormancyWindowDays !== undefined ? { dormancyWindowDays } : {}), rationale },
      },
    );
  }

  private referral(subject: 'child' | 'adult', exploitation: ('criminal' | 'sexual' | 'cuckooing')[]): void {
    const agency = subject === 'child' ? this.random.pick(['childrens-social-care', 'youth-justice', 'school']) : 'adult-social-care';
    // Most referrals are linked to the line; some are recorded before a link is made.
    const lineIds = this.random.chance(0.9) ? [this.line.lineId] : [];
    this.push(
      this.t,
      this.line.homeArea,
      { source: '1', intelligence: 'B', handling: this.handling(0.5) },
      { type: 'safeguarding.referral', body: { subject, exploitation, agency } },
      { lineIds },
    );
  }

  // --- helpers ---

  private push(
    at: number,
    area: string,
    grading: DemoGrading,
    payload: Payload,
    extra: { extraLines?: number; lineIds?: string[]; byNumber?: string } = {},
  ): void {
    this.events.push({ at, area, grading, payload, ...extra });
  }

  private markOperating(at: number): void {
    const spells = this.line.operating;
    const last = spells.at(-1);
    if (this.operatingOpen && last !== undefined) spells[spells.length - 1] = [last[0], at];
    else spells.push([at, at]);
    this.operatingOpen = true;
  }

  /** `days` (≥ 1) calendar days after the current day, at a time of day in [fromHour, toHour), whole minutes. */
  private nextDayAt(days: number, fromHour: number, toHour: number): number {
    const day = Math.floor(this.t / DAY) + days;
    return day * DAY + this.random.int(fromHour * 60, toHour * 60 - 1) * MINUTE;
  }

  private sightingArea(): string {
    return this.secondaryArea !== undefined && this.random.chance(0.15) ? this.secondaryArea : this.line.homeArea;
  }

  private handling(probabilityC = P_HANDLING_C): 'P' | 'C' {
    return this.random.chance(probabilityC) ? 'C' : 'P';
  }

  private enforcementGrading(): DemoGrading {
    // Officers executing a warrant know what they found directly.
    return { source: '1', intelligence: 'A', handling: this.handling(0.1) };
  }

  private sightingGrading(kind: SightingKind): DemoGrading {
    const handling = this.handling();
    switch (kind) {
      case 'test_purchase':
        return { source: '1', intelligence: 'A', handling };
      case 'call_data':
        return { source: '1', intelligence: 'B', handling };
      case 'bulk_text':
        return { source: this.random.pick(['1', '2'] as const), intelligence: this.random.weighted(BULK_TEXT_INTELLIGENCE), handling };
      case 'intelligence_report':
      case 'other':
        if (this.random.chance(0.08)) {
          // Older records systems still grade in 5x5x5; intake maps it.
          return {
            system: '5x5x5',
            source: this.random.pick(['A', 'B', 'C', 'D'] as const),
            intelligence: this.random.pick(['2', '3', '4'] as const),
            handling: this.random.chance(0.6) ? '1' : this.random.pick(['2', '3', '4'] as const),
          };
        }
        return {
          source: this.random.weighted(REPORT_SOURCE),
          intelligence: this.random.weighted(REPORT_INTELLIGENCE),
          handling,
        };
      default: {
        const unhandled: never = kind;
        return unhandled;
      }
    }
  }

  private newMsisdn(): string {
    // Ofcom's range reserved for drama: 07700 900000–900999, from the feed's pool (no number on
    // two lines until the pool is spent). Sometimes already in E.164.
    this.random.int(0, 999); // the draw the line's own pick took before the pool: keeps the story's stream
    const { digits, first } = this.numbers.take();
    this.msisdnUnique = first;
    this.msisdnNamed = false;
    return this.random.chance(0.1) ? `+447700900${digits}` : `07700 900${digits}`;
  }

  private newImei(): string {
    // 14 digits and the Luhn check digit, so the handset attaches to the line (PRODUCT.md, "Line identity").
    const body = `35000000${String(this.random.int(0, 999_999)).padStart(6, '0')}`;
    const check = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].find((digit) => isLuhnValid(`${body}${digit}`)) ?? 0;
    return `${body}${check}`;
  }

  /** Sorts, cuts at `to`, assigns ids and picks the late reports. */
  private finish(): ReadyEvent[] {
    const { to, seedWords } = this.plan;
    const kept = this.events.filter((event) => event.at <= to).sort((a, b) => a.at - b.at);
    return kept.map((event, i) => {
      const eventId = demoEventId(seedWords, this.line.index, i);
      // Decisions are made in LineWatch, never reported late.
      if (!this.random.chance(P_LATE) || event.payload.type === 'line.merged') return { ...event, eventId };
      const reportedAt = event.at + this.random.int(2, 21) * DAY + this.random.int(0, 23 * 60) * MINUTE;
      return reportedAt <= to ? { ...event, eventId, reportedAt } : { ...event, eventId };
    });
  }
}

const SIGHTING_GAPS_DAYS: readonly (readonly [number, number])[] = [
  [1, 0.2],
  [2, 0.25],
  [3, 0.2],
  [4, 0.15],
  [5, 0.1],
  [6, 0.05],
  [7, 0.05],
];

const SIGHTING_KINDS: readonly (readonly [SightingKind, number])[] = [
  ['bulk_text', 0.4],
  ['test_purchase', 0.2],
  ['call_data', 0.2],
  ['intelligence_report', 0.2],
];

const SIGHTING_NOTES: Readonly<Record<SightingKind, readonly string[]>> = {
  bulk_text: [
    'Fictional demo data: bulk marketing text advertising the line.',
    'Fictional demo data: bulk text offering a deal on orders.',
    'Fictional demo data: bulk text received by several known users.',
  ],
  test_purchase: ['Fictional demo data: test purchase arranged through the line.', 'Fictional demo data: test purchase, runner attended.'],
  call_data: [
    'Fictional demo data: call data shows the handset active locally.',
    'Fictional demo data: call data shows high call volumes.',
  ],
  intelligence_report: [
    'Fictional demo data: intelligence report of the line operating.',
    'Fictional demo data: community report of deals at a local address.',
  ],
  other: ['Fictional demo data: other evidence of the line operating.'],
};

const BULK_TEXT_INTELLIGENCE: readonly (readonly ['A' | 'B' | 'C', number])[] = [
  ['A', 0.4],
  ['B', 0.4],
  ['C', 0.2],
];
const REPORT_SOURCE: readonly (readonly ['1' | '2' | '3', number])[] = [
  ['1', 0.2],
  ['2', 0.5],
  ['3', 0.3],
];
const REPORT_INTELLIGENCE: readonly (readonly ['B' | 'C' | 'D', number])[] = [
  ['B', 0.3],
  ['C', 0.4],
  ['D', 0.3],
];

const ARRESTS_AT_RAID: readonly (readonly [number, number])[] = [
  [0, 0.15],
  [1, 0.4],
  [2, 0.3],
  [3, 0.15],
];

const PLACES = ['flat', 'terraced house', 'house in multiple occupation', 'holiday let', 'static caravan'] as const;

const DRUG_DESCRIPTIONS = ['wraps of crack cocaine (fictional)', 'wraps of heroin (fictional)', 'cannabis, grams (fictional)'] as const;

const CLOSURE_RATIONALE: Readonly<Record<'closure_type_1' | 'closure_type_2', string>> = {
  closure_type_1: 'Fictional demo: line holder arrested and charged; check-backs show the number out of use.',
  closure_type_2: 'Fictional demo: number deactivated and no new number identified since.',
};
