/**
 * What every fault scenario must prove once the fault is healed and the backlog consumed (the
 * Jepsen-style checks of issue #9): no acknowledged event missing from the database, no duplicate
 * rows, every line's state the one its acknowledged events decide, each line's state changes one
 * unbroken chain (no change twice, none skipped, never backwards in event time unless reports came
 * late on purpose), exactly one alert per state change, and every alert delivered. Also the
 * sampler behind the figures: backlog (acknowledged − stored) over time, readiness of each
 * service, and duplicates the tracker saw redelivered.
 */
import type { Pool } from 'pg';
import type { RunningService } from '@linewatch/testing';
import type { LedgerEntry, LoadGenerator } from './load.generator';
import type { WebhookReceiver } from './webhook.receiver';

export interface ReadinessSample {
  readonly at: number;
  readonly service: string;
  readonly ready: boolean;
}

/** Samples the world every 500 ms while a scenario runs. */
export class Sampler {
  peakBacklog = 0;
  /** Backlog (acknowledged − stored) over time. */
  readonly backlog: { at: number; events: number }[] = [];
  readonly readiness: ReadinessSample[] = [];
  /** Highest `duplicate` count each tracker incarnation reported (pid → count): redeliveries it dropped. */
  private readonly trackerDuplicates = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly pool: Pool,
    private readonly generator: LoadGenerator,
    private readonly services: () => ReadonlyMap<string, RunningService>,
  ) {}

  get duplicatesRedelivered(): number {
    return [...this.trackerDuplicates.values()].reduce((a, b) => a + b, 0);
  }

  start(): void {
    this.timer = setInterval(() => void this.sample(), 500);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sample();
  }

  /** ms from `since` until the backlog was back within `events` (the pipeline caught up with the load), or null. */
  caughtUpAfter(since: number, events: number): number | null {
    const sample = this.backlog.find((s) => s.at >= since && s.events <= events);
    return sample ? sample.at - since : null;
  }

  /** Whether `service` was seen not ready between `from` and `to`, and ready at the last sample. */
  wentRed(service: string, from: number, to: number): boolean {
    return this.readiness.some((s) => s.service === service && s.at >= from && s.at <= to && !s.ready);
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const acknowledged = this.generator.acknowledged;
      const stored = await storedCount(this.pool).catch(() => null);
      if (stored !== null) {
        this.peakBacklog = Math.max(this.peakBacklog, acknowledged - stored);
        this.backlog.push({ at: Date.now(), events: acknowledged - stored });
      }
      await Promise.all(
        [...this.services()].map(async ([key, service]) => {
          if (service.process.exitCode !== null || service.process.signalCode !== null) return;
          const response = await fetch(`${service.url}/health/ready`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
          this.readiness.push({ at: Date.now(), service: key, ready: response?.ok ?? false });
          if (service.name === 'tracker' && service.process.pid !== undefined) {
            const text = await fetch(`${service.url}/metrics`, { signal: AbortSignal.timeout(2000) })
              .then((r) => r.text())
              .catch(() => '');
            const duplicates = Number(/linewatch_tracker_events_total\{[^}]*outcome="duplicate"[^}]*\} (\d+)/.exec(text)?.[1] ?? NaN);
            if (Number.isFinite(duplicates)) this.trackerDuplicates.set(service.process.pid, duplicates);
          }
        }),
      );
    } finally {
      this.busy = false;
    }
  }
}

async function storedCount(pool: Pool): Promise<number> {
  return Number((await pool.query('SELECT count(*)::int AS n FROM intel_event_ids')).rows[0].n);
}

export interface DrainTimes {
  /** ms from `since` until every acknowledged event was stored. */
  readonly storedAfterMs: number | null;
  /** ms from `since` until every state change had its alert and every alert was delivered. */
  readonly deliveredAfterMs: number | null;
}

