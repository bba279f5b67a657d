import { diagnostics } from './test-diagnostics';

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Said in the error when the condition never held. */
  readonly what: string;
  /** Append what the registered services, databases and consumer groups were doing (default true). */
  readonly diagnose?: boolean;
}

/**
 * Polls a condition until it returns a value other than undefined/false, and
 * returns that value. Tests synchronise on conditions, never on sleeps. A timeout says what the
 * stack was doing (test-diagnostics.ts), so that the failure names its stage.
 */
export async function waitFor<T>(
  condition: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      const report = options.diagnose === false ? '' : await diagnostics.describe().catch((error: unknown) => `(diagnostics failed: ${String(error)})`);
      throw new Error(`timed out after ${options.timeoutMs ?? 30_000} ms waiting for ${options.what}${reason}${report ? `\n${report}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
