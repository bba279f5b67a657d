/**
 * (2) Alert latency: from Kafka's acknowledgement of an event to the webhook receiving the alert it
 * causes, at a background load of ~1,000 events/s. Each probe reactivates a dormant line (severity
 * high: sent at once, never held for a digest).
 */
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { IntelEventInput } from '@linewatch/contracts';
import { waitFor } from '@linewatch/testing';
import { benchLineIdentity, fictionalNumber, nationalForm } from './bench.numbers';
import type { BenchStack } from './bench.stack';

const DAY = 24 * 60 * 60 * 1000;

export interface Percentiles {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const round = (x: number) => Math.round(x * 10) / 10;
  return { n: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? NaN) };
}

/** A webhook receiver noting when each line's alert arrived. */
export async function startHookReceiver(port: number): Promise<{ server: Server; arrivals: Map<string, number> }> {
  const arrivals = new Map<string, number>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const at = performance.now();
      const text = Buffer.concat(chunks).toString('utf8');
      for (const match of text.matchAll(/PROBE-[0-9a-f]{8}/g)) if (!arrivals.has(match[0])) arrivals.set(match[0], at);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, arrivals };
}

/**
 * A sighting of line `lineId` naming the line's own number and brand (`identity`): as in (1), each
 * line keeps its identity, so a background sighting changes nothing but the line's last sighting.
 * (Until session 9 every sighting here named one number and the brand "Probe": each of the 5,000
 * lines then gained a number and a brand in the probes' window — a recomputation of its identity
 * and a replacement-suggestion check against 200 dormant "Probe" lines each — and that, not the
 * alert path, was what the probes waited for: p50 44.6 s.)
 */
const sighting = (lineId: string, occurredAt: Date, identity: { msisdn: string; brand: string }, area = 'bath'): IntelEventInput =>
  ({
    eventId: randomUUID(),
    type: 'line.sighting',
    occurredAt: occurredAt.toISOString(),
    area,
    grading: { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' },
    source: { system: 'bench', reference: 'latency' },
    lineId,
    body: { kind: 'call_data', brand: identity.brand, msisdn: identity.msisdn },
  }) as IntelEventInput;

export async function runLatency(
  stack: BenchStack,
  arrivals: Map<string, number>,
  options: { probes: number; backgroundPerSecond: number; backgroundLines: number },
): Promise<Percentiles & { backgroundAchievedPerSecond: number; stagesP50: Record<string, number> }> {
  const send = (events: IntelEventInput[]) =>
    stack.producer.publish(
      stack.topics.intelEvents,
      events.map((e) => ({ key: (e as { lineId: string }).lineId, value: JSON.stringify(e) })),
    );
  // Probe lines: sighted 40 days ago, dormant by now (window 28 days).
  const probes = Array.from({ length: options.probes }, () => `PROBE-${randomUUID().slice(0, 8)}`);
  // Numbers past the background lines' (line k of (1) holds fictionalNumber(k)), a brand each.
  const probeIdentity = new Map(
    probes.map((id, i) => [id, { msisdn: nationalForm(fictionalNumber(options.backgroundLines + i)), brand: `Probe ${id}` }]),
  );
  await send(probes.map((id) => sighting(id, new Date(Date.now() - 40 * DAY), probeIdentity.get(id)!)));
  await waitFor(
    async () =>
      (await stack.db.pool.query(`SELECT count(*)::int AS n FROM lines WHERE line_id = ANY($1) AND state = 'dormant'`, [probes])).rows[0]
        .n === probes.length || undefined,
    { what: 'the probe lines dormant', timeoutMs: 120_000, intervalMs: 250 },
  );
  // Their first records are already dormant: recorded as held alerts, pushed to nobody (issue 18, "Alert
  // noise"). Wait until the alerter has recorded every one, so that nothing of them is in flight while
  // the reactivations are measured.
  await waitFor(
    async () =>
      (
        await stack.db.pool.query(`SELECT count(DISTINCT line_id)::int AS n FROM alerts WHERE line_id = ANY($1) AND status = 'held'`, [
          probes,
        ])
      ).rows[0].n === probes.length || undefined,
    { what: "the probes' first records held by the alerter", timeoutMs: 120_000, intervalMs: 250 },
  );
  arrivals.clear();

  let background = true;
  let sent = 0;
  const backgroundStarted = performance.now();
  const load = (async () => {
    const tick = 100;
    const perTick = Math.round((options.backgroundPerSecond * tick) / 1000);
    let next = performance.now();
    while (background) {
      const events = Array.from({ length: perTick }, () => {
        const k = Math.floor(Math.random() * options.backgroundLines);
        return sighting(`BL-${String(k).padStart(6, '0')}`, new Date(Date.now() - 60_000), benchLineIdentity(k));
      });
      await send(events);
      sent += events.length;
      next += tick;
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
  })();

  const acked = new Map<string, number>();
  const ackedWall = new Map<string, number>();
  for (const id of probes) {
    await send([sighting(id, new Date(Date.now() - 1000), probeIdentity.get(id)!)]);
    acked.set(id, performance.now());
    ackedWall.set(id, Date.now());
    await new Promise((r) => setTimeout(r, 150));
  }
  await waitFor(() => probes.every((id) => arrivals.has(id)) || undefined, { what: 'every probe alert', timeoutMs: 120_000 });
  background = false;
  await load;
  const achieved = Math.round(sent / ((performance.now() - backgroundStarted) / 1000));
  // Where the time went, per stage (database clocks: the same machine).
  const { rows } = await stack.db.pool.query(
    `SELECT o.line_id, extract(epoch FROM o.created_at) * 1000 AS tracked, extract(epoch FROM o.published_at) * 1000 AS published,
            extract(epoch FROM a.raised_at) * 1000 AS raised,
            (SELECT extract(epoch FROM min(t.attempted_at)) * 1000 FROM alert_deliveries d JOIN alert_delivery_attempts t USING (delivery_id)
             WHERE d.alert_id = a.alert_id) AS sent
     FROM line_state_changes_outbox o JOIN alerts a ON a.change_id = o.change_id
     WHERE o.line_id = ANY($1) AND o.payload->>'kind' = 'reactivated'`,
    [probes],
  );
  const stage = (f: (r: Record<string, number>) => number) => percentiles(rows.map((r) => f(r as Record<string, number>))).p50;
  const stages = {
    ackToTrackedMs: stage((r) => Number(r.tracked) - ackedWall.get(r.line_id as unknown as string)!),
    trackedToPublishedMs: stage((r) => Number(r.published) - Number(r.tracked)),
    publishedToRaisedMs: stage((r) => Number(r.raised) - Number(r.published)),
    raisedToSentMs: stage((r) => Number(r.sent) - Number(r.raised)),
  };
  return {
    ...percentiles(probes.map((id) => arrivals.get(id)! - acked.get(id)!)),
    backgroundAchievedPerSecond: achieved,
    stagesP50: stages,
  };
}
