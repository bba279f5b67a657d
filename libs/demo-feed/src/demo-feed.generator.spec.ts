import {
  INTEL_EVENT_TYPES,
  LINE_LINK_TYPES,
  isLuhnValid,
  normalisePhoneNumber,
  validateIntelEvent,
  validateIntelSubmission,
  validateLineLink,
  type IntelEventSubmission,
  type IntelEventV1,
  type LineLinkV1,
} from '@linewatch/contracts';
import {
  DEMO_ANALYST,
  DEMO_AREAS,
  DemoFeedOptionsError,
  REPLACEMENT_MAX_DAYS,
  generateDemoFeed,
  isByNumber,
  isLateReport,
  isLinkDecision,
  summariseFeed,
  type DemoFeedEvent,
  type DemoFeedOptions,
} from '@linewatch/demo-feed';

const DAY = 24 * 60 * 60 * 1000;
const FROM = new Date('2025-01-01T00:00:00Z');
const TO = new Date('2026-01-01T00:00:00Z');
const YEAR: DemoFeedOptions = { seed: 7, from: FROM, to: TO, lines: 200 };
// Validation as ingest would do it a day after the feed ends, with no clock skew allowed.
const CONTEXT = { now: new Date(TO.getTime() + DAY), maxFutureSkewMs: 0 };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DRAMA_NUMBER = /^(07700 900\d{3}|\+447700900\d{3})$/;

function take<T>(iterable: Iterable<T>, count: number): T[] {
  const taken: T[] = [];
  for (const item of iterable) {
    if (taken.length === count) break;
    taken.push(item);
  }
  return taken;
}

/** A report naming its lines by id, as the tracker stores it. */
function parsed(event: DemoFeedEvent): IntelEventV1 {
  const result = validateIntelEvent(event, CONTEXT);
  if (!result.ok) throw new Error(`${result.code}: ${result.message} ${JSON.stringify(result.errors)} in ${JSON.stringify(event)}`);
  return result.event;
}

/** What every validated event has. */
type Checked =
  | { readonly ok: true; readonly event: { readonly occurredAt: string; readonly area: string } }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** Any event of the feed against its own contract: a decision, a report by number (a submission), or a report by id. */
function validated(event: DemoFeedEvent): Checked {
  return isLinkDecision(event)
    ? validateLineLink(event, CONTEXT)
    : isByNumber(event)
      ? validateIntelSubmission(event, CONTEXT)
      : validateIntelEvent(event, CONTEXT);
}

