import { ConfigResourceTypes } from 'kafkajs';
import { kafkajsOf, type KafkaClient } from './kafka.client';

export interface PartitionView {
  readonly partition: number;
  /** The leader's node id (-1: none, the partition is offline). */
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  /** The high watermark: messages written to the partition so far. */
  readonly offset: number;
}

export interface TopicView {
  readonly partitions: readonly PartitionView[];
  /** The topic's `min.insync.replicas`. */
  readonly minInsyncReplicas: number;
}

/** Where a topic's partitions live now (leaders, copies in sync), how much each holds, and its min ISR: for tests and the fault harness. */
export async function describeTopic(kafka: KafkaClient, topic: string): Promise<TopicView> {
  const admin = kafkajsOf(kafka).admin();
  await admin.connect();
  try {
    const [metadata, offsets, configs] = await Promise.all([
      admin.fetchTopicMetadata({ topics: [topic] }),
      admin.fetchTopicOffsets(topic),
      admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }],
      }),
    ]);
    const minInsync = configs.resources[0]?.configEntries.find((e) => e.configName === 'min.insync.replicas')?.configValue;
    const partitions = (metadata.topics[0]?.partitions ?? [])
      .map((p) => ({
        partition: p.partitionId,
        leader: p.leader,
        replicas: [...p.replicas],
        isr: [...p.isr],
        offset: Number(offsets.find((o) => o.partition === p.partitionId)?.high ?? 0),
      }))
      .sort((a, b) => a.partition - b.partition);
    return { partitions, minInsyncReplicas: Number(minInsync ?? 1) };
  } finally {
    await admin.disconnect();
  }
}
