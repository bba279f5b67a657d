/**
 * The fault scenarios of issue #9. Each runs the same way: a fresh world (topics, database,
 * Redis namespace) on the shared broker, PostgreSQL and Redis; ingest, tracker and alerter from
 * dist/; the generator's load; the fault, then its healing; the load stops, the backlog drains,
 * and the checker runs. The harness restarts a service only when the fault killed or stopped it
 * (what a supervisor does); a dependency going away must be survived by the services themselves.
 */
import { randomInt } from 'node:crypto';
import { KafkaPublisher, createKafka, readTopicSnapshot } from '@linewatch/messaging';
import type { RunningService } from '@linewatch/testing';
import { Sampler, check, drain, type CheckResult } from './fault.checker';
import { logger, type FaultStack, type ScenarioWorld } from './fault.stack';
import { LoadGenerator } from './load.generator';
import { WebhookReceiver } from './webhook.receiver';

export interface ScenarioContext {
  readonly stack: FaultStack;
  readonly world: ScenarioWorld;
  readonly generator: LoadGenerator;
  readonly receiver: WebhookReceiver;
  readonly sampler: Sampler;
  readonly quick: boolean;
  /** Note a fact for the report ("tracker killed at +4.2 s"). */
  note(text: string): void;
  /** Mark when the fault began and when it was healed (recovery is measured from the last heal). */
  faultStarted(): void;
  healed(): void;
}

export interface ScenarioDefinition {
  readonly name: string;
  readonly description: string;
  /** Runs in `npm test` (its quick form) as well as in `npm run faults`. */
  readonly inTestSuite: boolean;
  /** Extra environment for every service of the scenario. */
  readonly env?: (quick: boolean) => Record<string, string>;
  readonly generator?: { readonly reorder?: boolean; readonly duplicate?: boolean };
  /** Services that must have gone not-ready while the fault lasted. */
  readonly readinessRedFor?: readonly string[];
  /** Problems of its own beyond the common checks (empty: fine). */
  readonly verify?: (ctx: ScenarioContext, result: CheckResult) => Promise<string[]>;
  fault(ctx: ScenarioContext): Promise<void>;
}

export interface ScenarioReport {
  readonly name: string;
  readonly description: string;
  readonly passed: boolean;
  readonly problems: readonly string[];
  readonly notes: readonly string[];
  readonly check: CheckResult;
  readonly durationMs: number;
  /** ms from the fault's healing until the backlog was within a second of load (caught up). */
  readonly caughtUpMs: number | null;
  /** ms from the fault's healing until every acknowledged event was stored / every alert delivered (the load runs on after the healing). */
  readonly recoveryMs: number | null;
  readonly alertsRecoveredMs: number | null;
  readonly peakBacklog: number;
  readonly duplicatesRedelivered: number;
  readonly generatorRetries: number;
  readonly restarts: Record<string, number>;
}

/** Holding a fault for a while (a broker down for 10 s) is the fault itself, not synchronisation. */
const hold = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const LINES = 150;
const EVENTS_PER_SECOND = 150;

/** A dependency down for a while (the quick or the full length), then back. */
async function outage(
  ctx: ScenarioContext,
  down: () => unknown,
  up: () => Promise<unknown>,
  quickMs: number,
  fullMs: number,
): Promise<void> {
  await hold(3000);
  await down();
  ctx.faultStarted();
  await hold(ctx.quick ? quickMs : fullMs);
  await up();
  ctx.healed();
}

/** Kill, wait for the death, start again (the supervisor's part). */
async function killAndRestart(
  ctx: ScenarioContext,
  key: 'tracker' | 'alerter' | 'ingest',
  signal: 'SIGKILL' | 'SIGTERM',
): Promise<boolean> {
  const service = ctx.world.services.get(key) as RunningService;
  let orderly = false;
  if (signal === 'SIGKILL') {
    const closed = new Promise((resolve) => service.process.once('close', resolve));
    service.process.kill('SIGKILL');
    await closed;
  } else {
    orderly = await service.stop();
  }
  ctx.faultStarted();
  await ctx.world.start(key, service.name);
  ctx.healed();
  return orderly;
}

