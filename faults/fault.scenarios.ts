/**
 * The fault scenarios of issue #9. Each runs the same way: a fresh world (topics, database,
 * Redis namespace) on the shared broker, PostgreSQL and Redis; ingest, tracker and alerter from
 * dist/; the generator's load; the fault, then its healing; the load stops, the backlog drains,
 * and the checker runs. The harness restarts a service only when the fault killed or stopped it
 * (what a supervisor does); a dependency going away must be survived by the services themselves.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaPublisher, createKafka, describeTopic, readConsumerLag, readTopicSnapshot, type TopicView } from '@linewatch/messaging';
import { waitFor, type RunningService } from '@linewatch/testing';
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
  /** Runs on a cluster of three brokers (RF 3, min ISR 2) instead of the single broker; never in `npm test`. */
  readonly cluster?: boolean;
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

/** The intel topic's partitions now (leaders, in-sync copies, offsets); retried while the cluster is moving. */
async function intelTopic(ctx: ScenarioContext): Promise<TopicView> {
  const kafka = createKafka(ctx.stack.kafkaConfig(ctx.world.prefix), logger);
  return waitFor(() => describeTopic(kafka, ctx.world.topics.intelEvents), {
    what: 'the intel topic described',
    timeoutMs: 60_000,
    diagnose: false,
  });
}

/** The node leading the partition that holds the most messages (the busiest), and how many partitions it leads. */
async function busiestLeader(ctx: ScenarioContext): Promise<{ node: number; partition: number; leads: number }> {
  const { partitions } = await intelTopic(ctx);
  const busiest = [...partitions].filter((p) => p.leader >= 0).sort((a, b) => b.offset - a.offset)[0];
  if (!busiest) throw new Error('no partition of the intel topic has a leader');
  return { node: busiest.leader, partition: busiest.partition, leads: partitions.filter((p) => p.leader === busiest.leader).length };
}

