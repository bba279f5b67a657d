import { transitionKind, type LineState } from '@linewatch/domain';

describe('transitionKind', () => {
  it.each<[LineState | null, LineState, string | null]>([
    [null, 'active', 'new'],
    ['dormant', 'active', 'reactivated'],
    ['disrupted', 'active', 'resurfaced'],
    ['closed', 'active', 'resurfaced'],
    ['active', 'dormant', 'went_dormant'],
    ['active', 'disrupted', 'disrupted'],
    [null, 'disrupted', 'disrupted'],
    ['disrupted', 'closed', 'closed'],
    ['active', 'active', null],
  ])('given %s, when the line becomes %s, then the change is %s', (from, to, kind) => {
    expect(transitionKind(from, to)).toBe(kind);
  });
});
