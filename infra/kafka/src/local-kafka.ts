import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Drives infra/kafka/kafka.sh (the local broker, or a local cluster of three) from Node. */
export interface LocalKafkaOptions {
  readonly stateDir: string;
  /** Client port of node 1; node N listens on port + 2(N-1). */
  readonly port?: number;
  /** Controller port of node 1 (default: port + 1); node N's is controllerPort + 2(N-1). */
  readonly controllerPort?: number;
  /** 1 (one broker, the default) or 3 (a cluster: three broker+controller nodes, one KRaft quorum). */
  readonly nodes?: 1 | 3;
  /** Where kafka.sh's own messages go; the broker's log stays in stateDir. */
  readonly stdio?: 'inherit' | 'ignore';
}

/** The script sits beside the sources; from dist/ it is found by walking up to the checkout. */
function findScript(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'infra', 'kafka', 'kafka.sh');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`infra/kafka/kafka.sh not found above ${from}`);
  }
}

const SCRIPT = findScript(__dirname);

type Command = 'start' | 'stop' | 'status' | 'start-node' | 'stop-node' | 'kill-node';

function run(command: Command, options: LocalKafkaOptions, node?: number): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const port = options.port ?? 9092;
    const child = spawn('bash', [SCRIPT, command, ...(node === undefined ? [] : [String(node)])], {
      stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit'],
      env: {
        ...process.env,
        KAFKA_STATE_DIR: options.stateDir,
        KAFKA_NODES: String(options.nodes ?? 1),
        KAFKA_PORT: String(port),
        KAFKA_CONTROLLER_PORT: String(options.controllerPort ?? port + 1),
      },
    });
    child.on('error', reject);
    child.on('exit', (code) => resolvePromise(code ?? 1));
  });
}

/** The node ids (1…nodes). */
export function kafkaNodeIds(options: LocalKafkaOptions): number[] {
  return Array.from({ length: options.nodes ?? 1 }, (_, i) => i + 1);
}

/** Node N's client address. */
export function kafkaNodeAddress(options: LocalKafkaOptions, node: number): string {
  return `127.0.0.1:${(options.port ?? 9092) + 2 * (node - 1)}`;
}

/** Every node's folder (a single node keeps the whole state folder). */
function nodeDir(options: LocalKafkaOptions, node: number): string {
  return (options.nodes ?? 1) === 1 ? options.stateDir : join(options.stateDir, `node-${node}`);
}

/** Starts every node and waits until each serves requests; resolves with the bootstrap list (comma-separated). */
export async function startLocalKafka(options: LocalKafkaOptions): Promise<string> {
  const code = await run('start', options);
  if (code !== 0) throw new Error(`local Kafka did not start (kafka.sh start exited ${code}); see ${options.stateDir}`);
  return kafkaNodeIds(options)
    .map((node) => kafkaNodeAddress(options, node))
    .join(',');
}

export async function stopLocalKafka(options: LocalKafkaOptions): Promise<void> {
  const code = await run('stop', options);
  if (code !== 0) throw new Error(`kafka.sh stop exited ${code}`);
}

/** Starts one node (after a kill or a stop) and waits until it serves requests. */
export async function startKafkaNode(options: LocalKafkaOptions, node: number): Promise<void> {
  const code = await run('start-node', options, node);
  if (code !== 0) throw new Error(`kafka.sh start-node ${node} exited ${code}; see ${nodeDir(options, node)}/kafka.log`);
}

/** Kills one node with SIGKILL (a crash) and waits until it is gone. */
export async function killKafkaNode(options: LocalKafkaOptions, node: number): Promise<void> {
  const code = await run('kill-node', options, node);
  if (code !== 0) throw new Error(`kafka.sh kill-node ${node} exited ${code}`);
}

/** Node N's process id, or null when it is not running. */
export function kafkaNodePid(options: LocalKafkaOptions, node: number): number | null {
  const file = join(nodeDir(options, node), 'kafka.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * The KRaft quorum's leader (the active controller) as the voters last wrote it in their
 * quorum-state files: the entry of the highest epoch. Null before any election.
 */
export function quorumLeader(options: LocalKafkaOptions): { readonly leader: number; readonly epoch: number } | null {
  let best: { leader: number; epoch: number } | null = null;
  for (const node of kafkaNodeIds(options)) {
    const file = join(nodeDir(options, node), 'data', '__cluster_metadata-0', 'quorum-state');
    if (!existsSync(file)) continue;
    try {
      const state = JSON.parse(readFileSync(file, 'utf8')) as { leaderId?: number; leaderEpoch?: number };
      if (typeof state.leaderId === 'number' && state.leaderId >= 0 && typeof state.leaderEpoch === 'number') {
        if (!best || state.leaderEpoch > best.epoch) best = { leader: state.leaderId, epoch: state.leaderEpoch };
      }
    } catch {
      // being rewritten: the next look reads it whole
    }
  }
  return best;
}
