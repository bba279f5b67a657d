import { randomUUID } from 'node:crypto';
import { ConsumerLagMetrics, KafkaBatchConsumer, KafkaPublisher, applyTopics, createKafka, readConsumerLag } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { testKafkaConfig, waitFor } from '@linewatch/testing';
import { register } from 'prom-client';

const logger = createLogger('consumer-lag-test', 'silent');

describe('readConsumerLag against the real broker', () => {
  const kafka = createKafka(testKafkaConfig('consumer-lag-test'), logger);
  const publisher = new KafkaPublisher(kafka);
  const topic = `test.lag.${randomUUID()}`;
  let consumer: KafkaBatchConsumer | undefined;
  let release: () => void = () => undefined;

  afterAll(async () => {
    release();
    await consumer?.stop();
    await publisher.disconnect();
  });

  it("says a group's state, members and how far behind it is, per partition", async () => {
    await applyTopics(kafka, [{ name: topic, partitions: 1, config: {}, description: 'test' }]);
    await publisher.publish(
      topic,
      Array.from({ length: 5 }, (_, seq) => ({ key: 'line-a', value: JSON.stringify({ seq }) })),
    );
    const groupId = `test-lag-${randomUUID()}`;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let handled = 0;
    consumer = new KafkaBatchConsumer(kafka, { groupId, topics: [topic], maxBatchSize: 1 }, logger);
    // Two messages handled and committed, then the handler holds the third: the group is 3 behind.
    await consumer.start(async () => {
      handled += 1;
      if (handled === 3) await blocked;
    });

    const [lag] = await waitFor(
      async () => {
        const groups = await readConsumerLag(kafka, [groupId]);
        return groups[0]?.lag === 3 ? groups : undefined;
      },
      { what: 'the group 3 messages behind', timeoutMs: 30_000 },
    );
    expect(lag).toEqual({ groupId, state: 'Stable', members: 1, lag: 3, behind: [{ topic, partition: 0, committed: '2', end: '5' }] });

    release();
    await waitFor(async () => (await readConsumerLag(kafka, [groupId]))[0]?.lag === 0, { what: 'the group caught up', timeoutMs: 30_000 });
    expect(await readConsumerLag(kafka, [])).toEqual([]);
  });
});

describe('ConsumerLagMetrics against the real broker', () => {
  const kafka = createKafka(testKafkaConfig('consumer-lag-metrics-test'), logger);
  const publisher = new KafkaPublisher(kafka);
  const topic = `test.lag-metrics.${randomUUID()}`;
  const groupId = `test-lag-metrics-${randomUUID()}`;
  const metrics = new ConsumerLagMetrics(kafka, [{ consumer: 'tracker', groupId, topic }]);
  let consumer: KafkaBatchConsumer | undefined;

  afterAll(async () => {
    await consumer?.stop();
    await metrics.onApplicationShutdown();
    await publisher.disconnect();
  });

  /** What /metrics says for the group, by partition. */
  const scraped = async (name: string) => {
    const metric = await register.getSingleMetric(name)?.get();
    return Object.fromEntries((metric?.values ?? []).filter((v) => v.labels.group === groupId).map((v) => [v.labels.partition, v.value]));
  };

  it('reports, when scraped, each partition behind: all of it before the group committed anything, then what it has not committed', async () => {
    await applyTopics(kafka, [{ name: topic, partitions: 2, config: {}, description: 'test' }]);
    metrics.onModuleInit();
    await publisher.publish(
      topic,
      Array.from({ length: 6 }, (_, seq) => ({ key: `line-${seq}`, value: JSON.stringify({ seq }) })),
    );
    // No consumer yet: the group is behind by everything on the topic (it reads from the start), per partition.
    const perPartition = await scraped('linewatch_kafka_consumer_lag_messages');
    expect(Object.keys(perPartition).sort()).toEqual(['0', '1']);
    expect(perPartition['0'] + perPartition['1']).toBe(6);
    const [sample] = (await register.getSingleMetric('linewatch_kafka_consumer_lag_messages')?.get())?.values ?? [];
    expect(sample?.labels).toEqual(expect.objectContaining({ consumer: 'tracker', group: groupId, topic }));

    consumer = new KafkaBatchConsumer(kafka, { groupId, topics: [topic], maxBatchSize: 100 }, logger);
    await consumer.start(async () => undefined);
    const lag = await waitFor(
      async () => {
        const now = await scraped('linewatch_kafka_consumer_lag_messages');
        return now['0'] === 0 && now['1'] === 0 ? now : undefined;
      },
      { what: 'the group caught up in the gauge', timeoutMs: 30_000 },
    );
    expect(lag).toEqual({ '0': 0, '1': 0 });
    expect(await scraped('linewatch_kafka_consumer_committed_offset')).toEqual(perPartition);
  });
});
