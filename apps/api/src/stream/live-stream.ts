import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { liveStreamKey, type Role } from '@linewatch/contracts';
import { createRedis } from '@linewatch/messaging';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import type Redis from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../api.config';

export interface LiveEntry {
  /** The Redis stream id: the SSE event id a client resumes from (Last-Event-ID). */
  readonly id: string;
  readonly type: 'state-change' | 'alert' | 'replacement-suggestion';
  readonly areas: readonly string[];
  /** Only these roles see it (null: every role its areas allow). */
  readonly roles: readonly Role[] | null;
  readonly data: string;
}

type Fields = string[];
const entryOf = (id: string, fields: Fields): LiveEntry => {
  // Field names at even positions, each followed by its value.
  const named = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) named.set(fields[i], fields[i + 1]);
  const roles = named.get('roles');
  return {
    id,
    type: (named.get('type') ?? '') as LiveEntry['type'],
    areas: JSON.parse(named.get('areas') || '[]') as string[],
    roles: roles === undefined ? null : (JSON.parse(roles) as Role[]),
    data: named.get('data') ?? '',
  };
};

/** Stream ids are "<ms>-<seq>": compared as numbers, not strings. */
export function laterThan(a: string, b: string): boolean {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am > bm || (am === bm && as > bs);
}

/**
 * One reader per api replica: blocks on the Redis stream the tracker and alerter append to and
 * hands each entry to the connected clients. Several replicas each read the same stream, so a
 * client gets everything whichever replica it reached (Redis fan-out). A reconnecting client
 * catches up from its Last-Event-ID with XRANGE (the stream keeps the latest ~10,000 entries).
 */
@Injectable()
export class LiveStream implements OnModuleInit, OnModuleDestroy {
  private readonly key: string;
  private reader: Redis | null = null;
  private history: Redis | null = null;
  private readonly listeners = new Set<(entry: LiveEntry) => void>();
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.key = liveStreamKey(config.kafka.topicPrefix);
  }

  onModuleInit(): void {
    // Connections of their own: the reader blocks on XREAD; the history answers catch-ups meanwhile.
    this.reader = createRedis(this.config.redis, this.logger, { blockingReader: true });
    this.history = createRedis(this.config.redis, this.logger, { blockingReader: true });
    this.running = true;
    this.loop = this.read();
  }

  private async read(): Promise<void> {
    let last = '$';
    while (this.running) {
      try {
        const result = (await this.reader?.xread('BLOCK', 5000, 'STREAMS', this.key, last)) as [string, [string, Fields][]][] | null;
        for (const [, entries] of result ?? []) {
          for (const [id, fields] of entries) {
            last = id;
            const entry = entryOf(id, fields);
            for (const listener of this.listeners) listener(entry);
          }
        }
      } catch (error) {
        if (!this.running) return;
        this.logger.warn({ err: error }, 'live stream read failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** Entries after `id` still kept in the stream (a reconnect's catch-up). */
  async after(id: string): Promise<LiveEntry[]> {
    const entries = (await this.history?.xrange(this.key, `(${id}`, '+', 'COUNT', 10_000)) ?? [];
    return entries.map(([entryId, fields]) => entryOf(entryId, fields));
  }

  subscribe(listener: (entry: LiveEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.listeners.clear();
    this.reader?.disconnect();
    this.history?.disconnect();
    // A read waiting for an unreachable Redis must not hold up the shutdown.
    await Promise.race([this.loop?.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  }
}
