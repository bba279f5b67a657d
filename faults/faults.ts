/**
 * `npm run faults [-- --quick] [--only a,b]`: every fault scenario of issue #9 against the real
 * stack on this machine (a broker, PostgreSQL and Redis of the harness's own, the services from
 * dist/), each checked by the Jepsen-style checker. Prints a table, writes fault-results/<mode>-
 * <time>.json and .md, and exits 1 if any scenario lost, duplicated or failed to deliver anything.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { FaultStack } from './fault.stack';
import { SCENARIOS, runScenario, type ScenarioReport } from './fault.scenarios';

/**
 * Ports of the harness's own processes (none shared with npm start, the tests or the benchmarks).
 * The cluster's three nodes take kafka … kafka + 5 (client and controller ports in turn).
 */
export const FAULT_PORTS = { kafka: 28092, postgres: 28432, redis: 28379, services: 28100 };

export function renderMarkdown(reports: readonly ScenarioReport[], mode: string): string {
  const s = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
  const lines = [
    `# Fault scenarios (${mode}), ${new Date().toISOString()}`,
    '',
    'Times from the healing of the fault: caught up (backlog within a second of load), all stored and all alerts delivered (the load runs on after the healing, so these include its last events).',
    '',
    '| scenario | result | acknowledged | missing | duplicate rows | wrong state | broken chains | changes | alerts | undelivered | redelivered (dropped) | duplicate deliveries | peak backlog | caught up | all stored | all alerts delivered |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...reports
      .map((r) =>
        [
          r.name,
          r.passed ? 'pass' : '**FAIL**',
          r.check.acknowledged,
          r.check.missing,
          r.check.duplicateRows,
          r.check.wrongState,
          r.check.brokenChains,
          r.check.changes,
          r.check.alerts,
          r.check.undelivered,
          r.duplicatesRedelivered,
          r.check.duplicateDeliveries,
          r.peakBacklog,
          s(r.recoveryMs),
          s(r.alertsRecoveredMs),
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
    '',
    ...reports.flatMap((r) => [
      `- **${r.name}**: ${r.description}. ${r.notes.join('; ')}${r.problems.length ? ` — problems: ${r.problems.join('; ')}` : ''}`,
    ]),
  ];
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<number> {
  const options = new Command()
    .option('--quick', 'short faults (about 40 s a scenario)')
    .option('--only <scenarios>', `comma-separated: ${SCENARIOS.map((s) => s.name).join(',')}`)
    .option('--cluster', 'every cluster-… scenario (three brokers); without it or --only, the single-broker ones')
    .option('--port-offset <n>', 'added to every port of the harness (two runs side by side)', '0')
    .parse(process.argv)
    .opts<{ quick?: boolean; only?: string; cluster?: boolean; portOffset: string }>();
  const quick = options.quick === true;
  const only = options.only?.split(',').map((s) => s.trim());
  const chosen = SCENARIOS.filter((s) => (only ? only.includes(s.name) : (s.cluster === true) === (options.cluster === true)));
  if (chosen.length === 0) throw new Error(`no scenario named ${options.only}`);
  const mode = quick ? 'quick' : 'full';
  const offset = Number(options.portOffset);
  const ports = Object.fromEntries(Object.entries(FAULT_PORTS).map(([name, port]) => [name, port + offset])) as typeof FAULT_PORTS;
  const reports: ScenarioReport[] = [];
  const dir = join(process.cwd(), 'fault-results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  // The single-broker scenarios on one broker, the cluster ones on three: a stack for each group.
  for (const group of [chosen.filter((s) => !s.cluster), chosen.filter((s) => s.cluster)]) {
    if (group.length === 0) continue;
    const cluster = group[0].cluster === true;
    const stack = new FaultStack(ports, cluster ? 3 : 1);
    try {
      console.log(`faults: starting the harness's ${cluster ? 'three-broker Kafka cluster' : 'broker'}, PostgreSQL and Redis`);
      await stack.start();
      for (const scenario of group) {
        console.log(`faults: ${scenario.name} — ${scenario.description}`);
        const report = await runScenario(stack, scenario, quick);
        reports.push(report);
        console.log(
          `faults: ${scenario.name} ${report.passed ? 'passed' : 'FAILED'} in ${(report.durationMs / 1000).toFixed(0)} s: ` +
            `${report.check.acknowledged} acknowledged, ${report.check.missing} missing, ${report.check.duplicateRows} duplicate rows, ` +
            `${report.check.changes} changes, ${report.check.alerts} alerts, ${report.check.undelivered} undelivered` +
            (report.notes.length ? `\n  ${report.notes.join('\n  ')}` : '') +
            (report.problems.length ? `\n  ${report.problems.join('\n  ')}` : ''),
        );
        writeFileSync(join(dir, `${mode}-${stamp}.json`), JSON.stringify(reports, null, 2));
        writeFileSync(join(dir, `${mode}-${stamp}.md`), renderMarkdown(reports, mode));
      }
    } finally {
      await stack.stop();
    }
  }
  console.log(renderMarkdown(reports, mode));
  return reports.every((r) => r.passed) ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
