/**
 * The readable console of `npm start` on a terminal: runs the orchestrator (start.ts in JSON
 * mode) behind it, writes every JSON log line whole to <logs>/<service>.log, and shows what
 * log-console.formatter.ts picks. The services' own logging is untouched: they still write JSON
 * lines to stdout, which is this process's pipe.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { routeLine } from './log-console.formatter';

export interface ConsoleOptions {
  /** The orchestrator: a script run with this Node, in JSON mode. */
  readonly script: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logsDir: string;
  readonly color: boolean;
}

/** Runs the orchestrator behind the console until it exits, then exits with its code. */
export function runBehindConsole(options: ConsoleOptions): void {
  mkdirSync(options.logsDir, { recursive: true });
  const files = new Map<string, WriteStream>();
  const fileOf = (service: string) => {
    let file = files.get(service);
    if (!file) {
      file = createWriteStream(join(options.logsDir, `${service}.log`), { flags: 'a' });
      files.set(service, file);
    }
    return file;
  };

  const child = spawn(process.execPath, [options.script], {
    // JSON mode behind this console; the banner names the log folder.
    env: { ...options.env, LINEWATCH_CONSOLE: 'json', LINEWATCH_LOG_FILES: options.logsDir },
    stdio: ['inherit', 'pipe', 'pipe'],
  });
  const pump = (from: Readable, to: Writable) =>
    new Promise<void>((resolve) => {
      const lines = createInterface({ input: from, crlfDelay: Infinity });
      lines.on('line', (line) => {
        const routed = routeLine(line, { color: options.color });
        if (routed.service) fileOf(routed.service).write(`${line}\n`);
        if (routed.show !== undefined) to.write(`${routed.show}\n`);
      });
      lines.once('close', resolve);
    });
  const pumped = Promise.all([pump(child.stdout, process.stdout), pump(child.stderr, process.stderr)]);

  // Ctrl-C on a terminal reaches the orchestrator too (one process group); a signal sent to this
  // process alone is passed on. The orchestrator stops the stack once however often it is asked.
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  // The terminal closed: the stack still stops in order (its logs still reach the files); the console has nowhere to write.
  process.on('SIGHUP', forward('SIGHUP'));
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

  child.once('close', (code, signal) => {
    void pumped
      .then(() => Promise.all([...files.values()].map((file) => new Promise<void>((resolve) => file.end(resolve)))))
      .then(() => process.exit(code ?? (signal ? 1 : 0)));
  });
}
