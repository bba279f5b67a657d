import type { TopicDeclaration } from '@linewatch/contracts';
import { ConfigResourceTypes } from 'kafkajs';
import { kafkajsOf, type KafkaClient } from './kafka.client';

export interface TopicsReport {
  readonly created: readonly string[];
  readonly grown: readonly string[];
  readonly unchanged: readonly string[];
}

/**
 * Makes the broker's topics match their declarations: creates missing ones,
 * adds partitions where fewer (never removes: that would re-key lines), and
 * applies the declared configs. Safe to run any number of times.
 */
export async function applyTopics(kafka: KafkaClient, declarations: readonly TopicDeclaration[]): Promise<TopicsReport> {
  const admin = kafkajsOf(kafka).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = declarations.filter((d) => !existing.has(d.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((d) => ({
          topic: d.name,
          numPartitions: d.partitions,
          replicationFactor: -1,
          configEntries: Object.entries(d.config).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    const present = declarations.filter((d) => existing.has(d.name));
    const grown: string[] = [];
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present.map((d) => d.name) });
      const toGrow = present.filter((d) => {
        const topic = metadata.topics.find((t) => t.name === d.name);
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
          configEntries: Object.entries(d.config).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    return {
      created: missing.map((d) => d.name),
      grown,
      unchanged: present.map((d) => d.name).filter((name) => !grown.includes(name)),
    };
  } finally {
    await admin.disconnect();
  }
}
