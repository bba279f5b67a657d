import type { KafkaConfig } from '@linewatch/config';
import { redactQuotedValues, type Logger } from '@linewatch/observability';
import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import { patchKafkajsRunner } from './kafkajs.runner-patch';

patchKafkajsRunner();

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

declare const opaque: unique symbol;

/**
 * A configured connection to the cluster, opaque outside this library: callers hand it to the
 * adapters here (publisher, batch consumer, topics, snapshot) and cannot reach kafkajs through it.
 * kafkajs is unmaintained; keeping its types in here is what keeps a swap to one library.
 */
export interface KafkaClient {
  readonly [opaque]: 'KafkaClient';
}

/** The kafkajs client behind a `KafkaClient`: for this library's adapters only (not exported from index.ts). */
export function kafkajsOf(client: KafkaClient): Kafka {
  return client as unknown as Kafka;
}

/**
 * The one place kafkajs is configured (TLS, SASL, timeouts, logs into pino).
 * kafkajs is unmaintained: everything else in the project talks to the
 * small adapters in this library, so that a swap stays possible.
 */
export function createKafka(config: KafkaConfig, logger: Logger): KafkaClient {
  const sasl: SASLOptions | undefined = config.sasl
    ? ({ mechanism: config.sasl.mechanism, username: config.sasl.username, password: config.sasl.password } as SASLOptions)
    : undefined;
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    ssl: config.ssl === false ? false : { ...config.ssl },
    sasl,
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, namespace, log }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, stack, ...fields } = log;
        // A handler's error comes as `error` (serialized without its parameters or payloads) and its raw
        // `stack`, whose first line is the unredacted message: the serialized error has the frames. A
        // crash comes as text only ("Crash: <name>: <message>" and the stack): values quoted in it go.
        const rawStack = fields.error instanceof Error || typeof stack !== 'string' ? {} : { stack: redactQuotedValues(stack) };
        logger[LEVELS[level] ?? 'info']({ kafka: namespace, ...fields, ...rawStack }, `kafka: ${redactQuotedValues(String(message))}`);
      },
  });
  return kafka as unknown as KafkaClient;
}
