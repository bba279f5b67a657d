import { type DynamicModule, Module, type Type } from '@nestjs/common';
import type { ServiceConfig } from '@linewatch/config';
import { KafkaReadiness, MessagingModule, RedisReadiness } from '@linewatch/messaging';
import { ObservabilityModule, type ReadinessCheck } from '@linewatch/observability';
import { DatabaseReadiness, PersistenceModule } from '@linewatch/persistence';
import { SecurityModule } from '@linewatch/security';
import { HttpPlatformModule } from './http-platform.module';
import { RateLimitModule } from './rate-limit.guard';
import type { HttpPlatformOptions } from './refused-reads';

/**
 * What every LineWatch service stands on: JSON logs, health and metrics;
 * Kafka and Redis; the database pool; the deny-by-default guard; one error shape and the HTTP
 * hardening of every route (HttpPlatformModule). Readiness reflects Kafka, the database and
 * Redis, plus the service's own checks. Requests are rate-limited per caller (in Redis, shared by
 * replicas) before the guard looks at their roles.
 */
@Module({})
export class PlatformModule {
  static forRoot(config: ServiceConfig, readiness: readonly Type<ReadinessCheck>[] = [], http: HttpPlatformOptions = {}): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ObservabilityModule.forRoot({
          service: config.service,
          logLevel: config.log.level,
          readiness: [KafkaReadiness, DatabaseReadiness, RedisReadiness, ...readiness],
        }),
        MessagingModule.forRoot(config.kafka, config.redis),
        PersistenceModule.forRoot(config.database, `linewatch-${config.service}`),
        RateLimitModule.forRoot(
          { service: config.service, perMinute: config.rateLimit.perMinute, namespace: config.kafka.topicPrefix },
          config.auth,
        ),
        SecurityModule.forRoot(config.auth),
        HttpPlatformModule.forRoot(config.auth, http),
      ],
    };
  }
}
