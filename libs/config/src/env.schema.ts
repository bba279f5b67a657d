import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Building blocks of every app's environment. Each app composes the ones it
 * needs in its own `<app>.config.ts`; nothing else reads `process.env`.
 * Defaults serve the local stack that `npm start` brings up.
 */

const DEFAULT_EMBEDDED_DB_PORT = 5433;

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const readableFile = z.string().refine(
  (path) => {
    try {
      readFileSync(path);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'file cannot be read' },
);

const hostPort = z.string().regex(/^[^\s,:]+:\d{1,5}$/, 'expected host:port');

export const kafkaEnvShape = {
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(hostPort).min(1)),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  /** Prepended to every topic name (several environments on one cluster). */
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, . _ - only')
    .default(''),
  KAFKA_SSL: bool(false),
  KAFKA_SSL_CA_FILE: readableFile.optional(),
  KAFKA_SSL_REJECT_UNAUTHORIZED: bool(true),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_CONNECTION_TIMEOUT_MS: positiveInt(3000),
  KAFKA_REQUEST_TIMEOUT_MS: positiveInt(30000),
};

export const databaseEnvShape = {
  /** Unset: the embedded TimescaleDB that `npm start` serves on EMBEDDED_DB_PORT. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'expected postgres://user@host:port/db' }).optional(),
  EMBEDDED_DB_PORT: port(DEFAULT_EMBEDDED_DB_PORT),
  DATABASE_SSL: z.enum(['disable', 'require', 'verify-full']).default('disable'),
  DATABASE_SSL_CA_FILE: readableFile.optional(),
  DATABASE_POOL_MAX: positiveInt(10),
  DATABASE_STATEMENT_TIMEOUT_MS: positiveInt(30000),
};

export const redisEnvShape = {
  REDIS_URL: z.url({ protocol: /^rediss?$/, message: 'expected redis://host:port' }).default('redis://127.0.0.1:6379'),
};

export const authEnvShape = {
  /** Local signing key (HS256) for development and small deployments: at least 32 characters. */
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** An identity provider's JWKS endpoint (RS256/ES256/PS256 tokens); takes precedence over the local key. */
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_ISSUER: z.string().min(1).default('linewatch-local'),
  AUTH_AUDIENCE: z.string().min(1).default('linewatch'),
};

export const logEnvShape = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const httpEnvShape = (portVariable: string, fallback: number) => ({
  [portVariable]: port(fallback),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  /** Requests per minute per caller (token subject, or address when unauthenticated); 0 turns it off. Default per service. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0, 'expected 0 (off) or a positive number').optional(),
});

/** The global dormancy window (PRODUCT.md: default 28 days); areas may set their own in AREAS_FILE. */
export const dormancyEnvShape = {
  DORMANCY_WINDOW_DAYS: positiveInt(28),
};

export { positiveInt as positiveIntegerVariable };

/**
 * Closure check-backs (PRODUCT.md "Closure check-backs"): days after a Type 1 closure at which an
 * analyst checks the number is still out of use — comma-separated whole days, 1 to 3650, at least
 * one; default 7,28,90. Read by the tracker (which schedules them) and `linewatch rebuild`.
 */
export const checkBackEnvShape = {
  CHECK_BACK_DAYS: z
    .string()
    .default('7,28,90')
    .transform((value, ctx) => {
      const parts = value.split(',').map((p) => p.trim());
      const days = parts.map(Number);
      if (parts.some((p) => !/^\d+$/.test(p)) || days.some((d) => d < 1 || d > 3650)) {
        ctx.addIssue({ code: 'custom', message: 'expected comma-separated whole days from 1 to 3650, e.g. 7,28,90' });
        return z.NEVER;
      }
      return Object.freeze([...new Set(days)].sort((a, b) => a - b));
    }),
};
