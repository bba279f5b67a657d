import { randomUUID } from 'node:crypto';
import { topicDeclarations, topicNames, type TopicNames } from '@linewatch/contracts';
import { applyTopics, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { testKafkaConfig } from './test-infrastructure';

/**
 * A suite's own copy of the public topics (KAFKA_TOPIC_PREFIX), so that what
 * one suite publishes is never consumed by another suite's services.
 */
export async function isolatedTopics(label: string): Promise<{ prefix: string; names: TopicNames }> {
  const prefix = `test-${label}-${randomUUID().slice(0, 8)}.`;
  await applyTopics(createKafka(testKafkaConfig(`topics-${label}`), createLogger('test-topics', 'silent')), topicDeclarations(prefix));
  return { prefix, names: topicNames(prefix) };
}
