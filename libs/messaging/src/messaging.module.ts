import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { KafkaConfig, RedisConfig } from '@linewatch/config';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import type Redis from 'ioredis';
import { topicNames } from '@linewatch/contracts';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { createKafka, type KafkaClient } from './kafka.client';
import { KafkaPublisher } from './kafka.publisher';
import { KafkaReadiness } from './kafka.readiness';
import { KAFKA, REDIS } from './messaging.tokens';
import { createRedis } from './redis.client';
import { RedisReadiness } from './redis.readiness';

/**
 * Kafka (client, idempotent publisher, dead-letter publisher) and Redis for a
 * service, with their readiness checks. The publisher connects lazily on
 * first use, so a service boots (and reports not-ready) while Kafka is down.
 */
@Module({})
export class MessagingModule implements OnApplicationShutdown {
  constructor(
    @Inject(KafkaPublisher) private readonly publisher: KafkaPublisher,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  static forRoot(kafka: KafkaConfig, redis: RedisConfig): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: KAFKA, useFactory: (logger: Logger) => createKafka(kafka, logger), inject: [ROOT_LOGGER] },
        { provide: KafkaPublisher, useFactory: (client: KafkaClient) => new KafkaPublisher(client), inject: [KAFKA] },
        {
          provide: DeadLetterPublisher,
          useFactory: (publisher: KafkaPublisher) => new DeadLetterPublisher(publisher, topicNames(kafka.topicPrefix).intelEventsDlq),
          inject: [KafkaPublisher],
        },
        {
          provide: REDIS,
          useFactory: (logger: Logger) => {
            const client = createRedis(redis, logger);
            client.connect().catch(() => undefined);
            return client;
          },
          inject: [ROOT_LOGGER],
        },
        KafkaReadiness,
        RedisReadiness,
      ],
      exports: [KAFKA, KafkaPublisher, DeadLetterPublisher, REDIS, KafkaReadiness, RedisReadiness],
    };
  }

  /** After consumers drained: nothing more will be published. */
  async onApplicationShutdown(): Promise<void> {
    await this.publisher.disconnect();
    this.redis.disconnect();
  }
}
