import type { RedisConfig } from '@linewatch/config';
import type { Logger } from '@linewatch/observability';
import Redis from 'ioredis';

export interface RedisClientOptions {
  /** A connection of its own for blocking reads (the api's live-stream reader), connected at once. */
  readonly blockingReader?: boolean;
}

/**
 * Redis holds what is fast and disposable (caches, throttles, fan-out), never
 * the only copy of a fact. Commands fail fast while it is down (no offline
 * queue) and the client reconnects by itself.
 */
export function createRedis(config: RedisConfig, logger: Logger, options: RedisClientOptions = {}): Redis {
  const redis = new Redis(config.url, {
    lazyConnect: !options.blockingReader,
    // A blocking reader's first XREAD is queued until the connection is up: failing it would cost the
    // reader its retry pause, and entries added meanwhile are missed (it reads from '$').
    enableOfflineQueue: options.blockingReader === true,
    // A blocking read (XREAD BLOCK) is one long command: it is not cut short by a retry count.
    maxRetriesPerRequest: options.blockingReader ? null : 1,
    connectTimeout: 3000,
    retryStrategy: (attempt) => Math.min(200 * attempt, 5000),
  });
  let lastError = '';
  redis.on('error', (error: Error) => {
    // One line per distinct failure, not one per reconnect attempt.
    if (error.message !== lastError)
      logger.warn({ err: error, url: redactUrl(config.url) }, `redis unavailable at ${redactUrl(config.url)}`);
    lastError = error.message;
  });
  redis.on('ready', () => {
    if (lastError) logger.info('redis reachable again');
    lastError = '';
  });
  return redis;
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//[redacted]@');
}
