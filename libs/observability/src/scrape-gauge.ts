import { Gauge, register } from 'prom-client';
import { withTimeout } from './readiness';

/** One value of a gauge read at scrape time, with its labels. */
export interface GaugeSample<L extends string> {
  readonly labels: Partial<Record<L, string | number>>;
  readonly value: number;
}

export interface ScrapeGaugeOptions<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
  /** Reads the current values (database rows, Kafka offsets…) when Prometheus scrapes. */
  readonly read: () => Promise<readonly GaugeSample<L>[]>;
  /** A read slower than this leaves the gauge empty for that scrape (default 2 s). */
  readonly timeoutMs?: number;
}

/**
 * A gauge of something another system holds (the outbox's backlog in the database, a consumer
 * group's offsets in Kafka), read when Prometheus scrapes rather than on a timer of our own: the
 * value is as fresh as the scrape, and nothing runs when nobody watches. A read that fails or is
 * slow leaves the gauge without series for that scrape — the scrape itself never fails, and the
 * service's readiness (`linewatch_service_ready`) says which dependency is down.
 *
 * Registered in prom-client's global registry (the one `/metrics` serves); a gauge of the same
 * name registered before (another module instance in the same process) is replaced.
 */
export function scrapeGauge<L extends string>(options: ScrapeGaugeOptions<L>): Gauge<L> {
  if (register.getSingleMetric(options.name)) register.removeSingleMetric(options.name);
  const timeoutMs = options.timeoutMs ?? 2_000;
  return new Gauge<L>({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames ?? [],
    async collect() {
      let samples: readonly GaugeSample<L>[] = [];
      try {
        samples = await withTimeout(options.read(), timeoutMs, options.name);
      } catch {
        samples = [];
      }
      this.reset();
      for (const sample of samples) this.set(sample.labels, sample.value);
    },
  });
}

/** Seconds since the epoch, as Prometheus timestamps are (`time()`). */
export function epochSeconds(at: Date): number {
  return at.getTime() / 1000;
}
