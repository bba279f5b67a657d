import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Drives infra/kafka/kafka.sh (the local single-node broker) from Node. */
export interface LocalKafkaOptions {
  readonly stateDir: string;
  readonly port?: number;
  readonly controllerPort?: number;
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

function run(command: 'start' | 'stop' | 'status', options: LocalKafkaOptions): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [SCRIPT, command], {
      stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit'],
      env: {
        ...process.env,
        KAFKA_STATE_DIR: options.stateDir,
        KAFKA_PORT: String(options.port ?? 9092),
        KAFKA_CONTROLLER_PORT: String(options.controllerPort ?? 9093),
      },
    });
    child.on('error', reject);
    child.on('exit', (code) => resolvePromise(code ?? 1));
  });
}

export async function startLocalKafka(options: LocalKafkaOptions): Promise<string> {
  const code = await run('start', options);
  if (code !== 0) throw new Error(`local Kafka broker did not start (kafka.sh start exited ${code}); see ${options.stateDir}/kafka.log`);
  return `127.0.0.1:${options.port ?? 9092}`;
}

export async function stopLocalKafka(options: LocalKafkaOptions): Promise<void> {
  const code = await run('stop', options);
  if (code !== 0) throw new Error(`kafka.sh stop exited ${code}`);
}