/** Waits (polling, to a deadline) until the backlog is consumed and every alert delivered. */
export async function drain(
  pool: Pool,
  generator: LoadGenerator,
  receiver: WebhookReceiver,
  since: number,
  timeoutMs: number,
): Promise<DrainTimes> {
  const deadline = Date.now() + timeoutMs;
  let storedAt: number | null = null;
  let deliveredAt: number | null = null;
  const ids = () => [...generator.ledger.keys()];
  while (Date.now() < deadline && deliveredAt === null) {
    try {
      if (storedAt === null) {
        const { rows } = await pool.query(`SELECT count(*)::int AS n FROM intel_event_ids WHERE event_id = ANY($1::uuid[])`, [ids()]);
        if (rows[0].n === generator.ledger.size) storedAt = Date.now();
      }
      if (storedAt !== null) {
        const { rows } = await pool.query(`
          SELECT
            (SELECT count(*) FROM line_state_changes_outbox WHERE published_at IS NULL)::int AS unpublished,
            (SELECT count(*) FROM line_state_changes_outbox o WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.change_id = o.change_id))::int AS unalerted,
            (SELECT count(*) FROM alert_deliveries WHERE status <> 'sent')::int AS unsent,
            (SELECT array_agg(alert_id::text) FROM alerts WHERE status <> 'held') AS alerts`);
        const alerts: string[] = rows[0].alerts ?? [];
        if (
          rows[0].unpublished === 0 &&
          rows[0].unalerted === 0 &&
          rows[0].unsent === 0 &&
          alerts.every((id) => receiver.delivered.has(id))
        ) {
          deliveredAt = Date.now();
        }
      }
    } catch {
      // the database may still be coming back
    }
    if (deliveredAt === null) await new Promise((resolve) => setTimeout(resolve, 250)); // polling interval
  }
  return {
    storedAfterMs: storedAt === null ? null : storedAt - since,
    deliveredAfterMs: deliveredAt === null ? null : deliveredAt - since,
  };
}

export interface CheckResult {
  readonly acknowledged: number;
  readonly stored: number;
  readonly missing: number;
  readonly duplicateRows: number;
  readonly lines: number;
  readonly wrongState: number;
  readonly brokenChains: number;
  readonly backwards: number;
  readonly changes: number;
  readonly alerts: number;
  readonly changesWithoutOneAlert: number;
  readonly undelivered: number;
  readonly duplicateDeliveries: number;
  readonly rejected: number;
  /** What failed, in words (empty: passed). */
  readonly problems: string[];
}

export interface CheckOptions {
  /** Reports were sent out of event-time order on purpose: a change may go back in event time (a late one). */
  readonly reordered?: boolean;
}

interface ChangeRow {
  line_id: string;
  from: string | null;
  to: string;
  at: Date;
  late: boolean;
  change_id: string;
}

