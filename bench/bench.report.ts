/** The results as a Markdown table: each figure beside its baseline or target and the ratio. */
/* eslint-disable @typescript-eslint/no-explicit-any -- the results object is assembled by the scenarios */
const n = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : x.toLocaleString('en-GB'));
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');

export function renderMarkdown(results: Record<string, any>): string {
  const rows: string[][] = [];
  const t = results.throughput;
  if (t) {
    const limit = Math.min(t.rawConsume.perSecond, t.batchedInsert.perSecond);
    rows.push([
      `Ingest throughput, ${n(t.events)} events / ${n(t.lines)} lines (stored, states, ${n(t.pipeline.stateChanges)} changes published)`,
      `${n(t.pipeline.perSecond)} events/s`,
      `min(raw consume ${n(t.rawConsume.perSecond)}/s, batched insert ${n(t.batchedInsert.perSecond)}/s) = ${n(limit)}/s`,
      `${t.ratio.toFixed(3)} (target ≥ 0.5: ${verdict(t.ratio >= 0.5)})`,
    ]);
    for (const [service, r] of Object.entries<any>(t.rss)) {
      rows.push([
        `Memory: ${service} RSS during (1)`,
        `peak ${n(r.peakMb)} MB`,
        `at 10%: ${n(r.atTenPercentMb)} MB`,
        `at 100%: ${n(r.atEndMb)} MB (${r.atTenPercentMb ? (r.atEndMb / r.atTenPercentMb).toFixed(2) : '–'}×)`,
      ]);
    }
  }
  const b = results.throughputByNumber;
  if (b) {
    const limit = Math.min(b.rawConsume.perSecond, b.batchedInsert.perSecond);
    const how = Object.entries<number>(b.byNumber?.how ?? {})
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(', ');
    rows.push([
      `Ingest throughput, same sizes, ${n(b.byNumber?.events)} events (${Math.round((b.byNumber?.share ?? 0) * 100)} %) naming the line by number only, resolved by the tracker (${how}; ${n(b.byNumber?.onOwnLine)} on the line holding the number)`,
      `${n(b.pipeline.perSecond)} events/s`,
      `min(raw consume ${n(b.rawConsume.perSecond)}/s, batched insert ${n(b.batchedInsert.perSecond)}/s) = ${n(limit)}/s`,
      `${b.ratio.toFixed(3)}${t ? ` (by id: ${t.ratio.toFixed(3)}; by number / by id: ${(b.ratio / t.ratio).toFixed(2)}×)` : ''}`,
    ]);
  }
  const c = results.throughputCluster;
  if (c) {
    const limit = Math.min(c.rawConsume.perSecond, c.batchedInsert.perSecond);
    const produce = (r: any) => Math.round(r.events / r.produceSeconds);
    rows.push([
      `Ingest throughput, same sizes, on a cluster of three brokers (three copies, min ISR 2, acks=all)`,
      `${n(c.pipeline.perSecond)} events/s (produce ${n(produce(c))}/s)`,
      `min(raw consume ${n(c.rawConsume.perSecond)}/s, batched insert ${n(c.batchedInsert.perSecond)}/s) = ${n(limit)}/s`,
      `${c.ratio.toFixed(3)}${t ? ` (one broker: ${n(t.pipeline.perSecond)} events/s, produce ${n(produce(t))}/s, ratio ${t.ratio.toFixed(3)}; three / one: pipeline ${(c.pipeline.perSecond / t.pipeline.perSecond).toFixed(2)}×, produce ${(produce(c) / produce(t)).toFixed(2)}×)` : ''}`,
    ]);
  }
  const l = results.alertLatency;
  if (l) {
    rows.push([
      `Alert latency, Kafka ack → webhook (${n(l.n)} reactivations, background ${n(l.backgroundAchievedPerSecond)} events/s)`,
      `p50 ${n(l.p50)} ms, p95 ${n(l.p95)} ms, p99 ${n(l.p99)} ms; stage medians ack → tracked ${n(l.stagesP50.ackToTrackedMs)}, ` +
        `→ published ${n(l.stagesP50.trackedToPublishedMs)}, → raised ${n(l.stagesP50.publishedToRaisedMs)}, → sent ${n(l.stagesP50.raisedToSentMs)} ms`,
      'polled SQL alert rules: ≥ 60,000 ms',
      `p99 target < 500 ms (issue 20; was < 1,000 ms): ${verdict(l.p99 < 500)}`,
    ]);
  }
  const q = results.statusQueries;
  if (q) {
    for (const [name, p] of [
      ['"lines in area X now" (officer, 100 per page)', q.linesInArea],
      ['"timeline of line Y" (periods + 100 recent events)', q.timelineOfLine],
    ] as const) {
      rows.push([
        `Status query ${name}, ${n(results.sizes.queryLines)} lines / ${n(results.sizes.queryEvents)} events, over HTTP incl. auth and the s.62 entry`,
        `p50 ${n(p.p50)} ms, p99 ${n(p.p99)} ms`,
        'target p99 ≤ 15 ms',
        verdict(p.p99 <= 15),
      ]);
    }
  }
  if (q?.lookup) {
    for (const [name, p] of [
      ['"lookup by number", analyst', q.lookup.overHttp.analyst],
      ['"lookup by number", officer of Bath', q.lookup.overHttp.officer],
    ] as const) {
      rows.push([
        `Status query ${name}, ${n(results.sizes.queryLines)} lines / ${n(q.lookup.intervals)} intervals, over HTTP incl. auth and the s.62 entry (GET /v1/identifiers)`,
        `p50 ${n(p.p50)} ms, p99 ${n(p.p99)} ms`,
        'target p99 ≤ 15 ms',
        verdict(p.p99 <= 15),
      ]);
    }
    for (const [name, p] of [
      ['"lookup by number", analyst (every line that held it, with the intervals)', q.lookup.analyst],
      ['"lookup by number", officer (own areas, no handling-C identifiers)', q.lookup.officer],
      ['"which line held this number at t" (intake\'s attribution read)', q.lookup.attribute],
    ] as const) {
      rows.push([
        `Status query ${name}, ${n(results.sizes.queryLines)} lines / ${n(q.lookup.intervals)} intervals, on the database alone (LineIdentityRepository, what GET /v1/identifiers calls)`,
        `p50 ${n(p.p50)} ms, p99 ${n(p.p99)} ms`,
        'target p99 ≤ 15 ms',
        verdict(p.p99 <= 15),
      ]);
    }
  }
  if (q?.parts) {
    rows.push([
      '… of which, straight on the database: the 100 most recent events of the line / the s.62 consultation entry',
      `p50 ${n(q.parts.recentEvents.p50)} / ${n(q.parts.consultationAppend.p50)} ms, p99 ${n(q.parts.recentEvents.p99)} / ${n(q.parts.consultationAppend.p99)} ms`,
      '',
      '',
    ]);
  }
  const s = results.sseFanOut;
  if (s) {
    rows.push([
      `SSE fan-out: ${n(s.clients)} clients × ${n(s.changes)} changes`,
      `p50 ${n(s.deliveryMs.p50)} ms, p99 ${n(s.deliveryMs.p99)} ms`,
      `${n(s.deliveryMs.n)} deliveries`,
      '',
    ]);
  }
  const e = results.weeklyExport;
  if (e) {
    rows.push([
      `Weekly export, 5 years (${n(e.rows)} rows) over ${n(results.sizes.queryEvents)} events`,
      `warm p50 ${n(e.warmMs.p50)} ms (first, refreshing everything: ${n(e.coldMs)} ms)`,
      `same figures from raw rows: ${n(e.rawMs)} ms`,
      `${e.speedup}× (target ≥ 20× and < 1 s: ${verdict(e.speedup >= 20 && e.warmMs.p50 < 1000)})`,
    ]);
  }
  const w = results.sweep;
  if (w) {
    rows.push([
      `Dormancy sweep, ${n(w.lines)} lines due`,
      `${n(w.sweepSeconds)} s (${n(w.linesPerSecond)} lines/s)`,
      `${n(w.msPerBatch)} ms per transaction of ${n(w.batch)}`,
      '',
    ]);
  }
  const x = results.erasure;
  if (x) {
    rows.push([
      `Erasure of ${n(x.lines)} lines × ${n(x.eventsPerLine)} events (the job: ${n(x.transactions)} transactions of ≤ ${n(x.batchRows)} rows, tombstones, counts, s.62 entries)`,
      `${n(x.jobMs)} ms`,
      `one plain DELETE of the same events: ${n(x.plainDeleteMs)} ms`,
      `${n(x.ratio)}× the plain DELETE`,
    ]);
  }
  const header = ['figure', 'measured', 'baseline / reference (same run)', 'ratio / target'];
  const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  return `# LineWatch benchmarks (${results.mode}, ${results.startedAt}, ${results.seconds} s)\n\nMachine: ${results.machine.cpus} cores, ${results.machine.memoryGb} GiB, ${results.machine.model}, Node ${results.machine.node}\n\n${table}\n`;
}