/** Refusals (and their codes) the load met from `from` to `to`, e.g. "503 PUBLISH_FAILED ×12". */
function refusalsBetween(ctx: ScenarioContext, from: number, to: number): string {
  const counts = new Map<string, number>();
  for (const r of ctx.generator.refusals.filter((each) => each.at >= from && each.at <= to)) {
    const key =
      r.status === 0 ? 'no answer in 30 s' : `${r.status} ${r.code ?? '?'}${r.retryAfter ? ` (Retry-After ${r.retryAfter})` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts.size === 0 ? 'none' : [...counts].map(([key, n]) => `${key} ×${n}`).join(', ');
}

/** Events acknowledged between `from` and `to`. */
function acknowledgedBetween(ctx: ScenarioContext, from: number, to: number): number {
  let n = 0;
  for (const entry of ctx.generator.ledger.values()) if (entry.ackedAt >= from && entry.ackedAt <= to) n += 1;
  return n;
}

/** Until every partition of the intel topic has all its copies in sync again. */
async function inSyncAgain(ctx: ScenarioContext): Promise<number> {
  const started = Date.now();
  await waitFor(
    async () => {
      const { partitions } = await intelTopic(ctx);
      return partitions.every((p) => p.isr.length === p.replicas.length);
    },
    { what: 'every copy of the intel topic in sync again', timeoutMs: 120_000, intervalMs: 500, diagnose: false },
  );
  return Date.now() - started;
}

const CLUSTER_SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'cluster-leader-kill',
    description:
      'the broker leading the busiest partition of intel.events.v1 killed with SIGKILL, started again later (three brokers, RF 3, min ISR 2)',
    inTestSuite: false,
    cluster: true,
    async fault(ctx) {
      await hold(5000);
      const target = await busiestLeader(ctx);
      await ctx.stack.kafka.kill9(target.node);
      ctx.faultStarted();
      const killedAt = Date.now();
      ctx.note(`node ${target.node} killed: leader of partition ${target.partition} (the busiest) and of ${target.leads} of the 12`);
      await hold(ctx.quick ? 15_000 : 40_000);
      const led = await intelTopic(ctx);
      ctx.note(
        `while it was down: leaders ${[...new Set(led.partitions.map((p) => p.leader))].sort().join(', ')}, refusals: ${refusalsBetween(ctx, killedAt, Date.now())}`,
      );
      await ctx.stack.kafka.startNode(target.node);
      ctx.healed();
      ctx.note(`node ${target.node} back; every copy in sync ${((await inSyncAgain(ctx)) / 1000).toFixed(1)} s later`);
    },
  },
  {
    name: 'cluster-lose-one',
    description: 'one broker of three killed (SIGKILL) for good: the pipeline goes on with two (RF 3, min ISR 2)',
    inTestSuite: false,
    cluster: true,
    async fault(ctx) {
      await hold(5000);
      const target = await busiestLeader(ctx);
      await ctx.stack.kafka.kill9(target.node);
      ctx.faultStarted();
      const killedAt = Date.now();
      ctx.note(`node ${target.node} killed for good (leader of ${target.leads} partitions)`);
      const window = ctx.quick ? 25_000 : 60_000;
      await hold(window);
      // "Healed" here: the end of the window watched on two brokers; the node stays down until the scenario ends.
      ctx.healed();
      const lastHalf = acknowledgedBetween(ctx, killedAt + window / 2, Date.now());
      ctx.note(
        `on two brokers: ${acknowledgedBetween(ctx, killedAt, Date.now())} events acknowledged (${lastHalf} in the second half of the window), refusals: ${refusalsBetween(ctx, killedAt, Date.now())}`,
      );
      if (lastHalf === 0) throw new Error('intake acknowledged nothing on two brokers');
    },
  },
  {
    name: 'cluster-lose-two',
    description:
      'two brokers of three killed (SIGKILL): intake refuses with 503 and acknowledges nothing, and recovers when one comes back',
    inTestSuite: false,
    cluster: true,
    // The consumers' lifecycle (joins, rebalances, restarts) at info and where ingest's publishes
    // landed (partition@offset) at debug: what a failure here needs.
    env: () => ({ LOG_LEVEL: 'debug' }),
    async fault(ctx) {
      await hold(5000);
      const first = await busiestLeader(ctx);
      const second = ctx.stack.kafka.nodes.find((n) => n !== first.node) as number;
      await Promise.all([ctx.stack.kafka.kill9(first.node), ctx.stack.kafka.kill9(second)]);
      ctx.faultStarted();
      const killedAt = Date.now();
      ctx.note(`nodes ${first.node} and ${second} killed; node ${ctx.stack.kafka.running().join(', ')} alone (and no controller quorum)`);
      await hold(ctx.quick ? 20_000 : 45_000);
      const backAt = Date.now();
      const acknowledged = acknowledgedBetween(ctx, killedAt + 1000, backAt);
      const refusals = ctx.generator.refusals.filter((r) => r.at > killedAt && r.at <= backAt);
      const clear = refusals.filter((r) => r.status === 503 && r.code === 'PUBLISH_FAILED' && r.retryAfter !== null);
      ctx.note(`with one broker: ${acknowledged} events acknowledged; refusals: ${refusalsBetween(ctx, killedAt, backAt)}`);
      await ctx.stack.kafka.startNode(first.node);
      ctx.healed();
      ctx.note(
        `node ${first.node} back: ${((await waitFor(() => acknowledgedBetween(ctx, backAt, Date.now()) > 0 && Date.now() - backAt, { what: 'intake acknowledging again', timeoutMs: 120_000, diagnose: false })) / 1000).toFixed(1)} s to the first acknowledgement`,
      );
      const problems = [
        ...(acknowledged > 0 ? [`${acknowledged} events acknowledged with one broker of three (min ISR 2): not replicated`] : []),
        ...(clear.length === 0 ? ['intake never answered 503 PUBLISH_FAILED with Retry-After while two brokers were down'] : []),
        ...(refusals.some((r) => r.status !== 503)
          ? [`answers other than 503 while two brokers were down: ${refusalsBetween(ctx, killedAt, backAt)}`]
          : []),
      ];
      if (problems.length > 0) throw new Error(problems.join('; '));
    },
  },
  {
    name: 'cluster-controller-failover',
    description:
      'the active controller (the KRaft quorum leader) killed with SIGKILL: another takes over, the old one comes back as a follower',
    inTestSuite: false,
    cluster: true,
    async fault(ctx) {
      await hold(5000);
      const before = ctx.stack.kafka.quorumLeader();
      if (!before) throw new Error('no quorum leader known');
      await ctx.stack.kafka.kill9(before.leader);
      ctx.faultStarted();
      const killedAt = Date.now();
      const after = await waitFor(
        () => {
          const now = ctx.stack.kafka.quorumLeader();
          return now !== null && now.epoch > before.epoch && now.leader !== before.leader ? now : undefined;
        },
        { what: 'a new quorum leader', timeoutMs: 60_000, intervalMs: 100, diagnose: false },
      );
      ctx.note(
        `controller ${before.leader} (epoch ${before.epoch}) killed; node ${after.leader} leads from epoch ${after.epoch}, ${((Date.now() - killedAt) / 1000).toFixed(1)} s later`,
      );
      await hold(ctx.quick ? 10_000 : 30_000);
      ctx.note(`refusals meanwhile: ${refusalsBetween(ctx, killedAt, Date.now())}`);
      await ctx.stack.kafka.startNode(before.leader);
      ctx.healed();
      ctx.note(
        `node ${before.leader} back; every copy in sync ${((await inSyncAgain(ctx)) / 1000).toFixed(1)} s later; quorum leader ${ctx.stack.kafka.quorumLeader()?.leader}`,
      );
    },
  },
];

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
  ...CLUSTER_SCENARIOS,
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
    const replication = definition.cluster ? await replicationOf(stack, world) : null;
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
    if (times.deliveredAfterMs === null) {
      problems.push('the backlog did not drain (or alerts were not all delivered) before the deadline');
      notes.push(...(await postMortem(world, generator)));
    }
    for (const service of definition.readinessRedFor ?? []) {
      if (!sampler.wentRed(service, faultFrom, healedAt)) problems.push(`${service} stayed ready while the dependency was down`);
    }
    for (const [key, service] of world.services) {
      if (key !== 'tracker-2' && (service.process.exitCode !== null || service.process.signalCode !== null)) {
        problems.push(`${key} exited during the scenario: ${service.output.slice(-3).join(' | ')}`);
      }
    }
    if (definition.verify) problems.push(...(await definition.verify(ctx, result)));
    // What the services said (warnings and errors), kept after every run (a pass may hide a recovery
    // worth reading: a consumer started again): fault-results/logs/<scenario>-<service>.log.
    const logs = join(process.cwd(), 'fault-results', 'logs');
    mkdirSync(logs, { recursive: true });
    for (const [key, service] of world.services)
      writeFileSync(join(logs, `${definition.name}-${key}.log`), `${service.output.join('\n')}\n`);
    if (problems.length > 0) notes.push(`services' output in fault-results/logs/${definition.name}-*.log`);
    if (replication !== null) {
      notes.unshift(`topics made with ${replication.replicas} copies, min.insync.replicas ${replication.minInsync}`);
      if (replication.replicas !== 3 || replication.minInsync !== 2) {
        problems.push(
          `the intel topic has ${replication.replicas} copies and min ISR ${replication.minInsync} on three brokers (3 and 2 expected)`,
        );
      }
    }
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
    // A node a scenario killed for good comes back before the next one.
    if (definition.cluster) await stack.kafka.start();
  }
}

