/**
 * The fault scenarios' load: intelligence events posted to ingest as a records system would, in
 * batches at a steady rate, each line's events numbered (its sequence, in `source.reference`) and
 * dated one after the other. An event goes in the ledger only when ingest acknowledged it
 * (`accepted`, or `duplicate` of an earlier attempt whose answer was lost); a batch that failed
 * (ingest down, Kafka down, the database down) is sent again, same events, until acknowledged.
 *
 * The model the checker holds the pipeline to is the ledger's: each line's state is decided by its
 * latest event in event time (sighting: active, raid: disrupted; all are within the dormancy
 * window of the clock, and nothing closes a line).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IntelEventInput } from '@linewatch/contracts';
import { CHECKOUT_ROOT, bearer } from '@linewatch/testing';

export interface LedgerEntry {
  readonly eventId: string;
  readonly lineId: string;
  /** The line's own sequence number (0, 1, 2 … in event time). */
  readonly seq: number;
  readonly type: 'line.sighting' | 'enforcement.raid';
  readonly occurredAt: number;
  readonly event: IntelEventInput;
  /** When ingest acknowledged it (ms since the epoch). */
  readonly ackedAt: number;
}

export interface GeneratorOptions {
  readonly ingestUrl: string;
  /** Keeps line ids of scenarios apart. */
  readonly label: string;
  readonly lines: number;
  readonly eventsPerSecond: number;
  /** Send each batch in a shuffled order, and hold some events back to send them late (out of event-time order). */
  readonly reorder?: boolean;
  /** Send a share of already acknowledged events again. */
  readonly duplicate?: boolean;
}

/** Batches per second: 10 (a batch every 100 ms). */
const BATCHES_PER_SECOND = 10;
/** Event time advances this much per event (all events fall within the last few days). */
const EVENT_STEP_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

