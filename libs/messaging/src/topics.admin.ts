import type { TopicDeclaration } from '@linewatch/contracts';
import { ConfigResourceTypes } from 'kafkajs';
import { kafkajsOf, type KafkaClient } from './kafka.client';

export interface TopicsReport {
  readonly created: readonly string[];
  readonly grown: readonly string[];
  readonly unchanged: readonly string[];
  /** Copies of each partition of the topics created now, and how many must have a write before it is acknowledged. */
  readonly replication: Replication;
}

export interface Replication {
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
}

/** Most copies a partition is given, however large the cluster. */
export const MAX_REPLICATION_FACTOR = 3;

/**
 * A topic's replication follows the cluster it is made on, not a constant: one copy per broker up
 * to three, and a write acknowledged (producers ask acks=all) once all but one of those copies
 * have it — three brokers: three copies, two in sync (one broker may be lost without losing or
 * refusing anything; with two lost, writes are refused, never acknowledged on one copy). One
 * broker (development, tests): one copy, one in sync. Two: two copies, one in sync (a choice for
 * availability: the pair goes on with one broker down, as the three-broker cluster does).
 */
export function replicationFor(brokers: number): Replication {
  const replicationFactor = Math.max(1, Math.min(MAX_REPLICATION_FACTOR, brokers));
  return { replicationFactor, minInsyncReplicas: Math.max(1, replicationFactor - 1) };
}

/**
 * Makes the broker's topics match their declarations: creates missing ones (replication from the
 * cluster's size, replicationFor), adds partitions where fewer (never removes: that would re-key
 * lines), and applies the declared configs with `min.insync.replicas` from the topic's own
 * replication. Safe to run any number of times, and on a cluster missing a broker (the existing
 * topics keep their copies).
 */
export async function applyTopics(kafka: KafkaClient, declarations: readonly TopicDeclaration[]): Promise<TopicsReport> {
  const admin = kafkajsOf(kafka).admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    const replication = replicationFor(cluster.brokers.length);
    const configOf = (d: TopicDeclaration, minInsync: number) =>
      Object.entries({ ...d.config, 'min.insync.replicas': String(minInsync) }).map(([name, value]) => ({ name, value }));
    const existing = new Set(await admin.listTopics());
    const missing = declarations.filter((d) => !existing.has(d.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((d) => ({
          topic: d.name,
          numPartitions: d.partitions,
          replicationFactor: replication.replicationFactor,
          configEntries: configOf(d, replication.minInsyncReplicas),
        })),
      });
    }
    const present = declarations.filter((d) => existing.has(d.name));
    const grown: string[] = [];
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present.map((d) => d.name) });
      const topicOf = (d: TopicDeclaration) => metadata.topics.find((t) => t.name === d.name);
      const toGrow = present.filter((d) => {
        const topic = topicOf(d);
        return topic !== undefined && topic.partitions.length < d.partitions;
      });
      if (toGrow.length > 0) {
        await admin.createPartitions({ topicPartitions: toGrow.map((d) => ({ topic: d.name, count: d.partitions })) });
        grown.push(...toGrow.map((d) => d.name));
      }
      await admin.alterConfigs({
        validateOnly: false,
        resources: present.map((d) => ({
          type: ConfigResourceTypes.TOPIC,
          name: d.name,
          // The topic's own copies, not the cluster's size now (a broker may be down).
          configEntries: configOf(d, replicationFor(topicOf(d)?.partitions[0]?.replicas.length ?? 1).minInsyncReplicas),
        })),
      });
    }
    return {
      created: missing.map((d) => d.name),
      grown,
      unchanged: present.map((d) => d.name).filter((name) => !grown.includes(name)),
      replication,
    };
  } finally {
    await admin.disconnect();
  }
}
