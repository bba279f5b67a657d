import pino, { type Logger } from 'pino';

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
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ dest: 1, sync: true }),
  );
}

export type { Logger };