export class LoadGenerator {
  readonly ledger = new Map<string, LedgerEntry>();
  /** Attempts that failed and were sent again (ingest, Kafka or the database unavailable). */
  retries = 0;
  /** Events ingest rejected: a generator bug or a validation regression; the checker fails on any. */
  readonly rejected: { eventId: string; code: string; message: string }[] = [];
  /** Events sent again on purpose (duplicate mode), answered `duplicate` by ingest. */
  resent = 0;
  /** Every request not answered 200: when, its status (0: no answer in time) and code, and its Retry-After. */
  readonly refusals: { at: number; status: number; code: string | null; retryAfter: string | null }[] = [];
  private readonly seqs: number[];
  private readonly areas: string[];
  private readonly held: IntelEventInput[] = [];
  private readonly meta = new Map<string, Omit<LedgerEntry, 'ackedAt'>>();
  private eventCounter = 0;
  private readonly epoch: number;
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly options: GeneratorOptions) {
    this.seqs = Array.from({ length: options.lines }, () => 0);
    const areas = JSON.parse(readFileSync(join(CHECKOUT_ROOT, 'config', 'areas.json'), 'utf8')) as { areas: { code: string }[] };
    this.areas = areas.areas.map((a) => a.code);
    // Room for ~50,000 events before the clock, all within the last 7 days (the dormancy window is 28).
    this.epoch = Date.now() - 7 * 86_400_000;
  }

  lineId(index: number): string {
    return `F-${this.options.label}-${index}`;
  }

  get acknowledged(): number {
    return this.ledger.size;
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops making new events; resolves when every batch in hand (and every held-back event) was acknowledged. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private nextEvent(): IntelEventInput {
    const index = this.eventCounter % this.options.lines;
    const seq = this.seqs[index]++;
    const occurredAt = this.epoch + this.eventCounter * EVENT_STEP_MS;
    this.eventCounter += 1;
    const lineId = this.lineId(index);
    const area = this.areas[index % this.areas.length];
    // Per line: sighting, sighting, raid, sighting, sighting, raid … (new, disrupted, resurfaced …).
    const type = seq % 3 === 2 ? 'enforcement.raid' : 'line.sighting';
    const common = {
      eventId: randomUUID(),
      occurredAt: new Date(occurredAt).toISOString(),
      area,
      grading: { source: '2', intelligence: 'B', handling: 'P' },
      source: { system: 'fault-harness', reference: `${lineId}#${seq}` },
    };
    const event = (
      type === 'line.sighting'
        ? { ...common, type, lineId, body: { kind: 'test_purchase', brand: `Brand${index}` } }
        : { ...common, type, lineIds: [lineId], body: { place: { description: 'an address (fictional)' }, warrant: `W-${lineId}-${seq}` } }
    ) as IntelEventInput;
    this.meta.set(common.eventId, { eventId: common.eventId, lineId, seq, type, occurredAt, event });
    return event;
  }

  private batch(): IntelEventInput[] {
    const size = Math.max(1, Math.round(this.options.eventsPerSecond / BATCHES_PER_SECOND));
    let events = Array.from({ length: size }, () => this.nextEvent());
    if (this.options.reorder) {
      // Hold a tenth back for a later batch (a late report), and send what was held before.
      const keep: IntelEventInput[] = [];
      for (const event of events) (Math.random() < 0.1 ? this.held : keep).push(event);
      const late = this.held.splice(0, Math.random() < 0.3 ? this.held.length : 0);
      events = shuffle([...keep, ...late]);
    }
    if (this.options.duplicate && this.ledger.size > 0) {
      const acked = [...this.ledger.values()];
      const again = Array.from({ length: Math.ceil(size / 10) }, () => acked[Math.floor(Math.random() * acked.length)].event);
      this.resent += again.length;
      events = [...events, ...again];
    }
    return events;
  }

  private async run(): Promise<void> {
    const interval = 1000 / BATCHES_PER_SECOND;
    let next = Date.now();
    while (this.running) {
      await this.sendUntilAcknowledged(this.batch());
      next += interval;
      const wait = next - Date.now();
      if (wait > 0)
        await new Promise((resolve) => setTimeout(resolve, wait)); // pacing the load, not synchronising
      else next = Date.now(); // fell behind (an outage): do not burst to catch up
    }
    if (this.held.length > 0) await this.sendUntilAcknowledged(this.held.splice(0));
  }

  private async sendUntilAcknowledged(events: readonly IntelEventInput[]): Promise<void> {
    let pending = [...events];
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) {
        this.retries += 1;
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** (attempt - 1), 2000))); // backoff
      }
      const outcome = await this.post(pending);
      if (outcome === null) continue;
      const unacknowledged: IntelEventInput[] = [];
      pending.forEach((event, i) => {
        const result = outcome[i];
        const eventId = (event as { eventId: string }).eventId;
        if (result?.status === 'accepted' || result?.status === 'duplicate') {
          const meta = this.meta.get(eventId);
          if (meta && !this.ledger.has(eventId)) this.ledger.set(eventId, { ...meta, ackedAt: Date.now() });
        } else if (result?.status === 'rejected') {
          this.rejected.push({ eventId, code: result.code ?? '?', message: result.message ?? '' });
        } else {
          unacknowledged.push(event);
        }
      });
      pending = unacknowledged;
    }
  }

  /** The per-event results, or null when the request as a whole failed (to be sent again). */
  private async post(events: readonly IntelEventInput[]): Promise<{ status: string; code?: string; message?: string }[] | null> {
    try {
      const response = await fetch(`${this.options.ingestUrl}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: await bearer(['ingest'], [], 'fault-harness') },
        body: JSON.stringify(events),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (response.status !== 200) {
        const body = (await response.json().catch(() => null)) as { code?: unknown } | null;
        this.refusals.push({
          at: Date.now(),
          status: response.status,
          code: typeof body?.code === 'string' ? body.code : null,
          retryAfter: response.headers.get('retry-after'),
        });
        return null;
      }
      const body = (await response.json()) as { results: { status: string; code?: string; message?: string }[] };
      return body.results;
    } catch {
      this.refusals.push({ at: Date.now(), status: 0, code: null, retryAfter: null });
      return null;
    }
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
