/**
 * A fix to kafkajs 2.2.4 (unmaintained: no release will carry it), applied once when this library
 * loads. Found by the fault harness (`cluster-lose-two`): a service stopped answering anything —
 * HTTP included — at 100 % CPU and more, its last log line a consumer being started again. Its
 * JavaScript stack, sampled through the inspector, was the consumer's fetch loop:
 * `Fetcher.start` → `FetchManager`'s `fetch` → `Runner.fetch`. `Runner.fetch` answers `[]` at once,
 * with no I/O, when the runner is no longer running; a fetcher still alive then (made again by the
 * fetch manager after a rebalance of fetchers that raced the stop: brokers leaving and coming back)
 * loops on that answer for ever in microtasks, and timers, sockets and the HTTP server never get a
 * turn. Here a stopped runner's fetch throws instead: the fetcher ends, its manager stops, and the
 * runner's retry finds it stopped and returns (kafkajs retries a plain Error, quietly).
 */
interface RunnerPrototype {
  fetch(this: { running: boolean }, nodeId: number): Promise<unknown[]>;
  [PATCHED]?: true;
}

const PATCHED = Symbol.for('linewatch.kafkajs.runner-fetch-patched');

/** What a stopped runner's fetch now throws. */
export class StoppedConsumerFetchError extends Error {
  constructor() {
    super('kafkajs consumer no longer running: its fetchers stop');
    this.name = 'StoppedConsumerFetchError';
  }
}

/** The runner class of the kafkajs this project installs (not part of its exported API). */
export function kafkajsRunnerPrototype(): RunnerPrototype {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs does not export its runner; the fix must reach it
  return (require('kafkajs/src/consumer/runner') as { prototype: RunnerPrototype }).prototype;
}

export function patchKafkajsRunner(): void {
  const prototype = kafkajsRunnerPrototype();
  if (prototype[PATCHED]) return;
  const original = prototype.fetch;
  prototype.fetch = function fetch(this: { running: boolean }, nodeId: number) {
    if (!this.running) return Promise.reject(new StoppedConsumerFetchError());
    return original.call(this, nodeId);
  };
  prototype[PATCHED] = true;
}
