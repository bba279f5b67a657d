/**
 * The short versions of the fault scenarios (issue #9): the same harness as `npm run faults`
 * (faults/), quick form, for the scenarios marked `inTestSuite`. Each breaks something under load
 * — the tracker killed, the broker killed, PostgreSQL restarted, Redis emptied, poison, a failing
 * receiver, duplicated and reordered input — and the checker proves nothing acknowledged was lost
 * or stored twice, every line ends in the state its events decide, each state change raised one
 * alert and every alert was delivered. The long forms and the rest run in `npm run faults`.
 */
import { FaultStack } from '../faults/fault.stack';
import { SCENARIOS, runScenario } from '../faults/fault.scenarios';

/** Ports of this suite's own broker, PostgreSQL, Redis and services (not FAULT_PORTS: npm run faults may run beside it). */
const PORTS = { kafka: 26500, postgres: 26532, redis: 26579, services: 26510 };

describe('faults (short versions)', () => {
  const stack = new FaultStack(PORTS);

  beforeAll(async () => {
    await stack.start();
  }, 180_000);

  afterAll(async () => {
    await stack.stop();
  }, 60_000);

  it.each(SCENARIOS.filter((s) => s.inTestSuite).map((s) => [s.name, s] as const))(
    '%s: nothing lost, nothing twice, every alert delivered',
    async (_name, scenario) => {
      const report = await runScenario(stack, scenario, true);
      console.log(
        `${report.name}: ${report.check.acknowledged} acknowledged, ${report.check.changes} changes, ${report.check.alerts} alerts; ` +
          `peak backlog ${report.peakBacklog}, caught up ${report.caughtUpMs} ms after the healing, all stored ${report.recoveryMs} ms (alerts ${report.alertsRecoveredMs} ms), ` +
          `${report.duplicatesRedelivered} redelivered and dropped; ${report.notes.join('; ')}`,
      );
      expect({ problems: report.problems, acknowledged: report.check.acknowledged > 200 }).toEqual({ problems: [], acknowledged: true });
    },
    300_000,
  );
});
