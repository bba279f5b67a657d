/**
 * `npm start`: the whole stack on one machine with nothing configured (scripts/local-stack.ts).
 *
 * On a terminal (outside production) the stack runs behind a readable console
 * (log-console.ts), which writes the services' JSON logs to data/logs/<service>.log;
 * anywhere else (a pipe, a file, a container) it runs here and its JSON lines pass
 * through. LINEWATCH_CONSOLE=pretty|json chooses. This file loads only what that
 * decision needs, so the console process stays small.
 */
import { join } from 'node:path';
import { runBehindConsole } from './log-console';
import { consoleMode } from './log-console.formatter';
import { repoRoot } from './repo-paths';

async function start(): Promise<void> {
  let mode;
  try {
    mode = consoleMode(process.env, process.stdout.isTTY === true);
  } catch (error) {
    console.error(`linewatch: error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(78);
  }
  if (mode === 'pretty') {
    runBehindConsole({
      script: __filename,
      env: process.env,
      logsDir: join(process.env.LINEWATCH_DATA_DIR ?? join(repoRoot(), 'data'), 'logs'),
      color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    });
    return;
  }
  const { runLocalStack } = await import('./local-stack.js');
  runLocalStack();
}

void start();
