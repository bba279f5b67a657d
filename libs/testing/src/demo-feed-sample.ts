import type { IntelEventInput } from '@linewatch/contracts';
import { generateDemoFeed } from '@linewatch/demo-feed';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A fresh sample of the demo feed for one test: a random seed, the last 200 days up to a minute
 * ago, and line ids renamed `<prefix>-0001…` (the feed's are `DEMO-0001…` whatever the seed), so
 * that suites sharing a database never share a line. Every report names its lines by id and no
 * analyst's decision is in it (`reportsByNumber: false`, `decisions: false`): events as the
 * tracker stores them, which the suites recompute from.
 */
export function demoFeedSample(prefix: string, lines = 12, now = Date.now()): IntelEventInput[] {
  const feed = generateDemoFeed({
    seed: Math.floor(Math.random() * 1e9),
    lines,
    from: new Date(now - 200 * DAY_MS),
    to: new Date(now - 60_000),
    reportsByNumber: false,
    decisions: false,
  });
  return [...feed].map((event) => JSON.parse(JSON.stringify(event).replaceAll('DEMO-', `${prefix}-`)) as IntelEventInput);
}