function accepted<T>(
  result: { readonly ok: true; readonly event: T } | { readonly ok: false; readonly code: string; readonly message: string },
  event: unknown,
): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message} in ${JSON.stringify(event)}`);
  return result.event;
}

function linesOfEvent(event: IntelEventV1): readonly string[] {
  return 'lineIds' in event ? event.lineIds : [event.lineId];
}

/** Each line's events in event-time order (a raid naming several lines is in each of their timelines). */
function timelines(events: readonly IntelEventV1[]): Map<string, IntelEventV1[]> {
  const byLine = new Map<string, IntelEventV1[]>();
  for (const event of events) {
    for (const line of linesOfEvent(event)) byLine.set(line, [...(byLine.get(line) ?? []), event]);
  }
  for (const timeline of byLine.values()) timeline.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  return byLine;
}

const at = (instant: string): number => Date.parse(instant);
const isFalseReport = (event: IntelEventV1): boolean => event.type === 'line.sighting' && event.grading.intelligence === 'E';

describe('generateDemoFeed', () => {
  let feed: DemoFeedEvent[];
  /** The reports naming their lines by id. */
  let events: IntelEventV1[];
  /** The reports naming their line by number only. */
  let byNumber: IntelEventSubmission[];
  let decisions: LineLinkV1[];

  beforeAll(() => {
    feed = [...generateDemoFeed(YEAR)];
    events = feed.filter((event) => !isLinkDecision(event) && !isByNumber(event)).map(parsed);
    byNumber = feed.filter(isByNumber).map((event) => accepted(validateIntelSubmission(event, CONTEXT), event));
    decisions = feed.filter(isLinkDecision).map((event) => accepted(validateLineLink(event, CONTEXT), event));
  });

  describe('determinism', () => {
    it('given the same options twice, when generated, then the feeds are byte-identical', () => {
      expect(JSON.stringify([...generateDemoFeed(YEAR)])).toBe(JSON.stringify(feed));
    });

    it('given another seed, when generated, then the feed differs and shares no event id', () => {
      const other = [...generateDemoFeed({ ...YEAR, seed: 8 })];
      expect(JSON.stringify(other)).not.toBe(JSON.stringify(feed));
      const ids = new Set(feed.map((event) => event.eventId));
      expect(other.filter((event) => ids.has(event.eventId))).toEqual([]);
    });

    it('given a feed taken in part, when compared with the whole, then the part is its beginning', () => {
      expect(take(generateDemoFeed(YEAR), 50)).toEqual(feed.slice(0, 50));
    });
  });

  describe('validity', () => {
    it('given a 200-line year, when each event is validated against its contract, then every one is accepted', () => {
      const rejected = feed.map(validated).filter((result) => !result.ok);
      expect(rejected).toEqual([]);
      expect(feed.length).toBeGreaterThan(1000);
      expect(events.length + byNumber.length + decisions.length).toBe(feed.length);
    });

    it('given a 200-line year, then a report naming its line by number only is a submission to resolve, never a stored event as it is', () => {
      expect(byNumber.length).toBeGreaterThan(0);
      const codes = feed.filter(isByNumber).map((event) => (validateIntelEvent(event, CONTEXT) as { code?: string }).code);
      expect(new Set(codes)).toEqual(new Set(['UNRESOLVED_LINE']));
    });

    it('given a 200-line year, then every event id is a unique version-4 UUID', () => {
      expect(feed.filter((event) => !UUID_V4.test(event.eventId))).toEqual([]);
      expect(new Set(feed.map((event) => event.eventId)).size).toBe(feed.length);
    });

    it('given a 200-line year, then no event is dated before `from` or after `to`', () => {
      const outside = [...events, ...byNumber, ...decisions].filter(
        (event) =>
          at(event.occurredAt) < FROM.getTime() ||
          at(event.occurredAt) > TO.getTime() ||
          (event.reportedAt !== undefined && at(event.reportedAt) > TO.getTime()),
      );
      expect(outside).toEqual([]);
    });

    it.each(INTEL_EVENT_TYPES)('given a 200-line year, then %s appears', (type) => {
      expect(events.some((event) => event.type === type)).toBe(true);
    });

    it.each(['closure_type_1', 'closure_type_2', 'reopen', 'dormancy_override'])(
      'given a 200-line year, then an assessment %s appears',
      (decision) => {
        expect(events.some((event) => event.type === 'line.assessed' && event.body.decision === decision)).toBe(true);
      },
    );

    it.each([
      ['a raid naming 2–3 lines', (e: IntelEventV1) => e.type === 'enforcement.raid' && e.lineIds.length >= 2 && e.lineIds.length <= 3],
      ['a cuckooing raid', (e: IntelEventV1) => e.type === 'enforcement.raid' && e.body.cuckooing],
      [
        'an under-18 runner arrested',
        (e: IntelEventV1) => e.type === 'enforcement.arrest' && e.body.role === 'runner' && e.body.ageBand === 'under_18',
      ],
      ['a holder arrested and charged', (e: IntelEventV1) => e.type === 'enforcement.arrest' && e.body.role === 'holder' && e.body.charged],
      ['a handset seized', (e: IntelEventV1) => e.type === 'enforcement.seizure' && e.body.items.some((item) => item.kind === 'handset')],
      ['drugs seized', (e: IntelEventV1) => e.type === 'enforcement.seizure' && e.body.items.some((item) => item.kind === 'drugs')],
      ['cash seized', (e: IntelEventV1) => e.type === 'enforcement.seizure' && e.body.items.some((item) => item.kind === 'cash')],
      ['a deactivation by court order', (e: IntelEventV1) => e.type === 'line.deactivated' && e.body.method === 'court_order'],
      [
        'a deactivation by the network operator',
        (e: IntelEventV1) => e.type === 'line.deactivated' && e.body.method === 'network_operator',
      ],
      ['a child referral', (e: IntelEventV1) => e.type === 'safeguarding.referral' && e.body.subject === 'child'],
      ['an adult cuckooing referral', (e: IntelEventV1) => e.type === 'safeguarding.referral' && e.body.exploitation.includes('cuckooing')],
      ['a sexual exploitation referral', (e: IntelEventV1) => e.type === 'safeguarding.referral' && e.body.exploitation.includes('sexual')],
      ['a 5x5x5 grading, mapped', (e: IntelEventV1) => e.grading.original?.system === '5x5x5'],
    ])('given a 200-line year, then %s appears', (_what, matches) => {
      expect(events.some(matches)).toBe(true);
    });

    it.each(['bulk_text', 'test_purchase', 'call_data', 'intelligence_report'])(
      'given a 200-line year, then a %s sighting appears',
      (kind) => {
        expect(events.some((event) => event.type === 'line.sighting' && event.body.kind === kind)).toBe(true);
      },
    );

    it('given a 200-line year, then about 2% of sightings are graded E and about 15% of events carry handling code C', () => {
      const sightings = events.filter((event) => event.type === 'line.sighting');
      const falseShare = sightings.filter(isFalseReport).length / sightings.length;
      const conditionalShare = events.filter((event) => event.grading.handling === 'C').length / events.length;
      expect(falseShare).toBeGreaterThan(0.01);
      expect(falseShare).toBeLessThan(0.035);
      expect(conditionalShare).toBeGreaterThan(0.1);
      expect(conditionalShare).toBeLessThan(0.2);
    });

    it('given custom areas, then every event is in one of them', () => {
      const areas = ['bath', 'paulton'];
      const custom = [...generateDemoFeed({ ...YEAR, lines: 20, areas })].map((event) => accepted(validated(event), event));
      expect(new Set(custom.map((event) => event.area))).toEqual(new Set(areas));
    });

    it('given no lines, then the feed is empty', () => {
      expect([...generateDemoFeed({ ...YEAR, lines: 0 })]).toEqual([]);
    });

    it.each([
      ['a non-integer seed', { seed: 1.5 }],
      ['from after to', { from: TO, to: FROM }],
      ['an invalid date', { from: new Date('not a date') }],
      ['a negative number of lines', { lines: -1 }],
      ['no areas', { areas: [] }],
    ])('given %s, when the feed is requested, then it throws at once', (_what, overrides) => {
      expect(() => generateDemoFeed({ ...YEAR, ...overrides })).toThrow(DemoFeedOptionsError);
    });
  });

  describe('stories', () => {
    it('given a 200-line year, then some line goes quiet for more than 28 days and is then sighted again', () => {
      const reactivated = [...timelines(events).values()].some((timeline) => {
        const evidence = timeline.filter((event) => !isFalseReport(event));
        return evidence.some(
          (event, i) => i > 0 && event.type === 'line.sighting' && at(event.occurredAt) - at(evidence[i - 1].occurredAt) > 28 * DAY,
        );
      });
      expect(reactivated).toBe(true);
    });

    it('given a 200-line year, then some line is raided and some line is closed', () => {
      expect(events.some((event) => event.type === 'enforcement.raid')).toBe(true);
      expect(events.some((event) => event.type === 'line.assessed' && event.body.decision.startsWith('closure_type_'))).toBe(true);
    });

    it('given a 200-line year, then some deactivated line comes back on a new number within hours, sometimes within an hour', () => {
      const delays = [...timelines(events).values()].flatMap((timeline) =>
        timeline.flatMap((event, i) => {
          const next = timeline[i + 1];
          return event.type === 'line.deactivated' && next?.type === 'line.number_changed'
            ? [at(next.occurredAt) - at(event.occurredAt)]
            : [];
        }),
      );
      expect(delays.some((delay) => delay <= 12 * 60 * 60 * 1000)).toBe(true);
      expect(delays.some((delay) => delay < 60 * 60 * 1000)).toBe(true);
    });

    it('given a 200-line year, then a number change names the previous number and a new one', () => {
      const changes = events.filter((event) => event.type === 'line.number_changed');
      expect(changes.every((event) => event.body.previousMsisdn !== undefined && event.body.previousMsisdn !== event.body.newMsisdn)).toBe(
        true,
      );
    });
  });

  describe('identity stories', () => {
    /** Each line's brand as its reports by id first name it. */
    const brandsOf = () => {
      const brands = new Map<string, string>();
      for (const event of [...events].sort((a, b) => at(a.occurredAt) - at(b.occurredAt))) {
        const brand = 'brand' in event.body ? event.body.brand : undefined;
        if (brand !== undefined && 'lineId' in event && !brands.has(event.lineId)) brands.set(event.lineId, brand);
      }
      return brands;
    };

    /** New lines whose first report shares the brand of a line raided in the same area days before: each with the line it replaces. */
    const replacements = () => {
      const brands = brandsOf();
      const lines = timelines(events);
      return [...lines].flatMap(([lineId, timeline]) => {
        const first = timeline[0];
        // The line raided most recently before (a brand replaced twice: the second replacement replaces the first).
        const raids = [...lines].flatMap(([other, otherTimeline]) =>
          other !== lineId && brands.get(other) === brands.get(lineId)
            ? otherTimeline
                .filter(
                  (e) =>
                    e.type === 'enforcement.raid' &&
                    e.area === first.area &&
                    at(e.occurredAt) < at(first.occurredAt) &&
                    at(first.occurredAt) - at(e.occurredAt) <= REPLACEMENT_MAX_DAYS * DAY,
                )
                .map((e) => ({ other, at: at(e.occurredAt) }))
            : [],
        );
        const replaced = raids.sort((a, b) => b.at - a.at)[0]?.other;
        return replaced === undefined ? [] : [{ lineId, replaces: replaced, first }];
      });
    };

    it('given a 200-line year, then each identity story is told several times', () => {
      const counts = {
        numberSwaps: events.filter((event) => event.type === 'line.number_changed').length,
        reportsByNumber: byNumber.length,
        replacements: replacements().length,
        merges: decisions.filter((decision) => decision.type === 'line.merged').length,
      };
      expect(counts.numberSwaps).toBeGreaterThan(50);
      expect(counts.reportsByNumber).toBeGreaterThan(50);
      // Beside the other stories, not instead of them: a few percent of the reports.
      expect(counts.reportsByNumber / feed.length).toBeLessThan(0.1);
      expect(counts.replacements).toBeGreaterThan(10);
      expect(counts.merges).toBeGreaterThan(5);
      // Some replacements are merged by the analyst, the others are left for a newcomer to accept or reject.
      expect(counts.merges).toBeLessThan(counts.replacements);
    });

    it('given a 200-line year, then a report by number names a number only one line named by id, before the report', () => {
      const namedBy = new Map<string, { lineId: string; at: number }[]>();
      for (const event of events) {
        if (!('lineId' in event)) continue;
        const body = event.body as { msisdn?: string; newMsisdn?: string };
        for (const number of [body.msisdn, body.newMsisdn]) {
          if (number === undefined) continue;
          namedBy.set(number, [...(namedBy.get(number) ?? []), { lineId: event.lineId, at: at(event.occurredAt) }]);
        }
      }
      const wrong = byNumber.flatMap((report) => {
        const number = 'line' in report && report.line !== undefined ? report.line.msisdn : undefined;
        const named = number === undefined ? [] : (namedBy.get(number) ?? []);
        const lines = new Set(named.map((n) => n.lineId));
        const before = named.some((n) => n.at <= at(report.occurredAt));
        return lines.size === 1 && before ? [] : [{ eventId: report.eventId, number, lines: [...lines], before }];
      });
      expect(wrong).toEqual([]);
      // Numbers are normalised on intake: the report's and the line's forms agree once in E.164.
      expect(byNumber.every((report) => 'line' in report && normalisePhoneNumber(report.line?.msisdn ?? '') !== null)).toBe(true);
    });

    it('given a 200-line year, then each replacement is a bulk text with the brand, in the raided line’s area, within the window', () => {
      const found = replacements();
      expect(found.length).toBeGreaterThan(0);
      for (const { first } of found) {
        expect(first).toMatchObject({ type: 'line.sighting', body: { kind: 'bulk_text' } });
      }
    });

    it('given a 200-line year, then each merge is an analyst merging a replacement into the raided line, days after it appeared', () => {
      const byLine = new Map(replacements().map((r) => [r.lineId, r]));
      const merges = decisions.flatMap((decision) => (decision.type === 'line.merged' ? [decision] : []));
      expect(merges.length).toBeGreaterThan(0);
      for (const merge of merges) {
        const replacement = byLine.get(merge.lineId);
        expect({ into: merge.body.into, decidedBy: merge.body.decidedBy }).toEqual({
          into: replacement?.replaces,
          decidedBy: DEMO_ANALYST,
        });
        expect(at(merge.occurredAt)).toBeGreaterThan(at(replacement?.first.occurredAt ?? ''));
        expect(merge.body.justification).toContain(merge.body.into);
      }
      // One decision per replacement at most.
      expect(new Set(merges.map((m) => m.lineId)).size).toBe(merges.length);
    });

    it('given reportsByNumber and decisions off, then the same stories come with every line named by id and no decision', () => {
      const byId = [...generateDemoFeed({ ...YEAR, reportsByNumber: false, decisions: false })];
      expect(byId.filter((event) => isByNumber(event) || isLinkDecision(event))).toEqual([]);
      expect(byId.map((event) => validateIntelEvent(event, CONTEXT)).filter((result) => !result.ok)).toEqual([]);
      expect(byId.length).toBe(feed.length - decisions.length);
      expect(summariseFeed(byId).byType).toEqual(summariseFeed(feed).byType);
    });
  });

  describe('ordering', () => {
    it('given a 200-line year, then events that are not late come in non-decreasing occurredAt', () => {
      const onTime = events.filter((event) => !isLateReport(event)).map((event) => at(event.occurredAt));
      expect(onTime.every((time, i) => i === 0 || onTime[i - 1] <= time)).toBe(true);
    });

    it('given a 200-line year, then about 3% are late, reported days later and yielded at their reportedAt position', () => {
      const late = events.filter(isLateReport);
      expect(late.length / events.length).toBeGreaterThan(0.015);
      expect(late.length / events.length).toBeLessThan(0.045);
      const arrival = events.map((event) => at(event.reportedAt ?? event.occurredAt));
      expect(arrival.every((time, i) => i === 0 || arrival[i - 1] <= time)).toBe(true);
      // Out of order for consumers: something that happened later arrived before the late report.
      const index = events.indexOf(late[0]);
      expect(events.slice(0, index).some((event) => at(event.occurredAt) > at(late[0].occurredAt))).toBe(true);
    });

    it('given a 200-line year, then only late reports carry reportedAt, and no decision is late', () => {
      expect(feed.filter((event) => event.reportedAt !== undefined && !isLateReport(event))).toEqual([]);
      expect(decisions.filter((event) => event.reportedAt !== undefined)).toEqual([]);
    });

    it('given a 200-line year, then every event comes at its arrival time (reportedAt, else occurredAt) in order', () => {
      const arrival = feed.map((event) => at(event.reportedAt ?? event.occurredAt));
      expect(arrival.every((time, i) => i === 0 || arrival[i - 1] <= time)).toBe(true);
    });
  });

  describe('fiction', () => {
    it('given a 200-line year, then every phone number is in the Ofcom drama range', () => {
      const numbers = feed.flatMap((event) => {
        const body = event.body as Record<string, unknown>;
        const line = (event as { line?: { msisdn?: string } }).line?.msisdn;
        return [
          ...['msisdn', 'newMsisdn', 'previousMsisdn'].flatMap((field) => (body[field] === undefined ? [] : [body[field]])),
          ...(line === undefined ? [] : [line]),
        ];
      });
      expect(numbers.length).toBeGreaterThan(100);
      expect(numbers.filter((number) => typeof number !== 'string' || !DRAMA_NUMBER.test(number))).toEqual([]);
    });

    it('given a 200-line year, then every IMEI is 15 digits starting 35000000, with a valid check digit (so it attaches)', () => {
      const imeis = events.flatMap((event) => ('imei' in event.body && event.body.imei !== undefined ? [event.body.imei] : []));
      expect(imeis.length).toBeGreaterThan(10);
      expect(imeis.filter((imei) => !/^35000000\d{7}$/.test(imei) || !isLuhnValid(imei))).toEqual([]);
    });

    it('given a 200-line year, then lines, sources, brands and free text are marked as demo or fictional', () => {
      const decided = decisions.flatMap((d) => [d.lineId, ...(d.type === 'line.merged' ? [d.body.into] : [])]);
      expect([...events.flatMap(linesOfEvent), ...decided].filter((line) => !/^DEMO-\d{4,}$/.test(line))).toEqual([]);
      expect(feed.filter((event) => event.source.system !== 'demo-feed' || !/^DEMO-\d+$/.test(event.source.reference))).toEqual([]);
      expect(new Set(feed.map((event) => event.source.reference)).size).toBe(feed.length);
      const brands = events.flatMap((event) => ('brand' in event.body && event.body.brand !== undefined ? [event.body.brand] : []));
      expect(brands.filter((brand) => !/^[A-Z][a-z]+( \d+)?$/.test(brand))).toEqual([]);
      const texts = events.flatMap((event) => {
        switch (event.type) {
          case 'line.sighting':
            return event.body.note === undefined ? [] : [event.body.note];
          case 'enforcement.raid':
            return [event.body.place.description, ...(event.body.note === undefined ? [] : [event.body.note])];
          case 'line.assessed':
            return [event.body.rationale];
          case 'enforcement.seizure':
            return event.body.items.flatMap((item) => (item.description === undefined ? [] : [item.description]));
          default:
            return [];
        }
      });
      texts.push(...decisions.map((d) => d.body.justification));
      expect(texts.length).toBeGreaterThan(100);
      expect(texts.filter((text) => !/fictional/i.test(text))).toEqual([]);
    });

    it('given the default areas, then the lines operate in B&NES places only', () => {
      expect(feed.filter((event) => !(DEMO_AREAS as readonly string[]).includes(event.area))).toEqual([]);
    });
  });

  describe('scale', () => {
    it('given 1,000 lines over a year, when summarised as it streams, then it completes', () => {
      const summary = summariseFeed(generateDemoFeed({ ...YEAR, seed: 1000, lines: 1000 }));
      expect(summary.lines).toBeGreaterThan(900);
      expect(summary.events).toBeGreaterThan(10_000);
    });

    it('given four billion lines, when the first 10 events are taken, then they come at once without building the feed', () => {
      const first = take(generateDemoFeed({ ...YEAR, lines: 0xffffffff }), 10).map((event) => accepted(validated(event), event));
      expect(first).toHaveLength(10);
      expect(first.every((event) => at(event.occurredAt) < FROM.getTime() + DAY)).toBe(true);
    });
  });
});

describe('summariseFeed', () => {
  it('given a feed, then it counts events by type and area, distinct lines and late reports', () => {
    const feed = [...generateDemoFeed({ ...YEAR, lines: 30 })];
    const summary = summariseFeed(feed);
    const sum = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((total, count) => total + count, 0);
    expect(summary.events).toBe(feed.length);
    expect(Object.keys(summary.byType)).toEqual([...INTEL_EVENT_TYPES]);
    expect(Object.keys(summary.decisions)).toEqual([...LINE_LINK_TYPES]);
    expect(sum(summary.byType) + sum(summary.decisions)).toBe(feed.length);
    expect(summary.decisions['line.merged']).toBe(feed.filter(isLinkDecision).length);
    expect(summary.byNumber).toBe(feed.filter(isByNumber).length);
    expect(Object.values(summary.byArea).reduce((sum, count) => sum + count, 0)).toBe(feed.length);
    expect(summary.byType['line.sighting']).toBe(feed.filter((event) => event.type === 'line.sighting').length);
    expect(summary.lines).toBe(30);
    expect(summary.late).toBe(feed.filter(isLateReport).length);
    const times = feed.map((event) => at(event.occurredAt));
    expect(at(summary.firstOccurredAt ?? '')).toBe(Math.min(...times));
    expect(at(summary.lastOccurredAt ?? '')).toBe(Math.max(...times));
  });

  it('given no events, then every count is zero', () => {
    const summary = summariseFeed([]);
    expect(summary).toEqual({
      events: 0,
      lines: 0,
      late: 0,
      byType: Object.fromEntries(INTEL_EVENT_TYPES.map((type) => [type, 0])),
      byNumber: 0,
      decisions: Object.fromEntries(LINE_LINK_TYPES.map((type) => [type, 0])),
      byArea: {},
    });
  });
});
