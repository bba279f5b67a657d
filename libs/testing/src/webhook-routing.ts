import { readFileSync, writeFileSync } from 'node:fs';
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
