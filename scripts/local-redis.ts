/**
 * A Redis for `npm start` when none is configured or running: the operating system's
 * redis-server (Debian package redis-server), in the foreground as a child of the orchestrator
 * but in its own process group, so that Ctrl-C on the terminal does not stop it before the
 * services; its data (dump.rdb) stays in the given folder, its log in the given file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Redis from 'ioredis';

export interface LocalRedis {
  readonly url: string;
  readonly process: ChildProcess;
}

/** Whether a Redis answers PING at the URL (within two seconds). */
export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

export async function startLocalRedis(options: {
  port: number;
  dataDir: string;
  logFile: string;
  timeoutMs?: number;
}): Promise<LocalRedis> {
  mkdirSync(options.dataDir, { recursive: true });
  mkdirSync(dirname(options.logFile), { recursive: true });
  const url = `redis://127.0.0.1:${options.port}`;
  const child = spawn(
    'redis-server',
    // Snapshots use redis-server's defaults (a dump.rdb in --dir, and on shutdown).
    ['--port', String(options.port), '--bind', '127.0.0.1', '--dir', options.dataDir, '--logfile', options.logFile, '--daemonize', 'no'],
    { detached: true, stdio: 'ignore' },
  );
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT'
            ? 'redis-server is not installed (Debian/Ubuntu: apt-get install redis-server); or point REDIS_URL at a Redis'
            : `redis-server did not start: ${error.message}`,
        ),
      ),
    );
    child.once('exit', (code, signal) =>
      reject(new Error(`redis-server exited at once (${signal ?? `code ${code}`}); see ${options.logFile}`)),
    );
  });
  failed.catch(() => undefined);
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const answered = await Promise.race([redisAnswers(url), failed]);
    if (answered) return { url, process: child };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `redis-server on port ${options.port} did not answer within ${(options.timeoutMs ?? 15_000) / 1000} s; see ${options.logFile}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM (redis-server saves its snapshot and exits), SIGKILL after the timeout. */
export async function stopLocalRedis(redis: LocalRedis, timeoutMs = 20_000): Promise<void> {
  const child = redis.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}
