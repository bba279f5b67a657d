import { ConfigError, loadServiceConfig } from '@linewatch/config';
import { z } from 'zod';

const SECRET = { AUTH_JWT_SECRET: 'a-local-signing-key-of-at-least-32-chars' };

describe('loadServiceConfig', () => {
  it('given only a signing key, then it uses the local stack defaults', () => {
    const config = loadServiceConfig('ingest', SECRET);
    expect(config.auth).toEqual({ mode: 'local-key', secret: SECRET.AUTH_JWT_SECRET, issuer: 'linewatch-local', audience: 'linewatch' });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3001 });
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.database).toMatchObject({ url: 'postgres://postgres@127.0.0.1:5433/postgres', embedded: true, ssl: false });
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.kafka.brokers)).toBe(true);
  });

  it('given several bad variables, then one error names every one of them', () => {
    let error: unknown;
    try {
      loadServiceConfig('api', {
        API_PORT: 'eighty',
        KAFKA_BROKERS: 'localhost',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SSL: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['API_PORT', 'KAFKA_BROKERS', 'DATABASE_URL', 'LOG_LEVEL', 'KAFKA_SSL']) expect(message).toContain(name);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
  });

  it('given no way to verify tokens, then it refuses to start rather than open routes', () => {
    expect(() => loadServiceConfig('api', {})).toThrow(/AUTH_JWT_SECRET: set AUTH_JWT_SECRET .* or AUTH_JWKS_URL/);
    expect(() => loadServiceConfig('api', { AUTH_JWT_SECRET: 'short' })).toThrow(/at least 32 characters \(given \(hidden\)\)/);
    expect(loadServiceConfig('api', { AUTH_JWKS_URL: 'https://idp.example/jwks' }).auth.mode).toBe('jwks');
  });

  it('given a SASL mechanism without credentials, then both credentials are named', () => {
    expect(() => loadServiceConfig('tracker', { KAFKA_SASL_MECHANISM: 'scram-sha-512' })).toThrow(
      /KAFKA_SASL_USERNAME: required[\s\S]*KAFKA_SASL_PASSWORD: required/,
    );
  });

  it('given production TLS and SASL settings, then they reach the typed config and secrets are not echoed', () => {
    const config = loadServiceConfig('tracker', {
      ...SECRET,
      KAFKA_BROKERS: 'b1.example:9093, b2.example:9093',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'linewatch',
      KAFKA_SASL_PASSWORD: 's3cret',
      DATABASE_URL: 'postgres://lw@db.example:5432/linewatch',
      DATABASE_SSL: 'verify-full',
    });
    expect(config.kafka.brokers).toEqual(['b1.example:9093', 'b2.example:9093']);
    expect(config.kafka.ssl).toEqual({ rejectUnauthorized: true });
    expect(config.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'linewatch', password: 's3cret' });
    expect(config.database).toMatchObject({ embedded: false, ssl: { rejectUnauthorized: true } });
    expect(() => loadServiceConfig('tracker', { KAFKA_SASL_PASSWORD: 's3cret', KAFKA_SASL_MECHANISM: 'nope' })).toThrow(
      /given \(hidden\)|"nope"/,
    );
  });

  it('given a service-specific variable, then it is parsed with the rest', () => {
    const config = loadServiceConfig(
      'tracker',
      { ...SECRET, TRACKER_MAX_BATCH: '50' },
      { TRACKER_MAX_BATCH: z.coerce.number().int().positive() },
    );
    expect(config.extra.TRACKER_MAX_BATCH).toBe(50);
  });
});
