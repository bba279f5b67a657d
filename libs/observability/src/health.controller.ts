import { Controller, Get, Inject, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Public } from './public.decorator';
import { READINESS_CHECKS, type ReadinessCheck, withTimeout } from './readiness';

const CHECK_TIMEOUT_MS = 2000;

/**
 * `/health/live`: the process runs (restart it if not).
 * `/health/ready` and `/health`: every dependency answers (send traffic only then); 503 otherwise.
 */
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
    @Inject(READINESS_CHECKS) private readonly checkTypes: readonly Type<ReadinessCheck>[],
  ) {}

  /** Checks live in whichever module provides them (the tracker's consumer, say): resolved app-wide. */
  private get checks(): ReadinessCheck[] {
    return this.checkTypes.map((type) => this.moduleRef.get(type, { strict: false }));
  }

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  @HealthCheck()
  summary() {
    return this.ready();
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(this.checks.map((check) => () => this.run(check)));
  }

  private async run(check: ReadinessCheck): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(check.name);
    try {
      await withTimeout(check.check(), CHECK_TIMEOUT_MS, check.name);
      return session.up();
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
