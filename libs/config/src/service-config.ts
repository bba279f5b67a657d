import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { authEnvShape, databaseEnvShape, httpEnvShape, kafkaEnvShape, logEnvShape, redisEnvShape } from './env.schema';
import { defaultAreasFile, loadAreas, type AreasConfig } from './areas.config';
import { parseEnv, type Env } from './load-config';

export type ServiceName = 'ingest' | 'tracker' | 'alerter' | 'api';

export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly topicPrefix: string;
  readonly ssl: false | { readonly ca?: string; readonly rejectUnauthorized: boolean };
  readonly sasl?: {
    readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    readonly username: string;
    readonly password: string;
  };
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

export interface DatabaseConfig {
  readonly url: string;
  /** True when no DATABASE_URL was given: the embedded TimescaleDB of the local stack. */
  readonly embedded: boolean;
  readonly ssl: false | { readonly ca?: string; readonly rejectUnauthorized: boolean };
  readonly poolMax: number;
  readonly statementTimeoutMs: number;
}

export interface RedisConfig {
  readonly url: string;
}

/** How access tokens are verified: a local HS256 key, or an identity provider's JWKS. */
export type AuthConfig =
  | { readonly mode: 'local-key'; readonly secret: string; readonly issuer: string; readonly audience: string }
  | { readonly mode: 'jwks'; readonly jwksUrl: string; readonly issuer: string; readonly audience: string };

export interface ServiceConfig {
  readonly service: ServiceName;
  readonly auth: AuthConfig;
  /** The configured areas (AREAS_FILE): events naming any other area are rejected. */
  readonly areas: AreasConfig;
  readonly http: { readonly host: string; readonly port: number };
  /** Requests per minute per caller, counted in Redis (shared by the replicas); 0: no limit. */
  readonly rateLimit: { readonly perMinute: number };
  readonly kafka: KafkaConfig;
  readonly database: DatabaseConfig;
  readonly redis: RedisConfig;
  readonly log: { readonly level: string };
}

export const SERVICE_PORTS: Readonly<Record<ServiceName, { variable: string; port: number }>> = {
  api: { variable: 'API_PORT', port: 3000 },
  ingest: { variable: 'INGEST_PORT', port: 3001 },
  alerter: { variable: 'ALERTER_PORT', port: 3002 },
  tracker: { variable: 'TRACKER_PORT', port: 3003 },
};

/**
 * Generous defaults: intake is bulk (a system sends a 1,000-event array or a stream per request,
 * so 600 requests a minute is 10 a second per system); people on the api and dashboard stay far
 * below 1,200 (20 a second).
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<ServiceName, number>> = { ingest: 600, api: 1200, alerter: 1200, tracker: 1200 };

/** Where a service listens on this machine, as its own port variable says (for tools and the local stack). */
export function localServiceUrl(service: ServiceName, env: Env): string {
  const { variable, port } = SERVICE_PORTS[service];
  return `http://127.0.0.1:${Number(env[variable] ?? port)}`;
}

export const infrastructureShape = { ...kafkaEnvShape, ...databaseEnvShape, ...redisEnvShape, ...logEnvShape };

type InfraEnv = z.infer<z.ZodObject<typeof infrastructureShape>>;
type AuthEnv = z.infer<z.ZodObject<typeof authEnvShape>>;

export function authConfigFrom(env: AuthEnv): AuthConfig {
  if (env.AUTH_JWKS_URL) return { mode: 'jwks', jwksUrl: env.AUTH_JWKS_URL, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE };
  return { mode: 'local-key', secret: env.AUTH_JWT_SECRET ?? '', issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE };
}

/** The auth settings alone (the token command). */
export function loadAuthConfig(env: Env): AuthConfig {
  return Object.freeze(authConfigFrom(parseEnv(z.object(authEnvShape), env)));
}

/** Cross-variable rules: SASL needs both credentials; a CA file needs TLS on. */
export function refineInfrastructure(env: InfraEnv, ctx: z.RefinementCtx): void {
  if (env.KAFKA_SASL_MECHANISM) {
    for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: `required when KAFKA_SASL_MECHANISM is set` });
    }
  }
  if (env.KAFKA_SSL_CA_FILE && !env.KAFKA_SSL) {
    ctx.addIssue({ code: 'custom', path: ['KAFKA_SSL'], message: 'must be true when KAFKA_SSL_CA_FILE is set' });
  }
  if (env.DATABASE_SSL_CA_FILE && env.DATABASE_SSL === 'disable') {
    ctx.addIssue({ code: 'custom', path: ['DATABASE_SSL'], message: 'must be require or verify-full when DATABASE_SSL_CA_FILE is set' });
  }
}