export const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'tracker-kill-9',
    description: 'the tracker killed with SIGKILL at random points mid-stream, restarted each time',
    inTestSuite: true,
    async fault(ctx) {
      const kills = ctx.quick ? 2 : 5;
      for (let i = 0; i < kills; i += 1) {
        await hold(randomInt(ctx.quick ? 1500 : 3000, ctx.quick ? 4000 : 10_000));
        await killAndRestart(ctx, 'tracker', 'SIGKILL');
        ctx.note(`kill ${i + 1}: ${ctx.generator.acknowledged} events acknowledged`);
      }
    },
  },
  {
    name: 'tracker-sigterm',
    description: 'graceful restarts of the tracker (SIGTERM drains the batch in hand and commits)',
    inTestSuite: false,
    // The orderly-shutdown line is logged at info.
    env: () => ({ LOG_LEVEL: 'info' }),
    async fault(ctx) {
      for (let i = 0; i < (ctx.quick ? 1 : 3); i += 1) {
        await hold(randomInt(2000, 6000));
        const orderly = await killAndRestart(ctx, 'tracker', 'SIGTERM');
        ctx.note(`restart ${i + 1}: ${orderly ? 'orderly shutdown reported' : 'NO orderly shutdown'}`);
        if (!orderly) throw new Error('the tracker did not report an orderly shutdown on SIGTERM');
      }
    },
  },
  ...[10, 60].map((seconds): ScenarioDefinition => ({
    name: `broker-kill-${seconds}s`,
    description: `the Kafka broker killed with SIGKILL and started again ${seconds} s later`,
    inTestSuite: seconds === 10,
    readinessRedFor: ['ingest', 'tracker', 'alerter'],
    async fault(ctx) {
      await hold(3000);
      await ctx.stack.kafka.kill9();
      ctx.faultStarted();
      await hold((ctx.quick ? Math.min(seconds, 10) : seconds) * 1000);
      await ctx.stack.kafka.start();
      ctx.healed();
    },
  })),
  {
    name: 'broker-pause',
    description: 'the broker paused (SIGSTOP) past the consumers’ session timeout, then resumed',
    inTestSuite: false,
    readinessRedFor: ['ingest'],
    // Past the session timeout (30 s by default, 6 s in the quick form).
    fault: (ctx) =>
      outage(
        ctx,
        () => ctx.stack.kafka.pause(),
        async () => ctx.stack.kafka.resume(),
        12_000,
        40_000,
      ),
  },
  {
    name: 'postgres-restart',
    description: 'PostgreSQL stopped (fast shutdown: connections cut) and started again',
    inTestSuite: true,
    readinessRedFor: ['ingest', 'tracker', 'alerter'],
    fault: (ctx) =>
      outage(
        ctx,
        () => ctx.stack.postgres.stop('fast'),
        () => ctx.stack.postgres.start(),
        6000,
        20_000,
      ),
  },
  {
    name: 'redis-stop',
    description: 'Redis stopped for a while, then started again empty',
    inTestSuite: false,
    readinessRedFor: ['ingest', 'tracker', 'alerter'],
    fault: (ctx) =>
      outage(
        ctx,
        () => ctx.stack.redis.stop(),
        () => ctx.stack.redis.start(),
        6000,
        20_000,
      ),
  },
  {
    name: 'redis-restart-empty',
    description: 'Redis killed and started again at once, empty (every throttle, cache and stream entry gone)',
    inTestSuite: true,
    fault: (ctx) =>
      outage(
        ctx,
        () => ctx.stack.redis.stop(),
        () => ctx.stack.redis.start(),
        0,
        0,
      ),
  },
  {
    name: 'poison',
    description: 'poison messages produced straight to intel.events.v1 among the flow (broken JSON, binary, invalid events)',
    inTestSuite: true,
    async fault(ctx) {
      await hold(2000);
      const producer = new KafkaPublisher(createKafka(ctx.stack.kafkaConfig(ctx.world.prefix), logger));
      const poison = [
        '{"eventId": "broken',
        '\u0000\u0001\u0002 not json',
        JSON.stringify({ eventId: 'not-a-uuid', type: 'line.sighting' }),
        '{"type":"line.sighting","lineId":"x","__proto__":{"polluted":true}}',
        '',
      ];
      const messages = Array.from({ length: 20 }, (_, i) => ({ key: ctx.generator.lineId(i % LINES), value: poison[i % poison.length] }));
      ctx.faultStarted();
      await producer.publish(ctx.world.topics.intelEvents, messages);
      await producer.disconnect();
      ctx.healed();
      ctx.note(`${messages.length} poison messages produced on the keys of live lines`);
    },
    async verify(ctx) {
      const kafka = createKafka(ctx.stack.kafkaConfig(ctx.world.prefix), logger);
      const letters = await readTopicSnapshot(kafka, ctx.world.topics.intelEventsDlq, { timeoutMs: 60_000 });
      return letters.length === 20 ? [] : [`${letters.length} dead letters, 20 poison messages sent`];
    },
  },
  ...(['fail500', 'hang'] as const).map((mode): ScenarioDefinition => ({
    name: `webhook-${mode === 'fail500' ? '500' : 'hang'}`,
    description:
      mode === 'fail500'
        ? 'the teams’ webhook receiver answers 500 for a while'
        : 'the teams’ webhook receiver accepts connections and never answers, for a while',
    inTestSuite: mode === 'fail500',
    async fault(ctx) {
      await hold(2000);
      ctx.receiver.setMode(mode);
      ctx.faultStarted();
      await hold(ctx.quick ? 12_000 : 30_000);
      ctx.receiver.setMode('ok');
      ctx.healed();
      ctx.note(`${ctx.receiver.refused} webhook requests refused or left hanging`);
    },
  })),
  {
    name: 'tracker-join-leave',
    description: 'a second tracker joins the consumer group and leaves again, over and over (rebalances)',
    inTestSuite: false,
    async fault(ctx) {
      const period = ctx.quick ? 6000 : 30_000;
      for (let i = 0; i < (ctx.quick ? 2 : 3); i += 1) {
        await hold(period / 2);
        ctx.faultStarted();
        const second = await ctx.world.start('tracker-2', 'tracker');
        await hold(period);
        await second.stop();
        ctx.healed();
      }
    },
  },
  {
    name: 'duplicated-reordered',
    description: 'input duplicated (the same events again, over HTTP and straight to Kafka) and reordered (late reports)',
    inTestSuite: true,
    generator: { reorder: true, duplicate: true },
    async fault(ctx) {
      const producer = new KafkaPublisher(createKafka(ctx.stack.kafkaConfig(ctx.world.prefix), logger));
      ctx.faultStarted();
      for (let i = 0; i < (ctx.quick ? 3 : 10); i += 1) {
        await hold(2000);
        // A replaying producer: acknowledged events written to the topic again, as they are.
        const sample = [...ctx.generator.ledger.values()].slice(-50);
        await producer.publish(
          ctx.world.topics.intelEvents,
          sample.map((e) => ({ key: e.lineId, value: JSON.stringify(e.event) })),
        );
      }
      await producer.disconnect();
      ctx.healed();
      ctx.note(`${ctx.generator.resent} events sent again over HTTP`);
    },
  },
];

