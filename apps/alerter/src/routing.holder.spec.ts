import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAlertRoutingFile, defaultAreasFile, loadAlertRouting, loadAreas } from '@linewatch/config';
import { createLogger } from '@linewatch/observability';
import { RoutingHolder } from './routing.holder';

describe('RoutingHolder', () => {
  const areas = loadAreas(defaultAreasFile());
  const file = join(mkdtempSync(join(tmpdir(), 'linewatch-routing-')), 'alert-routing.json');
  const shipped = readFileSync(defaultAlertRoutingFile(), 'utf8');

  it('given a changed valid file, when reloaded, then the new routing is in force; given an invalid one, then the old stays', () => {
    writeFileSync(file, shipped);
    const holder = new RoutingHolder(file, areas, createLogger('test', 'silent'), loadAlertRouting(file, areas));
    expect(holder.current.digestWaitSeconds).toBe(10);

    writeFileSync(file, JSON.stringify({ ...JSON.parse(shipped), digestWaitSeconds: 3 }));
    expect(holder.reload()).toBe(true);
    expect(holder.current.digestWaitSeconds).toBe(3);

    writeFileSync(file, JSON.stringify({ ...JSON.parse(shipped), teams: [] }));
    expect(holder.reload()).toBe(false);
    expect(holder.current.digestWaitSeconds).toBe(3);
    expect(holder.current.teams.length).toBeGreaterThan(0);
  });
});
