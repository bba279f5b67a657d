import { randomUUID } from 'node:crypto';
import { KafkaBatchConsumer, KafkaPublisher, applyTopics, createKafka, readConsumerLag } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { testKafkaConfig, waitFor } from '@linewatch/testing';

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