/** Runs one scenario on the stack and checks it. */
export async function runScenario(stack: FaultStack, definition: ScenarioDefinition, quick: boolean): Promise<ScenarioReport> {
  const started = Date.now();
  // Quick: consumers' sessions time out in 6 s, so a killed member's partitions move on sooner.
  const sessions: Record<string, string> = quick ? { TRACKER_SESSION_TIMEOUT_MS: '6000', ALERTER_SESSION_TIMEOUT_MS: '6000' } : {};
  const world = await stack.world(definition.name, { ...sessions, ...definition.env?.(quick) });
  const receiver = new WebhookReceiver(world.hookPort);
  await receiver.start();
  const notes: string[] = [];
  try {
    await Promise.all([world.start('ingest', 'ingest'), world.start('tracker', 'tracker'), world.start('alerter', 'alerter')]);
    const generator = new LoadGenerator({
      ingestUrl: world.services.get('ingest')?.url as string,
      label: `${definition.name}-${started % 100_000}`,
      lines: LINES,
      eventsPerSecond: EVENTS_PER_SECOND,
      ...definition.generator,
    });
    const sampler = new Sampler(world.pool, generator, () => world.services);
    let faultFrom = 0;
    let healedAt = 0;
    const ctx: ScenarioContext = {
      stack,
      world,
      generator,
      receiver,
      sampler,
      quick,
      note: (text) => notes.push(`+${((Date.now() - started) / 1000).toFixed(1)} s ${text}`),
      faultStarted: () => {
        faultFrom = faultFrom || Date.now();
      },
      healed: () => {
        healedAt = Date.now();
      },
    };
    sampler.start();
    generator.start();
    const problems: string[] = [];
    try {
      await definition.fault(ctx);
    } catch (error) {
      problems.push(`the fault itself failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Load goes on a little after the healing, then stops; what was acknowledged must all arrive.
    await hold(quick ? 5000 : 15_000);
    await generator.stop();
    const afterHeal = [...generator.ledger.values()].filter((e) => e.ackedAt > healedAt).length;
    if (afterHeal === 0) problems.push('ingest acknowledged nothing after the fault was healed (intake did not recover)');
    notes.push(`${afterHeal} events acknowledged after the healing`);
    const times = await drain(world.pool, generator, receiver, healedAt || Date.now(), quick ? 120_000 : 300_000);
    await sampler.stop();
    const result = await check(world.pool, generator, receiver, { reordered: definition.generator?.reorder });
    problems.push(...result.problems);
    if (times.deliveredAfterMs === null) problems.push('the backlog did not drain (or alerts were not all delivered) before the deadline');
    for (const service of definition.readinessRedFor ?? []) {
      if (!sampler.wentRed(service, faultFrom, healedAt)) problems.push(`${service} stayed ready while the dependency was down`);
    }
    for (const [key, service] of world.services) {
      if (key !== 'tracker-2' && (service.process.exitCode !== null || service.process.signalCode !== null)) {
        problems.push(`${key} exited during the scenario: ${service.output.slice(-3).join(' | ')}`);
      }
    }
    if (definition.verify) problems.push(...(await definition.verify(ctx, result)));
    return {
      name: definition.name,
      description: definition.description,
      passed: problems.length === 0,
      problems,
      notes,
      check: result,
      durationMs: Date.now() - started,
      caughtUpMs: sampler.caughtUpAfter(healedAt || started, EVENTS_PER_SECOND),
      recoveryMs: times.storedAfterMs,
      alertsRecoveredMs: times.deliveredAfterMs,
      peakBacklog: sampler.peakBacklog,
      duplicatesRedelivered: sampler.duplicatesRedelivered,
      generatorRetries: generator.retries,
      restarts: Object.fromEntries(world.restarts),
    };
  } finally {
    await world.close();
    await receiver.stop();
  }
}
