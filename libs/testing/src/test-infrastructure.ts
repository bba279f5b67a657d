import type { AuthConfig, DatabaseConfig, KafkaConfig, RedisConfig } from '@linewatch/config';
import type { Role } from '@linewatch/contracts';
import { issueDevelopmentToken } from '@linewatch/security';

/** The signing key the test services are given (tests only). */
export const TEST_AUTH: AuthConfig = {
  mode: 'local-key',
  secret: 'linewatch-test-signing-key-0123456789abcdef',
  issuer: 'linewatch-local',
  audience: 'linewatch',
};

/** The key test services sign webhooks with (receivers in tests verify with it). */
export const TEST_WEBHOOK_SECRET = 'linewatch-test-webhook-key-0123456789abcdef';

/** `Authorization` header value for a test caller with these roles. */
export async function bearer(roles: readonly Role[], areas: readonly string[] = [], subject = 'test-user'): Promise<string> {
  const token = await issueDevelopmentToken(TEST_AUTH, { subject, roles, areas, ttlSeconds: 600, now: new Date() });
  return `Bearer ${token}`;
}

/**
 * What the global setup started, as the tests see it (through the
 * environment, since setup and tests run in different processes).
 */
export const TEST_ENV = {
  kafkaBrokers: 'LINEWATCH_TEST_KAFKA_BROKERS',
  timescaleUrl: 'LINEWATCH_TEST_TIMESCALE_URL',
  postgresUrl: 'LINEWATCH_TEST_POSTGRES_URL',
  redisUrl: 'LINEWATCH_TEST_REDIS_URL',
  /** The embedded database's session report (JSON), served by the test stack for diagnostics. */
  embeddedReportUrl: 'LINEWATCH_TEST_EMBEDDED_REPORT_URL',
} as const;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this test through jest's int or e2e project (its global setup starts the services)`);
  return value;
}

export function testKafkaConfig(clientId = 'linewatch-test'): KafkaConfig {
  return {
    brokers: required(TEST_ENV.kafkaBrokers).split(','),
    clientId,
    topicPrefix: '',
    ssl: false,
    connectionTimeoutMs: 3000,
    requestTimeoutMs: 30000,
  };
}

export type DatabaseFlavour = 'timescale' | 'postgres';

export function testDatabaseConfig(flavour: DatabaseFlavour): DatabaseConfig {
  return {
    url: required(flavour === 'timescale' ? TEST_ENV.timescaleUrl : TEST_ENV.postgresUrl),
    embedded: flavour === 'timescale',
    ssl: false,
    poolMax: 4,
    statementTimeoutMs: 30000,
  };
}

export function testRedisConfig(): RedisConfig {
  return { url: required(TEST_ENV.redisUrl) };
}

/** Environment for a service process pointed at the test infrastructure. */
export function serviceEnv(flavour: DatabaseFlavour = 'timescale', extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    KAFKA_BROKERS: required(TEST_ENV.kafkaBrokers),
    DATABASE_URL: testDatabaseConfig(flavour).url,
    REDIS_URL: required(TEST_ENV.redisUrl),
    LOG_LEVEL: 'info',
    AUTH_JWT_SECRET: TEST_AUTH.mode === 'local-key' ? TEST_AUTH.secret : '',
    ALERT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    ALERT_LINK_SECRET: 'linewatch-test-link-key-0123456789abcdef',
    // The api's weekly export job writes files and sends mail: off unless a suite turns it on.
    EXPORT_SCHEDULE: 'off',
    // The alerter's team digests likewise (they would reach every suite's receivers at boot).
    ALERTER_DIGESTS: 'off',
    // The suites' webhook receivers listen on 127.0.0.1 on ports of their own.
    ALERT_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1:*',
    // Far above what any suite sends: only the rate-limit test sets a small limit.
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...extra,
  };
}
