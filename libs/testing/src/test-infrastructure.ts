import type { DatabaseConfig, KafkaConfig, RedisConfig } from '@linewatch/config';

/**
 * What the global setup started, as the tests see it (through the
 * environment, since setup and tests run in different processes).
 */
export const TEST_ENV = {
  kafkaBrokers: 'LINEWATCH_TEST_KAFKA_BROKERS',
  timescaleUrl: 'LINEWATCH_TEST_TIMESCALE_URL',
  postgresUrl: 'LINEWATCH_TEST_POSTGRES_URL',
  redisUrl: 'LINEWATCH_TEST_REDIS_URL',
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
    ...extra,
  };
}