/** The replication the intel topic was made with (it follows the cluster). */
async function replicationOf(stack: FaultStack, world: ScenarioWorld): Promise<{ replicas: number; minInsync: number }> {
  const kafka = createKafka(stack.kafkaConfig(world.prefix), logger);
  const view = await waitFor(() => describeTopic(kafka, world.topics.intelEvents), {
    what: 'the intel topic described',
    timeoutMs: 60_000,
    diagnose: false,
  });
  return { replicas: Math.min(...view.partitions.map((p) => p.replicas.length)), minInsync: view.minInsyncReplicas };
}

/** CPU seconds a process has used (user + system), from /proc; null once it has gone. */
function cpuSecondsOf(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * What a stuck pipeline looks like from outside, for the notes: each service's readiness (does it
 * still answer at all?) and CPU over two seconds (spinning, or waiting?), and each consumer group's
 * state, members and lag as the brokers see them.
 */
async function postMortem(world: ScenarioWorld, generator: LoadGenerator): Promise<string[]> {
  const before = new Map([...world.services].map(([key, s]) => [key, cpuSecondsOf(s.process.pid)]));
  await hold(2000);
  const lines: string[] = [];
  for (const [key, service] of world.services) {
    const ready = await fetch(`${service.url}/health/ready`, { signal: AbortSignal.timeout(3000) })
      .then(async (r) => `${r.status} ${(await r.text()).slice(0, 200)}`)
      .catch((error: unknown) => `no answer (${error instanceof Error ? error.message : String(error)})`);
    const [from, to] = [before.get(key), cpuSecondsOf(service.process.pid)];
    const cpu = from === null || from === undefined || to === null ? 'gone' : `${Math.round(((to - from) / 2) * 100)} % CPU`;
    lines.push(`post-mortem ${key}: ready → ${ready}; ${cpu}`);
  }
  const kafka = createKafka(world.kafka, logger);
  const groups = [world.trackerGroup, 'linewatch-alerter'];
  const lag = await Promise.race([
    readConsumerLag(kafka, groups),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000).unref()),
  ]).catch(() => null);
  if (lag === null) lines.push('post-mortem groups: lag not readable within 15 s');
  for (const group of lag ?? [])
    lines.push(`post-mortem group ${group.groupId}: ${group.state}, ${group.members} member(s), lag ${group.lag}`);
  // Acknowledged and not stored: are they in Kafka at all (lost by the brokers or the producer), and where?
  const stored = new Set(
    (await world.pool.query<{ id: string }>('SELECT event_id::text AS id FROM intel_event_ids')).rows.map((r) => r.id),
  );
  const missing = new Set([...generator.ledger.values()].filter((e) => !stored.has(e.eventId)).map((e) => e.eventId));
  if (missing.size > 0) {
    const messages = await readTopicSnapshot(kafka, world.topics.intelEvents, { timeoutMs: 60_000 }).catch(() => null);
    if (messages === null) lines.push('post-mortem topic: not readable within 60 s');
    const inTopic = new Map<number, bigint[]>();
    for (const m of messages ?? []) {
      const id = (JSON.parse(m.value?.toString('utf8') ?? '{}') as { eventId?: string }).eventId;
      if (id && missing.has(id)) inTopic.set(m.partition, [...(inTopic.get(m.partition) ?? []), BigInt(m.offset)]);
    }
    const view = await describeTopic(kafka, world.topics.intelEvents).catch(() => null);
    lines.push(
      `post-mortem topic partitions: ${view?.partitions.map((p) => `p${p.partition} leader ${p.leader} isr [${p.isr.join(',')}] high ${p.offset}`).join('; ') ?? 'not readable'}`,
    );
    const found = [...inTopic.values()].reduce((n, offsets) => n + offsets.length, 0);
    lines.push(
      `post-mortem topic: ${messages?.length ?? '?'} messages; of ${missing.size} missing events ${found} are in it` +
        [...inTopic]
          .map(([partition, offsets]) => `; p${partition}: ${offsets.length} at offsets ${offsets[0]}…${offsets.at(-1)}`)
          .join(''),
    );
  }
  return lines;
}
