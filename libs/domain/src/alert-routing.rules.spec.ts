import type { StateChangeV1 } from '@linewatch/contracts';
import { teamsFor } from '@linewatch/domain';

const TEAM_OF_AREA = {
  bath: 'bath-npt',
  keynsham: 'keynsham-npt',
  saltford: 'keynsham-npt',
  paulton: 'somer-valley-npt',
  radstock: 'somer-valley-npt',
};

describe('teamsFor', () => {
  it.each<[string, string[], Pick<StateChangeV1, 'areas' | 'area'>]>([
    ['one area', ['bath-npt'], { areas: ['bath'], area: 'bath' }],
    [
      'a line across three teams',
      ['bath-npt', 'keynsham-npt', 'somer-valley-npt'],
      { areas: ['radstock', 'bath', 'keynsham'], area: 'radstock' },
    ],
    ['two areas of one team', ['keynsham-npt'], { areas: ['keynsham', 'saltford'], area: 'saltford' }],
    ['a latest area missing from areas', ['bath-npt', 'somer-valley-npt'], { areas: ['bath'], area: 'paulton' }],
    ['no latest area (never sighted)', ['somer-valley-npt'], { areas: ['paulton'], area: null }],
    ['an unknown area', ['bath-npt'], { areas: ['bath', 'gotham'], area: 'gotham' }],
    ['an area named like an object property', [], { areas: ['constructor', 'toString'], area: null }],
    ['no areas', [], { areas: [], area: null }],
  ])('given %s, when the change is routed, then the teams are %j', (_name, expected, given) => {
    expect(teamsFor(given, TEAM_OF_AREA)).toEqual(expected);
  });
});
