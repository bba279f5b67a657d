import { TEST_AUTH } from './test-infrastructure';

export interface StackEnvOptions {
  readonly brokers: string;
  readonly prefix: string;
  readonly databaseUrl: string;
  readonly poolMax: number;
  readonly redisUrl: string;
  readonly routingFile: string;
  /** The one port webhooks may go to (127.0.0.1). */
  readonly hookPort: number;
  /** Names the webhook and link keys (they differ per harness, never production values). */
  readonly label: string;
  readonly rateLimitPerMinute: number;
}

/**
 * The environment of a service in a harness's own stack (benchmarks, fault scenarios): its
 * broker, database and Redis, the test signing key, alerts routed to the harness's receiver, the
 * export schedule off. Callers add what is particular to them.
 */
export function stackServiceEnv(options: StackEnvOptions): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    KAFKA_BROKERS: options.brokers,
    KAFKA_TOPIC_PREFIX: options.prefix,
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_MAX: String(options.poolMax),
    REDIS_URL: options.redisUrl,
    LOG_LEVEL: 'warn',
    AUTH_JWT_SECRET: TEST_AUTH.mode === 'local-key' ? TEST_AUTH.secret : '',
    ALERT_WEBHOOK_SECRET: `linewatch-${options.label}-webhook-key-0123456789abcdef`,
    ALERT_LINK_SECRET: `linewatch-${options.label}-link-key-0123456789abcdef`,
    ALERT_ROUTING_FILE: options.routingFile,
    ALERT_WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${options.hookPort}`,
    EXPORT_SCHEDULE: 'off',
    RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute),
  };
}
