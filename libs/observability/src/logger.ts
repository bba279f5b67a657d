import pino, { type Logger } from 'pino';
import { ERROR_SERIALIZERS } from './error.serializer';

/** Fields never written to logs, wherever they appear. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.secret',
  '*.token',
  'password',
  'sasl.password',
];

/** Query parameters whose values are credentials (acknowledgement links carry `token=`). */
const SECRET_QUERY_PARAMS = /^(token|access_token|id_token|jwt|key|api_key|secret|password|signature|sig)$/i;

/** Parsed query parameters fit for a log (the request serializer logs them beside the URL). */
export function redactQueryForLog(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).map(([name, value]) => [name, SECRET_QUERY_PARAMS.test(name) ? '[redacted]' : value]));
}

/** A request URL fit for a log: credential-bearing query values replaced. */
export function redactUrlForLog(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const params = url
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const name = decodeURIComponent(pair.split('=')[0].replace(/\+/g, ' '));
      return SECRET_QUERY_PARAMS.test(name) ? `${pair.split('=')[0]}=[redacted]` : pair;
    });
  return `${url.slice(0, query)}?${params.join('&')}`;
}

/**
 * Structured JSON logs on stdout, one object a line, with the service name on
 * each. Written synchronously: Nest ends a graceful shutdown by re-raising the
 * signal, which skips the exit handler that would flush an async buffer — the
 * last lines (why it stopped, what it drained) are the ones that matter.
 */
export function createLogger(service: string, level: string): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Errors are logged by an allow-list: a failed statement's parameters or an event's payload never reach the log.
      serializers: ERROR_SERIALIZERS,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ dest: 1, sync: true }),
  );
}

export type { Logger };
