import { silenceFor, type Silence } from '@linewatch/domain';

const at = (iso: string) => new Date(iso);

describe('silenceFor', () => {
  const NOW = at('2026-06-01T12:00:00Z');
  const silence = (id: string, extra: Partial<Silence>): Silence => ({
    id,
    from: at('2026-06-01T08:00:00Z'),
    until: at('2026-06-01T20:00:00Z'),
    reason: 'planned operation',
    ...extra,
  });
  const LINE = { lineId: 'JAY-01', areas: ['paulton', 'radstock'] };

  it.each<[string, string | null, Silence[]]>([
    ['no silences', null, []],
    ['a silence of the line', 's1', [silence('s1', { lineId: 'JAY-01' })]],
    ['a silence of another line', null, [silence('s1', { lineId: 'KAY-02' })]],
    ['a silence of one of its areas', 's1', [silence('s1', { area: 'radstock' })]],
    ['a silence of another area', null, [silence('s1', { area: 'bath' })]],
    ['a silence of the line in one of its areas', 's1', [silence('s1', { lineId: 'JAY-01', area: 'paulton' })]],
    ['a silence of the line in another area', null, [silence('s1', { lineId: 'JAY-01', area: 'bath' })]],
    ['a silence naming neither line nor area', null, [silence('s1', {})]],
    ['an expired silence', null, [silence('s1', { lineId: 'JAY-01', until: at('2026-06-01T11:59:59Z') })]],
    ['a silence ending now', null, [silence('s1', { lineId: 'JAY-01', until: NOW })]],
    ['a silence not yet started', null, [silence('s1', { lineId: 'JAY-01', from: at('2026-06-01T12:00:01Z') })]],
    ['a silence starting now', 's1', [silence('s1', { lineId: 'JAY-01', from: NOW })]],
    [
      'two matching silences',
      's2',
      [silence('s1', { lineId: 'JAY-01' }), silence('s2', { area: 'paulton', until: at('2026-06-02T00:00:00Z') })],
    ],
  ])('given %s, when the change is checked at noon, then the silence is %s', (_name, expected, silences) => {
    expect(silenceFor(LINE, silences, NOW)?.id ?? null).toBe(expected);
  });
});
