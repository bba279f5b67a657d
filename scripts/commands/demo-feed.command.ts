import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { defaultAreasFile, loadAreas } from '@linewatch/config';
import { generateDemoFeed } from '@linewatch/demo-feed';
import { replay } from './replay.command';

export interface DemoFeedCommandOptions {
  readonly seed: number;
  readonly lines: number;
  readonly from: string;
  readonly to?: string;
  readonly out?: string;
  readonly post?: boolean;
  readonly url: string;
  readonly quiet?: boolean;
}

function day(value: string, endOfDay: boolean): Date {
  const date = new Date(`${value}T${endOfDay ? '23:59:59' : '00:00:00'}Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`not a date: ${value} (expected YYYY-MM-DD)`);
  return date;
}

/** Writes the feed as NDJSON (a file or standard output), or posts it to ingest. Same options, same events: posting twice gives duplicates. */
export async function demoFeed(options: DemoFeedCommandOptions): Promise<void> {
  // Never beyond now: intake refuses events from the future (a feed "to" today ends at this moment).
  const now = new Date();
  const to = options.to ? new Date(Math.min(day(options.to, true).getTime(), now.getTime())) : now;
  // The configured areas (AREAS_FILE), so that every generated event is one this deployment accepts.
  const areas = loadAreas(process.env.AREAS_FILE || defaultAreasFile()).areas.map((area) => area.code);
  const events = generateDemoFeed({ seed: options.seed, lines: options.lines, from: day(options.from, false), to, areas });
  const folder = options.post ? mkdtempSync(join(tmpdir(), 'linewatch-demo-')) : null;
  const target = folder ? join(folder, 'demo-feed.ndjson') : options.out;
  const output = target ? createWriteStream(target) : process.stdout;
  for (const event of events) {
    if (!output.write(`${JSON.stringify(event)}\n`)) await once(output, 'drain');
  }
  if (target) {
    output.end();
    await once(output, 'finish');
  }
  if (folder && target) {
    try {
      const { status } = await replay(target, { url: options.url, quiet: options.quiet });
      if (status >= 400) process.exitCode = 1;
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
}