/** The checks, against the database and the receiver, after `drain`. */
export async function check(
  pool: Pool,
  generator: LoadGenerator,
  receiver: WebhookReceiver,
  options: CheckOptions = {},
): Promise<CheckResult> {
  const problems: string[] = [];
  const ledger = [...generator.ledger.values()];
  const storedIds = new Set<string>(
    (await pool.query(`SELECT event_id::text AS id FROM intel_event_ids`)).rows.map((r: { id: string }) => r.id),
  );
  const missing = ledger.filter((e) => !storedIds.has(e.eventId));
  if (missing.length > 0)
    problems.push(
      `${missing.length} acknowledged events not stored (e.g. ${missing
        .slice(0, 3)
        .map((e) => e.eventId)
        .join(', ')})`,
    );

  const { rows: dupRows } = await pool.query(`
    SELECT (SELECT count(*) - count(DISTINCT event_id) FROM intel_events)::int AS events,
           (SELECT count(*) - count(DISTINCT event_id) FROM intel_event_ids)::int AS ids`);
  const duplicateRows = dupRows[0].events + dupRows[0].ids;
  if (duplicateRows > 0) problems.push(`${duplicateRows} duplicate event rows`);

  // The model: each line's latest event in event time decides its state.
  const latest = new Map<string, LedgerEntry>();
  for (const entry of ledger) {
    const known = latest.get(entry.lineId);
    if (!known || entry.occurredAt > known.occurredAt) latest.set(entry.lineId, entry);
  }
  const states = new Map<string, string | null>(
    (await pool.query(`SELECT line_id, state FROM lines WHERE line_id = ANY($1::text[])`, [[...latest.keys()]])).rows.map(
      (r: { line_id: string; state: string | null }) => [r.line_id, r.state],
    ),
  );
  let wrongState = 0;
  for (const [lineId, entry] of latest) {
    const expected = entry.type === 'line.sighting' ? 'active' : 'disrupted';
    if (states.get(lineId) !== expected) {
      wrongState += 1;
      if (wrongState <= 3)
        problems.push(`line ${lineId} is ${states.get(lineId) ?? 'missing'}, its latest event (#${entry.seq}) says ${expected}`);
    }
  }
  if (wrongState > 3) problems.push(`… ${wrongState} lines in the wrong state in all`);

  // Each line's changes, in the order the tracker emitted them: one unbroken chain ending in its state.
  const changes = (
    await pool.query(`
      SELECT line_id, change_id::text, payload->>'from' AS "from", payload->>'to' AS "to", (payload->>'at')::timestamptz AS at,
             (payload->>'late')::boolean AS late
      FROM line_state_changes_outbox ORDER BY seq`)
  ).rows as ChangeRow[];
  const byLine = new Map<string, ChangeRow[]>();
  for (const change of changes) byLine.set(change.line_id, [...(byLine.get(change.line_id) ?? []), change]);
  let brokenChains = 0;
  let backwards = 0;
  for (const [lineId, chain] of byLine) {
    const broken =
      chain.some((c, i) => (i === 0 ? c.from !== null : c.from !== chain[i - 1].to)) || chain.at(-1)?.to !== states.get(lineId);
    if (broken) {
      brokenChains += 1;
      if (brokenChains <= 3)
        problems.push(`line ${lineId}: changes do not chain: ${chain.map((c) => `${c.from ?? '∅'}→${c.to}`).join(', ')}`);
    }
    if (!options.reordered) {
      const back = chain.some((c, i) => i > 0 && (c.at.getTime() < chain[i - 1].at.getTime() || c.late));
      if (back) {
        backwards += 1;
        if (backwards <= 3) problems.push(`line ${lineId}: a change went back in event time with reports sent in order`);
      }
    }
  }
  const linesWithEvents = new Set(latest.keys());
  const silent = [...linesWithEvents].filter((id) => !byLine.has(id));
  if (silent.length > 0) problems.push(`${silent.length} lines with events but no state change at all`);

  // Exactly one alert per change (every line here has one area, hence one team), each delivered
  // unless held (not pushed: a first record already dormant or closed; docs/alerts.md "Alert noise").
  const alerts = (await pool.query(`SELECT alert_id::text, change_id::text, status FROM alerts`)).rows as {
    alert_id: string;
    change_id: string;
    status: string;
  }[];
  const perChange = new Map<string, number>();
  for (const alert of alerts) perChange.set(alert.change_id, (perChange.get(alert.change_id) ?? 0) + 1);
  const changesWithoutOneAlert = changes.filter((c) => perChange.get(c.change_id) !== 1).length;
  if (changesWithoutOneAlert > 0) problems.push(`${changesWithoutOneAlert} state changes without exactly one alert`);
  const undelivered = alerts.filter((a) => a.status !== 'held' && !receiver.delivered.has(a.alert_id)).length;
  if (undelivered > 0) problems.push(`${undelivered} alerts never delivered to the webhook receiver`);
  if (generator.rejected.length > 0)
    problems.push(`ingest rejected ${generator.rejected.length} events: ${generator.rejected[0].code} ${generator.rejected[0].message}`);

  return {
    acknowledged: ledger.length,
    stored: storedIds.size,
    missing: missing.length,
    duplicateRows,
    lines: latest.size,
    wrongState,
    brokenChains,
    backwards,
    changes: changes.length,
    alerts: alerts.length,
    changesWithoutOneAlert,
    undelivered,
    duplicateDeliveries: receiver.duplicates,
    rejected: generator.rejected.length,
    problems,
  };
}
