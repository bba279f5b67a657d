import 'reflect-metadata';
import { type INestApplication, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, type MicroserviceOptions, Payload } from '@nestjs/microservices';
import { BatchConsumer } from './batch-consumer.decorator';
import type { BatchHandler, ConsumedMessage } from './kafka.batch-consumer';
import { KafkaBatchContext } from './kafka-batch.context';
import { type BatchSource, KafkaBatchTransport } from './kafka-batch.transport';

/** Stands in for KafkaBatchConsumer: hands batches to the transport the way its eachBatch does. */
class FakeSource implements BatchSource {
  isMember = false;
  stopped = false;
  private handler: BatchHandler | null = null;

  get started(): boolean {
    return this.handler !== null;
  }

  startInBackground(handler: BatchHandler): void {
    this.handler = handler;
    this.isMember = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.isMember = false;
  }

  /** Resolves when the batch may be committed; rejects when it must come again. */
  deliver(messages: readonly ConsumedMessage[]): Promise<void> {
    if (!this.handler) throw new Error('not started');
    return this.handler(messages);
  }
}

const message = (topic: string, offset: number, partition = 3): ConsumedMessage => ({
  topic,
  partition,
  offset: String(offset),
  key: Buffer.from('JAY'),
  value: Buffer.from(`{"n":${offset}}`),
  headers: {},
  timestamp: '0',
});

const calls: { pattern: string; offsets: string[]; topic: string; partition: number }[] = [];
let failure: Error | null = null;

@BatchConsumer()
class EventsConsumer {
  @EventPattern('intel.events.v1')
  async track(@Payload() messages: readonly ConsumedMessage[], @Ctx() context: KafkaBatchContext): Promise<void> {
    if (failure) throw failure;
    calls.push({
      pattern: 'intel.events.v1',
      offsets: messages.map((m) => m.offset),
      topic: context.getTopic(),
      partition: context.getPartition(),
    });
  }
}

@BatchConsumer()
class ChangesConsumer {
  @EventPattern('lines.state-changes.v1')
  async raise(@Payload() messages: readonly ConsumedMessage[]): Promise<void> {
    calls.push({ pattern: 'lines.state-changes.v1', offsets: messages.map((m) => m.offset), topic: '', partition: -1 });
  }
}

/** Stands in for the database pool: it must close after the consumer drained. */
@Injectable()
class Pool implements OnApplicationShutdown {
  constructor(private readonly source: FakeSource) {}
  stoppedBeforeClose: boolean | null = null;
  onApplicationShutdown(): void {
    this.stoppedBeforeClose = this.source.stopped;
  }
}

async function boot(source: FakeSource, topics: readonly string[], controllers: unknown[] = [EventsConsumer, ChangesConsumer]) {
  @Module({
    controllers: controllers as never[],
    providers: [
      { provide: FakeSource, useValue: source },
      { provide: KafkaBatchTransport, useFactory: () => new KafkaBatchTransport(source, { topics, topicPrefix: 'e2e-7.' }) },
      Pool,
    ],
  })
  class AppModule {}
  const app: INestApplication = await NestFactory.create(AppModule, { logger: false });
  // As main.ts does: connect and start before the app initialises (app.listen in production).
  app.connectMicroservice<MicroserviceOptions>({ strategy: app.get(KafkaBatchTransport) }, { inheritAppConfig: false });
  await app.startAllMicroservices();
  return app;
}

describe('KafkaBatchTransport (Nest custom transport over the batch consumer)', () => {
  beforeEach(() => {
    calls.length = 0;
    failure = null;
  });

  it('hands each batch of a prefixed topic to the @EventPattern handler of its public name, once the app has bootstrapped', async () => {
    const source = new FakeSource();
    const app = await boot(source, ['intel.events.v1', 'lines.state-changes.v1']);
    expect(source.started).toBe(false);
    await app.init();
    expect(source.started).toBe(true);

    await source.deliver([message('e2e-7.intel.events.v1', 10), message('e2e-7.intel.events.v1', 11)]);
    await source.deliver([message('e2e-7.lines.state-changes.v1', 4)]);

    expect(calls).toEqual([
      { pattern: 'intel.events.v1', offsets: ['10', '11'], topic: 'e2e-7.intel.events.v1', partition: 3 },
      { pattern: 'lines.state-changes.v1', offsets: ['4'], topic: '', partition: -1 },
    ]);
    await app.close();
  });

  it("rejects the batch with the handler's own error, so the slice is not committed and comes again", async () => {
    const source = new FakeSource();
    const app = await boot(source, ['intel.events.v1']);
    await app.init();
    failure = Object.assign(new Error('database unavailable'), { code: 'ECONNREFUSED' });

    await expect(source.deliver([message('e2e-7.intel.events.v1', 1)])).rejects.toBe(failure);
    expect(calls).toEqual([]);

    failure = null;
    await source.deliver([message('e2e-7.intel.events.v1', 1)]);
    expect(calls.map((c) => c.offsets)).toEqual([['1']]);
    await app.close();
  });

  it('rejects a batch from a topic it has no handler for (never committed unhandled)', async () => {
    const source = new FakeSource();
    const app = await boot(source, ['intel.events.v1']);
    await app.init();
    await expect(source.deliver([message('e2e-7.other.v1', 1)])).rejects.toThrow('no handler for topic e2e-7.other.v1');
    await app.close();
  });

  it('refuses to start when a subscribed topic has no @EventPattern handler', async () => {
    await expect(boot(new FakeSource(), ['intel.events.v1', 'lines.state-changes.v1'], [EventsConsumer])).rejects.toThrow(
      'no @EventPattern handler for lines.state-changes.v1',
    );
  });

  it('is ready only while a member of its group, and drains before the pools close on shutdown', async () => {
    const source = new FakeSource();
    const app = await boot(source, ['intel.events.v1']);
    const transport = app.get(KafkaBatchTransport);
    await expect(transport.check()).rejects.toThrow('not a member of the consumer group (yet)');
    await app.init();
    await expect(transport.check()).resolves.toBeUndefined();

    const pool = app.get(Pool);
    await app.close();
    expect(source.stopped).toBe(true);
    expect(pool.stoppedBeforeClose).toBe(true);
  });
});