export function kafkaConfigFrom(env: InfraEnv, clientId: string): KafkaConfig {
  return {
    brokers: env.KAFKA_BROKERS,
    clientId: env.KAFKA_CLIENT_ID ?? clientId,
    topicPrefix: env.KAFKA_TOPIC_PREFIX,
    ssl: env.KAFKA_SSL
      ? {
          rejectUnauthorized: env.KAFKA_SSL_REJECT_UNAUTHORIZED,
          ...(env.KAFKA_SSL_CA_FILE ? { ca: readFileSync(env.KAFKA_SSL_CA_FILE, 'utf8') } : {}),
        }
      : false,
    ...(env.KAFKA_SASL_MECHANISM && env.KAFKA_SASL_USERNAME && env.KAFKA_SASL_PASSWORD
      ? { sasl: { mechanism: env.KAFKA_SASL_MECHANISM, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD } }
      : {}),
    connectionTimeoutMs: env.KAFKA_CONNECTION_TIMEOUT_MS,
    requestTimeoutMs: env.KAFKA_REQUEST_TIMEOUT_MS,
  };
}

export function databaseConfigFrom(env: InfraEnv): DatabaseConfig {
  return {
    url: env.DATABASE_URL ?? `postgres://postgres@127.0.0.1:${env.EMBEDDED_DB_PORT}/postgres`,
    embedded: env.DATABASE_URL === undefined,
    ssl:
      env.DATABASE_SSL === 'disable'
        ? false
        : {
            rejectUnauthorized: env.DATABASE_SSL === 'verify-full',
            ...(env.DATABASE_SSL_CA_FILE ? { ca: readFileSync(env.DATABASE_SSL_CA_FILE, 'utf8') } : {}),
          },
    poolMax: env.DATABASE_POOL_MAX,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
  };
}

/** Kafka, database, Redis and log settings without an HTTP port: for CLIs and scripts. */
export function loadInfrastructureConfig(
  env: Env,
  clientId: string,
): Omit<ServiceConfig, 'service' | 'http' | 'auth' | 'areas' | 'rateLimit'> {
  const raw = parseEnv(z.object(infrastructureShape).superRefine(refineInfrastructure), env);
  return Object.freeze({
    kafka: kafkaConfigFrom(raw, clientId),
    database: databaseConfigFrom(raw),
    redis: { url: raw.REDIS_URL },
    log: { level: raw.LOG_LEVEL },
  });
}

/**
 * The settings every service shares, plus the service's own variables
 * (`extra`), parsed in one pass so that one error lists every bad variable.
 */
export function loadServiceConfig<Extra extends z.ZodRawShape = Record<string, never>>(
  service: ServiceName,
  env: Env,
  extra?: Extra,
): ServiceConfig & { readonly extra: z.infer<z.ZodObject<Extra>> } {
  const { variable, port } = SERVICE_PORTS[service];
  const shape = { ...infrastructureShape, ...authEnvShape, ...httpEnvShape(variable, port), ...(extra ?? {}) };
  const raw = parseEnv(
    z.object(shape).superRefine((value, ctx) => {
      refineInfrastructure(value as InfraEnv, ctx);
      if (!value.AUTH_JWT_SECRET && !value.AUTH_JWKS_URL) {
        ctx.addIssue({
          code: 'custom',
          path: ['AUTH_JWT_SECRET'],
          message:
            'set AUTH_JWT_SECRET (local signing key; npm start makes one) or AUTH_JWKS_URL (identity provider): no route opens without one',
        });
      }
    }),
    env,
  ) as InfraEnv & AuthEnv & Record<string, unknown>;
  const extraValues = Object.fromEntries(Object.keys(extra ?? {}).map((key) => [key, raw[key]]));
  return Object.freeze({
    service,
    auth: authConfigFrom(raw),
    areas: loadAreas(env.AREAS_FILE || defaultAreasFile()),
    http: { host: raw.HTTP_HOST as string, port: raw[variable] as number },
    rateLimit: { perMinute: (raw.RATE_LIMIT_PER_MINUTE as number | undefined) ?? DEFAULT_RATE_LIMITS[service] },
    kafka: kafkaConfigFrom(raw, `linewatch-${service}`),
    database: databaseConfigFrom(raw),
    redis: { url: raw.REDIS_URL },
    log: { level: raw.LOG_LEVEL },
    extra: Object.freeze(extraValues) as z.infer<z.ZodObject<Extra>>,
  });
}
