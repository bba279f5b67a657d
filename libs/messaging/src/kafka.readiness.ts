import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ReadinessCheck } from '@linewatch/observability';
import type { Admin } from 'kafkajs';
import { kafkajsOf, type KafkaClient } from './kafka.client';
import { KAFKA } from './messaging.tokens';

/** Ready when the cluster answers a metadata request. */
@Injectable()
export class KafkaReadiness implements ReadinessCheck, OnApplicationShutdown {
  readonly name = 'kafka';
  private admin: Admin | null = null;

  constructor(@Inject(KAFKA) private readonly kafka: KafkaClient) {}

  async check(): Promise<void> {
    if (!this.admin) {
      const admin = kafkajsOf(this.kafka).admin({ retry: { retries: 0 } });
      await admin.connect();
      this.admin = admin;
    }
    try {
      const cluster = await this.admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('no brokers in cluster metadata');
    } catch (error) {
      const admin = this.admin;
      this.admin = null;
      await admin?.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect();
  }
}
