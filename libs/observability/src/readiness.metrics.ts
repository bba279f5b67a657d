import { Inject, Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { READINESS_CHECKS, type ReadinessCheck, withTimeout } from './readiness';
import { scrapeGauge } from './scrape-gauge';

export const READINESS_CHECK_TIMEOUT_MS = 2_000;

export interface CheckOutcome {
  readonly name: string;
  readonly up: boolean;
  readonly message?: string;
}

/** Runs every readiness check once, each within READINESS_CHECK_TIMEOUT_MS. */
export async function runReadinessChecks(checks: readonly ReadinessCheck[]): Promise<CheckOutcome[]> {
  return Promise.all(
    checks.map(async (check): Promise<CheckOutcome> => {
      try {
        await withTimeout(check.check(), READINESS_CHECK_TIMEOUT_MS, check.name);
        return { name: check.name, up: true };
      } catch (error) {
        return { name: check.name, up: false, message: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

/**
 * Readiness as metrics, for alerting (infra/prometheus): `linewatch_service_ready` (1 when every
 * check passes, as `/health/ready` answers 200) and `linewatch_readiness_check_up{check}`, run
 * when Prometheus scrapes.
 */
@Injectable()
export class ReadinessMetrics implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(READINESS_CHECKS) private readonly checkTypes: readonly Type<ReadinessCheck>[],
  ) {}

  onModuleInit(): void {
    // One run of the checks serves both gauges of a scrape.
    let latest: { at: number; outcomes: Promise<CheckOutcome[]> } | null = null;
    const outcomes = () => {
      const now = Date.now();
      if (!latest || now - latest.at > 500) latest = { at: now, outcomes: runReadinessChecks(this.checks) };
      return latest.outcomes;
    };
    const timeoutMs = READINESS_CHECK_TIMEOUT_MS + 1_000;
    scrapeGauge({
      name: 'linewatch_service_ready',
      help: 'Whether the service is ready (1: every dependency answers, as /health/ready answers 200; 0: not ready)',
      read: async () => [{ labels: {}, value: (await outcomes()).every((o) => o.up) ? 1 : 0 }],
      timeoutMs,
    });
    scrapeGauge({
      name: 'linewatch_readiness_check_up',
      help: 'Each readiness check (kafka, database, redis, consumer): 1 when it passes',
      labelNames: ['check'],
      read: async () => (await outcomes()).map((o) => ({ labels: { check: o.name }, value: o.up ? 1 : 0 })),
      timeoutMs,
    });
  }

  /** Checks live in whichever module provides them (the tracker's consumer, say): resolved app-wide. */
  get checks(): ReadinessCheck[] {
    return this.checkTypes.map((type) => this.moduleRef.get(type, { strict: false }));
  }
}
