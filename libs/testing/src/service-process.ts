import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SERVICE_PORTS, type ServiceName } from '@linewatch/config';
import { SHUTDOWN_COMPLETE } from '@linewatch/observability';
import { CHECKOUT_ROOT } from './checkout-root';
import { diagnostics } from './test-diagnostics';
import { waitFor } from './wait-for';

export interface RunningService {
  readonly name: ServiceName;
  readonly url: string;
  readonly process: ChildProcess;
  /** stdout and stderr, as lines. */
  readonly output: string[];
  /** SIGTERM, then wait for the exit; true when the service reported an orderly shutdown. */
  stop(): Promise<boolean>;
}

const ROOT = CHECKOUT_ROOT;
/** Output lines kept per service: enough for assertions, bounded for long runs (benchmarks, faults). */
const MAX_OUTPUT_LINES = 20_000;

export interface SpawnOptions {
  /** Flags for node itself (e.g. --cpu-prof when profiling a benchmark). */
  readonly nodeArgs?: readonly string[];
}
/** SIGTERM, then SIGKILL after this long (the services stop in a few seconds). */
const STOP_TIMEOUT_MS = 30_000;

/** A service as a real process from the build (dist/), its output kept for assertions. */
export function spawnService(name: ServiceName, env: NodeJS.ProcessEnv, port: number, options: SpawnOptions = {}): RunningService {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(ROOT, 'dist', 'apps', name, 'src', 'main.js')], {
    env: { ...env, [SERVICE_PORTS[name].variable]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > MAX_OUTPUT_LINES) output.splice(0, output.length - MAX_OUTPUT_LINES / 2);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // 'close', not 'exit': the output is complete only once the child's stdio has closed.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const service: RunningService = {
    name,
    url: `http://127.0.0.1:${port}`,
    process: child,
    output,
    async stop() {
      diagnostics.unwatch(service);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // A service that does not stop is a failure to report, not a reason to hang the test run.
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(killer);
      return output.some((line) => line.includes(SHUTDOWN_COMPLETE));
    },
  };
  // A wait that times out prints this service's last lines, its database's sessions and its consumer group.
  diagnostics.watch(service, env);
  return service;
}

/** Starts a service and waits until its readiness is green. */
export async function startService(
  name: ServiceName,
  env: NodeJS.ProcessEnv,
  port: number,
  options: SpawnOptions & { readonly readyTimeoutMs?: number } = {},
): Promise<RunningService> {
  const service = spawnService(name, env, port, options);
  await waitFor(
    async () => {
      if (service.process.exitCode !== null) throw new Error(`${name} exited: ${service.output.slice(-5).join('\n')}`);
      const response = await fetch(`${service.url}/health/ready`).catch(() => null);
      return response?.ok;
    },
    { what: `${name} ready on ${service.url}`, timeoutMs: options.readyTimeoutMs ?? 60_000, intervalMs: 200 },
  );
  return service;
}
