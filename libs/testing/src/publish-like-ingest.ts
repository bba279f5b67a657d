import type { IntelEventInput } from '@linewatch/contracts';
import type { KafkaPublisher } from '@linewatch/messaging';

/** The lines an (unvalidated) test event names. */
export function linesOfInput(event: IntelEventInput): string[] {
  const e = event as { lineId?: string; lineIds?: string[] };
  return [...new Set(e.lineId ? [e.lineId] : (e.lineIds ?? []))];
}

/** Kafka keys as ingest sets them: each line the event names, or `area:<area>` for an event naming none. */
export function ingestKeysOf(event: IntelEventInput): string[] {
  const lines = linesOfInput(event);
  return lines.length > 0 ? lines : [`area:${event.area}`];
}

/** Produces events straight to the input topic the way ingest does: one message per key. */
export function publishLikeIngest(producer: KafkaPublisher, topic: string, events: readonly IntelEventInput[]) {
  return producer.publish(
    topic,
    events.flatMap((event) => ingestKeysOf(event).map((key) => ({ key, value: JSON.stringify(event) }))),
  );
}
