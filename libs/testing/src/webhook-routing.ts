import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKOUT_ROOT } from './checkout-root';

/**
 * An ALERT_ROUTING_FILE in `dir` that sends every team of config/areas.json (one level, one
 * recipient, at once) to a webhook at `hookUrl(teamId)`; `settings` adds top-level routing
 * settings (digest window, digest wait…). Returns the file's path.
 */
export function writeWebhookRouting(dir: string, hookUrl: (teamId: string) => string, settings: Record<string, unknown> = {}): string {
  const areas = JSON.parse(readFileSync(join(CHECKOUT_ROOT, 'config', 'areas.json'), 'utf8')) as {
    areas: { neighbourhoodTeam: string }[];
  };
  const teams = [...new Set(areas.areas.map((a) => a.neighbourhoodTeam))].map((id) => ({
    id,
    name: id,
    levels: [
      { level: 1, name: 'officers', afterMinutes: 0, recipients: [{ id: 'officers', name: `Officers ${id}`, webhookUrl: hookUrl(id) }] },
    ],
  }));
  const file = join(dir, 'alert-routing.json');
  writeFileSync(file, JSON.stringify({ ...settings, teams }));
  return file;
}

/**
 * An areas file with one area and an ALERT_ROUTING_FILE sending its team (one level, these
 * recipients, at once), in a new temporary directory: what an alerter int test loads with
 * `loadAreas` and `loadAlertRouting`.
 */
export function writeOneTeamRouting(
  area: { readonly code: string; readonly name: string; readonly teamId: string },
  recipients: readonly Record<string, string>[],
): { readonly areasFile: string; readonly routingFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'linewatch-one-team-'));
  const areasFile = join(dir, 'areas.json');
  const routingFile = join(dir, 'routing.json');
  writeFileSync(areasFile, JSON.stringify({ areas: [{ code: area.code, name: area.name, neighbourhoodTeam: area.teamId }] }));
  writeFileSync(
    routingFile,
    JSON.stringify({
      teams: [{ id: area.teamId, name: `Team ${area.teamId}`, levels: [{ level: 1, name: 'officers', afterMinutes: 0, recipients }] }],
    }),
  );
  return { areasFile, routingFile };
}
