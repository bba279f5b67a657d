import { types } from 'node:util';

/**
 * Whether an error means a dependency (the database, Kafka, Redis) could not be reached or dropped
 * the connection — a 503 the caller may retry, not a fault of this service (a bare 500). Read from
 * the error and its causes (TypeORM wraps the driver's error in `driverError`).
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** SQLSTATE class 08 (connection exception), 57P01–03 (shutdown, cannot connect now), 53300 (too many connections). */
const POSTGRES_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;

const MESSAGES = [
  /connection terminated/i, // pg: "Connection terminated unexpectedly", "Connection terminated due to connection timeout"
  /timeout exceeded when trying to connect/i, // pg-pool
  /not queryable/i, // pg: a client after a connection error
  /connection is closed/i, // ioredis
  /stream isn't writeable/i, // ioredis, offline queue off
  /max retries per request/i, // ioredis
];

export function isDependencyFailure(error: unknown, depth = 0): boolean {
  // isNativeError, not instanceof: Node's own errors (a refused socket) may come from another realm (a vm context, jest).
  if (!(error instanceof Error || types.isNativeError(error)) || depth > 5) return false;
  const { code, driverError, cause } = error as Error & { code?: unknown; driverError?: unknown };
  if (error.name.startsWith('KafkaJS') || error.name === 'MaxRetriesPerRequestError') return true;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_UNAVAILABLE.test(code))) return true;
  if (MESSAGES.some((pattern) => pattern.test(error.message))) return true;
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.some((each) => isDependencyFailure(each, depth + 1))) return true; // AggregateError (happy eyeballs)
  return isDependencyFailure(driverError, depth + 1) || isDependencyFailure(cause, depth + 1);
}
