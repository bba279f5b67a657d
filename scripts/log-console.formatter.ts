/**
 * What `npm start` shows on a terminal (scripts/log-console.ts): of the services' JSON log lines,
 * only the ones a person watching the stack should read — warnings and errors, highlighted, and a
 * few events (Redis back, routing reloaded) — as one short line each; every JSON line
 * still goes whole to data/logs/<service>.log. Text lines (the orchestrator's own messages, the
 * banner, a crash's stack trace) are shown as they are. Pure: no I/O, no clock.
 */

export type ConsoleMode = 'pretty' | 'json';

/**
 * LINEWATCH_CONSOLE=pretty or json chooses; otherwise (auto) the readable console on a terminal
 * outside production, and JSON lines wherever a program reads them (a pipe, a file, a container).
 */
export function consoleMode(env: NodeJS.ProcessEnv, stdoutIsTerminal: boolean): ConsoleMode {
  const chosen = env.LINEWATCH_CONSOLE;
  if (chosen === 'pretty' || chosen === 'json') return chosen;
  if (chosen !== undefined && chosen !== '' && chosen !== 'auto')
    throw new Error(`LINEWATCH_CONSOLE: expected auto, pretty or json, not "${chosen}"`);
  return stdoutIsTerminal && env.NODE_ENV !== 'production' ? 'pretty' : 'json';
}

/**
 * Info lines worth a line on the console (by message); everything else below warn goes to the
 * files only. A service being ready or stopped is said by start.ts itself (it watches them).
 */
const WORTH_READING: Readonly<Record<string, string>> = {
  'redis reachable again': 'Redis reachable again',
  'alert routing reloaded': 'alert routing reloaded',
  'dormancy sweep changed lines': 'dormancy sweep changed lines',
};

/** pino's level labels (our services log labels) and numbers (any other pino logger). */
const LEVELS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const LABELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has, or too long for one line. */
const NOT_DETAILS = new Set(['level', 'time', 'service', 'pid', 'hostname', 'msg', 'err', 'error', 'stack', 'req', 'res']);
const MAX_DETAILS = 4;
const MAX_VALUE = 60;

const ANSI = { red: '\u001b[31m', yellow: '\u001b[33m', dim: '\u001b[2m', bold: '\u001b[1m', reset: '\u001b[0m' } as const;

export interface RoutedLine {
  /** The service whose log file takes the line (JSON lines only), a safe file name. */
  readonly service?: string;
  /** What to print on the console, if anything. */
  readonly show?: string;
}

interface LogRecord {
  readonly level?: unknown;
  readonly time?: unknown;
  readonly service?: unknown;
  readonly msg?: unknown;
  readonly err?: unknown;
  readonly error?: unknown;
  readonly [field: string]: unknown;
}

function parseRecord(line: string): LogRecord | null {
  if (!line.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) && 'level' in value ? (value as LogRecord) : null;
  } catch {
    return null;
  }
}

const levelOf = (level: unknown): number => (typeof level === 'number' ? level : (LEVELS[String(level)] ?? LEVELS.info));
const paint = (color: boolean, code: string, text: string) => (color ? `${code}${text}${ANSI.reset}` : text);

function scalar(value: unknown): string | null {
  if (typeof value === 'string') return value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function details(record: LogRecord): string {
  const parts: string[] = [];
  const error = (record.err ?? record.error) as { message?: unknown; code?: unknown } | string | undefined;
  if (typeof error === 'string') parts.push(scalar(error) ?? '');
  else if (error && typeof error === 'object') {
    const message = scalar(error.message);
    const code = scalar(error.code);
    if (message) parts.push(code ? `${message} (${code})` : message);
  }
  const fields = Object.entries(record)
    .filter(([key]) => !NOT_DETAILS.has(key))
    .map(([key, value]) => [key, scalar(value)] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== null)
    .slice(0, MAX_DETAILS)
    .map(([key, value]) => `${key}=${value}`);
  return [...parts, ...fields].join('  ');
}

/** The log file a JSON line belongs to: its `service`, when that is a plain name. */
function serviceOf(record: LogRecord): string {
  return typeof record.service === 'string' && /^[a-z0-9][a-z0-9-]{0,40}$/.test(record.service) ? record.service : 'other';
}

/** Where one line of the stack's output goes: its service's log file, the console, both or neither. */
export function routeLine(line: string, options: { readonly color: boolean }): RoutedLine {
  const record = parseRecord(line);
  if (!record) {
    if (line.trim() === '') return { show: line };
    // The orchestrator's own warnings and errors (start.ts) stand out like the services'.
    if (/^linewatch: (warning|error):/.test(line))
      return { show: paint(options.color, line.includes(': error:') ? ANSI.red : ANSI.yellow, line) };
    return { show: line };
  }
  const service = serviceOf(record);
  const level = levelOf(record.level);
  const message = typeof record.msg === 'string' ? record.msg : '';
  const known = WORTH_READING[message];
  if (level < LEVELS.warn && !known) return { service };

  const time = typeof record.time === 'string' && record.time.length >= 19 ? record.time.slice(11, 19) : '        ';
  const label = LABELS[level] ?? String(record.level);
  const color = level >= LEVELS.error ? ANSI.red : level >= LEVELS.warn ? ANSI.yellow : '';
  const head = `${paint(options.color, ANSI.dim, time)}  ${service.padEnd(8)}`;
  const rest = details(record);
  if (known) return { service, show: `${head}  ${known}${rest ? `  ${paint(options.color, ANSI.dim, rest)}` : ''}` };
  return {
    service,
    show: `${head}  ${paint(options.color, color + ANSI.bold, label.padEnd(5))}  ${paint(options.color, color, message)}${rest ? `  ${paint(options.color, ANSI.dim, rest)}` : ''}`,
  };
}
