import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { defaultAreasFile, loadAreas, type KafkaConfig } from '@linewatch/config';
import { normalisePhoneNumber, topicNames, type LineLinkInput } from '@linewatch/contracts';
import { generateDemoFeed, isByNumber, isLinkDecision, type DemoFeedEvent } from '@linewatch/demo-feed';
import { KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { accessToken } from './access-token';
import { replay } from './replay.command';

export interface DemoFeedCommandOptions {
  readonly seed: number;
  readonly lines: number;
  readonly from: string;
  readonly to?: string;
  readonly out?: string;
  /** Without --post: write the analysts' decisions (merges) here as NDJSON (ingest refuses them: they are not reports). */
  readonly decisionsOut?: string;
  readonly post?: boolean;
  readonly url: string;
  readonly quiet?: boolean;
  /** With --post: where the analysts' decisions are published (the input topic, as the api publishes them). */
  readonly kafka?: KafkaConfig;
  /**
   * With --post: reports older than this many days are posted as a history import
   * (`?history=true`: their changes are recorded, listed in the teams' digests, never pushed);
   * the recent ones as live reports, which alert as usual. Absent: everything is posted live.
   */
  readonly historyDays?: number;
}

function day(value: string, endOfDay: boolean): Date {
  const date = new Date(`${value}T${endOfDay ? '23:59:59' : '00:00:00'}Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`not a date: ${value} (expected YYYY-MM-DD)`);
  return date;
}

async function write(output: NodeJS.WritableStream, event: DemoFeedEvent): Promise<void> {
  if (!output.write(`${JSON.stringify(event)}\n`)) await once(output, 'drain');
}

async function close(output: WriteStream): Promise<void> {
  output.end();
  await once(output, 'finish');
}

/**
 * Writes the feed as NDJSON (a file or standard output), or posts it to ingest. Same options, same
 * events: posting twice gives duplicates. The reports go to ingest; the analysts' decisions
 * (`line.merged`) are not reports (`POST /v1/events` refuses them), so they go to `--decisions-out`,
 * or with `--post` straight to the input topic as the api publishes them.
 */
export async function demoFeed(options: DemoFeedCommandOptions): Promise<void> {
  // Never beyond now: intake refuses events from the future (a feed "to" today ends at this moment).
  const now = new Date();
  const to = options.to ? new Date(Math.min(day(options.to, true).getTime(), now.getTime())) : now;
  // The configured areas (AREAS_FILE), so that every generated event is one this deployment accepts.
  const areas = loadAreas(process.env.AREAS_FILE || defaultAreasFile()).areas.map((area) => area.code);
  const events = generateDemoFeed({ seed: options.seed, lines: options.lines, from: day(options.from, false), to, areas });
  if (options.post) return post(events, options);
  const output = options.out ? createWriteStream(options.out) : process.stdout;
  const decisions = options.decisionsOut ? createWriteStream(options.decisionsOut) : null;
  let left = 0;
  for (const event of events) {
    if (!isLinkDecision(event)) await write(output, event);
    else if (decisions) await write(decisions, event);
    else left += 1;
  }
  if (options.out) await close(output as WriteStream);
  if (decisions) await close(decisions);
  if (left > 0 && !options.quiet)
    console.error(`demo-feed: ${left} analyst decision(s) (merges) left out: --decisions-out <file> writes them, --post publishes them`);
}

/**
 * `--post`, in steps so that a newcomer sees identity at work however fast the tracker is: (1) the
 * reports that name their lines by id, in one upload — with `historyDays`, two: the older ones as a
 * history import (recorded and listed in the digests, never pushed), then the recent ones, which
 * alert as live reports do; (2) once the tracker has applied the report that first named each
 * number (GET /v1/events/{eventId}), the reports that name their line by number only (likewise
 * split) — ingest attributes them against what is stored when they arrive, so they land on the
 * line holding the number rather than on a new one; (3) the analysts' merges, to the input topic.
 */
async function post(events: Iterable<DemoFeedEvent>, options: DemoFeedCommandOptions): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'linewatch-demo-'));
  const historyBefore = options.historyDays === undefined ? null : Date.now() - options.historyDays * 24 * 60 * 60 * 1000;
  try {
    // Four uploads, in this order: by id (history, then live), by number (history, then live).
    const files = (['by-id.history', 'by-id', 'by-number.history', 'by-number'] as const).map((name) => {
      const file = join(folder, `demo-feed.${name}.ndjson`);
      return { name, file, history: name.endsWith('.history'), output: createWriteStream(file), count: 0 };
    });
    const fileFor = (byNumber: boolean, event: DemoFeedEvent) => {
      const old = historyBefore !== null && new Date(event.occurredAt).getTime() < historyBefore;
      return files[(byNumber ? 2 : 0) + (old ? 0 : 1)];
    };
    const decisions: LineLinkInput[] = [];
    const firstNaming = new Map<string, string>();
    const awaited = new Set<string>();
    for (const event of events) {
      if (isLinkDecision(event)) {
        decisions.push(event);
        continue;
      }
      const byNumber = isByNumber(event);
      if (byNumber) {
        const anchor = numberOf((event as { line?: { msisdn?: string } }).line?.msisdn);
        const first = anchor === null ? undefined : firstNaming.get(anchor);
        if (first !== undefined) awaited.add(first);
      } else {
        for (const number of numbersNamed(event)) if (!firstNaming.has(number)) firstNaming.set(number, event.eventId);
      }
      const target = fileFor(byNumber, event);
      target.count += 1;
      await write(target.output, event);
    }
    await Promise.all(files.map((f) => close(f.output)));

    for (const [index, upload] of files.entries()) {
      if (upload.count === 0) continue;
      if (index === 2 || (index === 3 && files[2].count === 0)) {
        const applied = await waitApplied(options.url, [...awaited], 120_000);
        if (!applied && !options.quiet)
          console.error(
            'demo-feed: the tracker has not applied every number yet; posting the reports by number anyway (some may go to new lines)',
          );
      }
      const answer = await replay(upload.file, { url: options.url, quiet: options.quiet, history: upload.history });
      if (answer.status >= 400) {
        process.exitCode = 1;
        return;
      }
    }
    if (decisions.length > 0) await publishDecisions(decisions, options);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function numberOf(value: unknown): string | null {
  return typeof value === 'string' ? normalisePhoneNumber(value) : null;
}

/** The numbers a report attaches to its line (a sighting's or seizure's `msisdn`, a change's `newMsisdn`). */
function numbersNamed(event: DemoFeedEvent): string[] {
  const body = event.body as { msisdn?: unknown; newMsisdn?: unknown };
  return [numberOf(body.msisdn), numberOf(body.newMsisdn)].filter((n): n is string => n !== null);
}

/** Polls ingest's GET /v1/events/{eventId} until each event is applied, or the time is up (false). */
async function waitApplied(url: string, eventIds: readonly string[], timeoutMs: number): Promise<boolean> {
  const token = await accessToken(undefined, ['ingest'], 'linewatch-demo-feed');
  const deadline = Date.now() + timeoutMs;
  for (const eventId of eventIds) {
    for (;;) {
      const response = await fetch(`${url.replace(/\/$/, '')}/v1/events/${eventId}`, {
        headers: { authorization: `Bearer ${token}`, 'x-justification': 'demo feed: is the line holding this number applied yet?' },
      });
      const standing = response.ok ? ((await response.json()) as { applied?: boolean }) : null;
      if (!response.ok) await response.arrayBuffer();
      if (standing?.applied) break;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return true;
}

/** Each decision on the input topic once per line it concerns (a merge under both lines' keys), as the api publishes it. */
async function publishDecisions(decisions: readonly LineLinkInput[], options: DemoFeedCommandOptions): Promise<void> {
  if (!options.kafka) {
    if (!options.quiet) console.error(`demo-feed: ${decisions.length} analyst decision(s) not published: no Kafka configured`);
    return;
  }
  const publisher = new KafkaPublisher(createKafka(options.kafka, createLogger('cli', 'error')));
  const topic = topicNames(options.kafka.topicPrefix).intelEvents;
  try {
    await publisher.publish(
      topic,
      decisions.flatMap((decision) => {
        const lines = decision.type === 'line.merged' ? [decision.lineId, (decision.body as { into: string }).into] : [decision.lineId];
        return lines.map((key) => ({ key, value: JSON.stringify(decision) }));
      }),
    );
  } finally {
    await publisher.disconnect();
  }
  if (!options.quiet) console.log(`demo-feed: ${decisions.length} analyst decision(s) (merges) published to ${topic}`);
}
