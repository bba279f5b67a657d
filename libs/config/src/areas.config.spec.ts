import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaultAreasFile, dormancyWindowsOf, loadAreas, neighboursOf } from '@linewatch/config';
import { DEMO_AREAS } from '@linewatch/demo-feed';

const dir = mkdtempSync(join(tmpdir(), 'linewatch-areas-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('loadAreas', () => {
  it('given the shipped file, then every B&NES area has a neighbourhood team', () => {
    const areas = loadAreas(defaultAreasFile());
    // The demo feed's areas are PRODUCT.md's B&NES places: the shipped file must have every one.
    expect([...areas.codes]).toEqual(expect.arrayContaining([...DEMO_AREAS]));
    expect(areas.areas.every((a) => a.neighbourhoodTeam.length > 0)).toBe(true);
  });

  it.each([
    ['not JSON', '{areas', /cannot read/],
    ['no areas', { areas: [] }, /at least one area/],
    [
      'a duplicate code',
      {
        areas: [
          { code: 'bath', name: 'Bath', neighbourhoodTeam: 't' },
          { code: 'bath', name: 'B', neighbourhoodTeam: 't' },
        ],
      },
      /unique/,
    ],
    ['a bad code', { areas: [{ code: 'Bath City', name: 'Bath', neighbourhoodTeam: 't' }] }, /lower-case/],
    [
      'a dormancy window of 0 days',
      { areas: [{ code: 'bath', name: 'Bath', neighbourhoodTeam: 't', dormancyWindowDays: 0 }] },
      /dormancyWindowDays/,
    ],
    [
      'a neighbour that is not an area',
      { areas: [{ code: 'bath', name: 'Bath', neighbourhoodTeam: 't', neighbours: ['atlantis'] }] },
      /neighbours.*atlantis/,
    ],
    [
      'an area its own neighbour',
      { areas: [{ code: 'bath', name: 'Bath', neighbourhoodTeam: 't', neighbours: ['bath'] }] },
      /own neighbour/,
    ],
    ['an unknown field', { areas: [{ code: 'bath', name: 'Bath', neighbourhoodTeam: 't', inspector: 'x' }] }, /inspector|Unrecognized/],
  ])('given %s, then it refuses the file and names AREAS_FILE', (name, content, reason) => {
    const path = file(`${name}.json`, content);
    expect(() => loadAreas(path)).toThrow(ConfigError);
    expect(() => loadAreas(path)).toThrow(reason);
    expect(() => loadAreas(path)).toThrow(/AREAS_FILE/);
  });
});

describe('dormancyWindowsOf', () => {
  it('given areas with and without their own window, then only those with one are listed, over the global default', () => {
    const areas = loadAreas(
      file('windows.json', {
        areas: [
          { code: 'bath', name: 'Bath', neighbourhoodTeam: 't' },
          { code: 'chew-valley', name: 'Chew Valley', neighbourhoodTeam: 't', dormancyWindowDays: 42 },
        ],
      }),
    );
    expect(dormancyWindowsOf(areas, 28)).toEqual({ defaultDays: 28, byArea: { 'chew-valley': 42 } });
  });
});

describe('neighboursOf', () => {
  it('given neighbours listed on one side only, then each area has its neighbours both ways', () => {
    const areas = loadAreas(
      file('neighbours.json', {
        areas: [
          { code: 'bath', name: 'Bath', neighbourhoodTeam: 't', neighbours: ['keynsham'] },
          { code: 'keynsham', name: 'Keynsham', neighbourhoodTeam: 't', neighbours: ['saltford'] },
          { code: 'saltford', name: 'Saltford', neighbourhoodTeam: 't' },
          { code: 'paulton', name: 'Paulton', neighbourhoodTeam: 't' },
        ],
      }),
    );
    expect(neighboursOf(areas)).toEqual({ bath: ['keynsham'], keynsham: ['bath', 'saltford'], saltford: ['keynsham'] });
  });

  it('given the shipped file, then every area has a neighbour and every neighbour is an area', () => {
    const areas = loadAreas(defaultAreasFile());
    const neighbours = neighboursOf(areas);
    for (const code of areas.codes) {
      expect(neighbours[code]?.length ?? 0).toBeGreaterThan(0);
      for (const n of neighbours[code] ?? []) expect(areas.codes.has(n)).toBe(true);
    }
  });
});
