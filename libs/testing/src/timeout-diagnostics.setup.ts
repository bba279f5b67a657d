/**
 * A test that fails on a timeout of any kind — Playwright's `locator.waitFor`, a request's abort
 * signal, not only `waitFor` here (which adds the report itself) — gets the diagnostics report
 * (test-diagnostics.ts) appended to its error: what each service logged last, what each database
 * and consumer group was doing. Other failures (a wrong status, a wrong value) are left as they
 * are: the report would only be noise there. Loaded by the int and e2e projects' setup file.
 */
import { DIAGNOSTICS_HEADER, diagnostics } from './test-diagnostics';

type TestFn = (this: unknown) => unknown;

function isTimeout(error: unknown): error is Error {
  return error instanceof Error && (error.name === 'TimeoutError' || /time(d)? ?out|timeout/i.test(error.message));
}

async function withReport(error: unknown): Promise<unknown> {
  if (!isTimeout(error) || error.message.includes(DIAGNOSTICS_HEADER)) return error;
  const report = await diagnostics.describe().catch((failure: unknown) => `(diagnostics failed: ${String(failure)})`);
  if (!report) return error;
  const message = error.message;
  error.message = `${message}\n${report}`;
  // jest prints the stack, whose first line holds the message as it was when the error was made.
  if (typeof error.stack === 'string') error.stack = error.stack.replace(message, error.message);
  return error;
}

/** The test body, with a timeout's error carrying the report. Bodies taking `done` are left alone. */
function diagnosed(fn: unknown): unknown {
  if (typeof fn !== 'function' || fn.length > 0) return fn;
  return async function (this: unknown) {
    try {
      return await (fn as TestFn).call(this);
    } catch (error) {
      throw await withReport(error);
    }
  };
}

for (const name of ['it', 'test'] as const) {
  const original = (globalThis as Record<string, unknown>)[name];
  if (typeof original !== 'function') continue;
  (globalThis as Record<string, unknown>)[name] = new Proxy(original, {
    apply: (target, thisArg, [title, fn, timeout]: unknown[]) => Reflect.apply(target, thisArg, [title, diagnosed(fn), timeout]),
  });
}
