import { isLegalTransition, transitionKind, type LineState } from '@linewatch/domain';

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

describe('isLegalTransition', () => {
  it.each<[LineState | null, LineState, boolean]>([
    [null, 'active', true],
    [null, 'disrupted', true],
    [null, 'closed', true],
    [null, 'dormant', false],
    ['active', 'dormant', true],
    ['active', 'disrupted', true],
    ['active', 'closed', true],
    ['active', 'active', false],
    ['dormant', 'active', true],
    ['dormant', 'disrupted', true],
    ['dormant', 'closed', true],
    ['dormant', 'dormant', false],
    ['disrupted', 'active', true],
    ['disrupted', 'closed', true],
    ['disrupted', 'dormant', false],
    ['disrupted', 'disrupted', false],
    ['closed', 'active', true],
    ['closed', 'dormant', false],
    ['closed', 'disrupted', false],
    ['closed', 'closed', false],
  ])('given %s, when the line would become %s, then legal is %s', (from, to, legal) => {
    expect(isLegalTransition(from, to)).toBe(legal);
  });
});
