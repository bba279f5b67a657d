import { validateIntelSubmission, type IntelEventSubmission } from '@linewatch/contracts';
import { deriveLineId, intakeLookupsOf, resolveSubmission, type HeldInterval, type KnownLines } from '@linewatch/domain';

const NUMBER = '+447700900789';
const at = (iso: string) => new Date(iso);

function submission(fields: Record<string, unknown>): IntelEventSubmission {
  const result = validateIntelSubmission(
    {
      eventId: '3f1c2b9e-5a47-4d2e-9b61-0c8e7d4a2f15',
      type: 'line.sighting',
      occurredAt: '2026-11-28T18:40:00Z',
      area: 'bath',
      grading: { source: '2', intelligence: 'B', handling: 'P' },
      source: { system: 'records', reference: 'IR-1' },
      body: { kind: 'test_purchase', brand: 'Jay' },
      ...fields,
    },
    { now: at('2026-12-01T00:00:00Z'), maxFutureSkewMs: 0 },
  );
  if (!result.ok) throw new Error(`invalid test submission: ${result.message}`);
  return result.event;
}

const held = (lineId: string, from: string, to: string | null = null): HeldInterval => ({
  lineId,
  kind: 'msisdn',
  value: NUMBER,
  from: at(from),
  to: to === null ? null : at(to),
});

function known(intervals: readonly HeldInterval[], aliases: Record<string, string> = {}): KnownLines {
  return {
    intervalsOf: (identifier) => intervals.filter((i) => i.kind === identifier.kind && i.value === identifier.value),
    rootOf: (lineId) => aliases[lineId] ?? lineId,
  };
}

describe('resolveSubmission', () => {
  const byNumber = submission({ line: { msisdn: '07700 900789' } });

  it.each([
    ['no line ever held it → a new line derived from the number', [], deriveLineId({ kind: 'msisdn', value: NUMBER }), 'new'],
    ['held at the instant', [held('JAY-01', '2026-11-01T00:00:00Z')], 'JAY-01', 'held'],
    ['held before', [held('JAY-01', '2026-11-01T00:00:00Z', '2026-11-10T00:00:00Z')], 'JAY-01', 'held_before'],
    ['held after', [held('JAY-02', '2026-11-29T00:00:00Z')], 'JAY-02', 'held_after'],
  ])('%s', (_what, intervals, lineId, how) => {
    const resolved = resolveSubmission(byNumber, known(intervals));
    expect(resolved.lines).toEqual([{ lineId, how }]);
    expect(resolved.keys).toEqual([lineId]);
    expect(resolved.event).toMatchObject({ lineId, line: { msisdn: NUMBER, resolution: { lineId, how } } });
  });

  it('names the same new line for a resend and for a racing event at another instant', () => {
    const first = resolveSubmission(byNumber, known([]));
    const racing = resolveSubmission(submission({ line: { msisdn: NUMBER }, occurredAt: '2026-11-20T00:00:00Z' }), known([]));
    expect(racing.event.type === 'line.sighting' && racing.event.lineId).toBe(first.lines[0].lineId);
    expect(first.lines[0].lineId).toMatch(/^N-[A-Z2-7]{26}$/);
  });

  it('keeps a named line and flags the line that held the number then (never re-attributed)', () => {
    const resolved = resolveSubmission(
      submission({ lineId: 'KAY-09', line: { msisdn: NUMBER } }),
      known([held('JAY-01', '2026-11-01T00:00:00Z')]),
    );
    expect(resolved.lines).toEqual([{ lineId: 'KAY-09', how: 'given', conflictWith: 'JAY-01' }]);
    expect(resolved.event).toMatchObject({
      lineId: 'KAY-09',
      line: { resolution: { lineId: 'KAY-09', how: 'given', conflictWith: 'JAY-01' } },
    });
  });

  it('keeps a merged line as named in the stored event, keyed and answered as its survivor', () => {
    const resolved = resolveSubmission(submission({ lineId: 'OLD-1' }), known([], { 'OLD-1': 'JAY-01' }));
    expect(resolved.event).toMatchObject({ lineId: 'OLD-1' });
    expect(resolved.keys).toEqual(['JAY-01']);
    expect(resolved.lines).toEqual([{ lineId: 'JAY-01', how: 'given' }]);
  });

  it('a number held by a merged line goes to its survivor; a named alias of the holder is no conflict', () => {
    const intervals = [held('OLD-1', '2026-11-01T00:00:00Z')];
    expect(resolveSubmission(byNumber, known(intervals, { 'OLD-1': 'JAY-01' })).lines).toEqual([{ lineId: 'JAY-01', how: 'held' }]);
    const named = resolveSubmission(submission({ lineId: 'JAY-01', line: { msisdn: NUMBER } }), known(intervals, { 'OLD-1': 'JAY-01' }));
    expect(named.lines).toEqual([{ lineId: 'JAY-01', how: 'given' }]);
  });

  it('a raid: given lines and resolved ones, each line once, one key per line', () => {
    const raid = submission({
      type: 'enforcement.raid',
      lineIds: ['KAY-02', 'OLD-1'],
      lines: [{ msisdn: NUMBER }],
      body: { place: { description: 'flat (fictional)' }, warrant: 'W-1' },
    });
    const resolved = resolveSubmission(raid, known([held('JAY-01', '2026-11-01T00:00:00Z')], { 'OLD-1': 'JAY-01' }));
    expect(resolved.keys).toEqual(['KAY-02', 'JAY-01']);
    expect(resolved.lines).toEqual([
      { lineId: 'JAY-01', how: 'held' },
      { lineId: 'KAY-02', how: 'given' },
    ]);
  });

  it('a referral naming no line is keyed by its area and goes to no line', () => {
    const referral = submission({ type: 'safeguarding.referral', lineIds: [], body: { subject: 'child', exploitation: ['criminal'] } });
    expect(resolveSubmission(referral, known([]))).toMatchObject({ keys: ['area:bath'], lines: [] });
  });
});

describe('intakeLookupsOf', () => {
  it('asks for each identifier once, and for the lines named and the lines the identifiers would create', () => {
    const lookups = intakeLookupsOf([
      submission({ line: { msisdn: NUMBER } }),
      submission({ line: { msisdn: '07700 900789' }, lineId: 'KAY-09' }),
    ]);
    expect(lookups.identifiers).toEqual([{ kind: 'msisdn', value: NUMBER }]);
    expect(lookups.lineIds).toEqual([deriveLineId({ kind: 'msisdn', value: NUMBER }), 'KAY-09']);
  });
});
