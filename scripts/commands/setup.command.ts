import type { DatabaseConfig, KafkaConfig } from '@linewatch/config';
import { topicDeclarations, topicNames, type TopicNames } from '@linewatch/contracts';
import { applyTopics, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { runMigrations } from '@linewatch/persistence';

/** `linewatch migrate`. */
export async function migrate(database: DatabaseConfig): Promise<void> {
  const report = await runMigrations(database);
  console.log(
    `migrations: ${report.applied.length === 0 ? 'none pending' : `applied ${report.applied.join(', ')}`}; schema flavour: ${report.timescale ? 'TimescaleDB' : 'plain PostgreSQL'}`,
  );
}

/** `linewatch topics apply`. */
export async function applyDeclaredTopics(kafka: KafkaConfig, logLevel: string): Promise<void> {
  const report = await applyTopics(createKafka(kafka, createLogger('cli', logLevel)), topicDeclarations(kafka.topicPrefix));
  console.log(
    `topics: created [${report.created.join(', ')}], grown [${report.grown.join(', ')}], unchanged [${report.unchanged.join(', ')}]; replication ${report.replication.replicationFactor}, min in sync ${report.replication.minInsyncReplicas}`,
  );
}

/** A Kafka client for the dead-letter commands, logging errors only. */
export function kafkaTools(kafka: KafkaConfig): { kafka: ReturnType<typeof createKafka>; topics: TopicNames } {
  return { kafka: createKafka(kafka, createLogger('cli', 'error')), topics: topicNames(kafka.topicPrefix) };
}
