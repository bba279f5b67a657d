import type { Provider } from '@nestjs/common';
import { topicNames } from '@linewatch/contracts';
import { ConsumerLagMetrics, KAFKA, type KafkaClient } from '@linewatch/messaging';
import type { ApiConfig } from '../api.config';

/**
 * What the api reports on /metrics for the pipeline as a whole (infra/prometheus): the lag of the
 * tracker's and the alerter's consumer groups. The api watches them because a stopped or hung
 * consumer cannot report its own lag — that is when the alert must fire.
 */
export function monitoringProviders(config: ApiConfig): Provider[] {
  const topics = topicNames(config.kafka.topicPrefix);
  return [
    {
      provide: ConsumerLagMetrics,
      useFactory: (kafka: KafkaClient) =>
        new ConsumerLagMetrics(kafka, [
          { consumer: 'tracker', groupId: config.extra.TRACKER_GROUP_ID, topic: topics.intelEvents },
          { consumer: 'alerter', groupId: config.extra.ALERTER_GROUP_ID, topic: topics.lineStateChanges },
        ]),
      inject: [KAFKA],
    },
  ];
}
