import { kafkajsOf, type KafkaClient } from './kafka.client';

export interface GroupLag {
  readonly groupId: string;
  /** The coordinator's view: Stable, PreparingRebalance, CompletingRebalance, Empty, Dead. */
  readonly state: string;
  readonly members: number;
  /** Messages not yet committed, over all partitions the group has offsets for. */
  readonly lag: number;
  /** Partitions still behind: topic, partition, committed offset, end offset. */
  readonly behind: readonly { topic: string; partition: number; committed: string; end: string }[];
}

/**
 * How far behind each consumer group is, and whether it is rebalancing: for diagnostics (a test
 * that timed out says whether the stream reader was stuck or rebalancing), not for services.
 */
export async function readConsumerLag(client: KafkaClient, groupIds: readonly string[]): Promise<GroupLag[]> {
  if (groupIds.length === 0) return [];
  const admin = kafkajsOf(client).admin();
  await admin.connect();
  try {
    const described = await admin.describeGroups([...groupIds]);
    const ends = new Map<string, Map<number, bigint>>();
    const endOf = async (topic: string) => {
      if (!ends.has(topic)) ends.set(topic, new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)])));
      return ends.get(topic) as Map<number, bigint>;
    };
    const result: GroupLag[] = [];
    for (const group of described.groups) {
      const committed = await admin.fetchOffsets({ groupId: group.groupId });
      let lag = 0n;
      const behind: { topic: string; partition: number; committed: string; end: string }[] = [];
      for (const topic of committed) {
        const topicEnds = await endOf(topic.topic);
        for (const p of topic.partitions) {
          const end = topicEnds.get(p.partition) ?? 0n;
          const at = BigInt(p.offset) < 0n ? 0n : BigInt(p.offset);
          if (end > at) {
            lag += end - at;
            behind.push({ topic: topic.topic, partition: p.partition, committed: p.offset, end: String(end) });
          }
        }
      }
      result.push({ groupId: group.groupId, state: group.state, members: group.members.length, lag: Number(lag), behind });
    }
    return result;
  } finally {
    await admin.disconnect();
  }
}
