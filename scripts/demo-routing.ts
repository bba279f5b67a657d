import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultAlertRoutingFile } from '@linewatch/config';

/**
 * `npm run start:demo`: the routing file with one more digest time per team, `afterMinutes` from
 * `now` (wall clock in the team's zone), so that a newcomer sees in the local mail sink the digest
 * summarising the demo's history import the same afternoon, not at 07:00 tomorrow. Written to
 * `<dataDir>/demo-alert-routing.json`; returns its path (the alerter's ALERT_ROUTING_FILE).
 */
export function writeDemoRouting(dataDir: string, now: Date, afterMinutes: number, source = defaultAlertRoutingFile()): string {
  const routing = JSON.parse(readFileSync(source, 'utf8')) as {
    teams: { digest?: { schedule?: { at?: string | string[]; timeZone?: string } } }[];
  };
  const at = new Date(now.getTime() + afterMinutes * 60_000);
  for (const team of routing.teams) {
    const schedule = team.digest?.schedule ?? {};
    const timeZone = schedule.timeZone ?? 'Europe/London';
    const wallClock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
    const times = schedule.at === undefined ? ['07:00'] : Array.isArray(schedule.at) ? schedule.at : [schedule.at];
    team.digest = { ...team.digest, schedule: { ...schedule, at: [...new Set([...times, wallClock])] } };
  }
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'demo-alert-routing.json');
  writeFileSync(file, `${JSON.stringify(routing, null, 2)}\n`);
  return file;
}
