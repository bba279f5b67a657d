import type { Logger } from '@linewatch/observability';

/**
 * Runs `task` every `intervalMs`, never two runs at once; `wake()` runs it as soon as the current
 * run (if any) ends. A failing run is logged and retried at the next tick: the sweep and the relay
 * must outlive a database or broker outage.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Stops the schedule and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delayMs);
  }

  private async run(): Promise<void> {
    this.timer = null;
    if (this.running || this.stopped) return;
    this.again = false;
    this.running = this.task().then(
      () => undefined,
      (error: unknown) => this.logger.warn({ err: error, task: this.name }, `${this.name} failed; trying again in ${this.intervalMs} ms`),
    );
    await this.running;
    this.running = null;
    this.schedule(this.again ? 0 : this.intervalMs);
  }
}
