import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAreasFile, loadAlertRouting, loadAreas } from '@linewatch/config';
import { writeDemoRouting } from './demo-routing';

describe('the demo routing file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linewatch-demo-routing-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every team one more digest time, minutes from now in its zone, and loads as the alerter loads it', () => {
    // 15:52 UTC on 6 December is 15:52 in London (GMT): +8 minutes is 16:00.
    const file = writeDemoRouting(dir, new Date('2026-12-06T15:52:00Z'), 8);
    const routing = loadAlertRouting(file, loadAreas(defaultAreasFile()));
    expect(routing.teams.length).toBeGreaterThan(0);
    for (const team of routing.teams) expect(team.digest.schedule.at).toEqual(expect.arrayContaining(['07:00', '16:00']));
  });

  it('reads the wall clock in summer time too (BST: UTC+1)', () => {
    const file = writeDemoRouting(dir, new Date('2026-07-01T11:50:00Z'), 8);
    const routing = loadAlertRouting(file, loadAreas(defaultAreasFile()));
    for (const team of routing.teams) expect(team.digest.schedule.at).toEqual(expect.arrayContaining(['12:58']));
  });
});
