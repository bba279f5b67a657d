import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadAlertRouting, loadAreas } from '@linewatch/config';

const dir = mkdtempSync(join(tmpdir(), 'linewatch-digest-routing-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
const AREAS = loadAreas(file('areas.json', { areas: [{ code: 'bath', name: 'Bath', neighbourhoodTeam: 'bath-npt' }] }));
const team = (extra: Record<string, unknown> = {}) => ({
  id: 'bath-npt',
  name: 'Bath NPT',
  levels: [{ level: 1, name: 'officers', afterMinutes: 0, recipients: [{ id: 'pc', name: 'PC', email: 'pc@example.invalid' }] }],
  ...extra,
});
const load = (extra: Record<string, unknown>) => loadAlertRouting(file(`r-${Math.random()}.json`, { teams: [team(extra)] }), AREAS);
const problems = (extra: Record<string, unknown>) => {
  try {
    load(extra);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  throw new Error('expected the file to be refused');
};

describe('team digest schedule in the routing file', () => {
  it('given no digest, then the default is daily 07:00 Europe/London', () => {
    expect(load({}).teams[0].digest.schedule).toEqual({ at: ['07:00'], days: [], timeZone: 'Europe/London' });
  });

  it('given one time, several times, days and a zone, then they are read (times sorted, duplicates dropped)', () => {
    expect(load({ digest: { schedule: { at: '06:30' } } }).teams[0].digest.schedule.at).toEqual(['06:30']);
    expect(
      load({ digest: { schedule: { at: ['19:00', '07:00', '07:00'], days: ['monday', 'friday'], timeZone: 'Europe/Dublin' } } }).teams[0]
        .digest.schedule,
    ).toEqual({ at: ['07:00', '19:00'], days: ['monday', 'friday'], timeZone: 'Europe/Dublin' });
  });

  it.each([
    [{ schedule: { at: '7am' } }, 'digest.schedule.at'],
    [{ schedule: { at: '24:00' } }, 'digest.schedule.at'],
    [{ schedule: { at: [] } }, 'digest.schedule.at'],
    [{ schedule: { days: ['mon'] } }, 'digest.schedule.days.0'],
    [{ schedule: { timeZone: 'Europe/Bath' } }, 'digest.schedule.timeZone'],
    [{ schedule: { every: 'day' } }, 'digest.schedule'],
    [{ when: '07:00' }, 'digest'],
  ])('given an unparsable digest %j, then the file is refused naming the team and the field', (digest, field) => {
    const said = problems({ digest });
    expect(said).toContain('team "bath-npt"');
    expect(said).toContain(field);
  });
});
