import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { HealthController } from './health.controller';
import { createLogger } from './logger';
import { LoggingModule } from './logging.module';
import { METRICS_PATH, MetricsController } from './metrics.controller';
import { READINESS_CHECKS, ROOT_LOGGER, type ReadinessCheck } from './readiness';
import { ReadinessMetrics } from './readiness.metrics';
import { ShutdownLogger } from './shutdown.logger';

export interface ObservabilityOptions {
  readonly service: string;
  readonly logLevel: string;
  /** Providers (anywhere in the app) whose state readiness reflects. */
  readonly readiness: readonly Type<ReadinessCheck>[];
}

/** JSON logs, `/health` (live and ready) and Prometheus `/metrics` (with readiness as gauges) for one service. */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const logger = createLogger(options.service, options.logLevel);
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        LoggingModule.forRoot(options.service, logger),
        TerminusModule.forRoot({ logger: false }),
        PrometheusModule.register({
          path: METRICS_PATH,
          controller: MetricsController,
          defaultLabels: { service: options.service },
          defaultMetrics: { enabled: true },
        }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: READINESS_CHECKS, useValue: options.readiness },
        ShutdownLogger,
        ReadinessMetrics,
      ],
      exports: [LoggingModule, PrometheusModule, ROOT_LOGGER],
    };
  }
}
