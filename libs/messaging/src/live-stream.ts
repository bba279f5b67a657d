import { liveStreamKey, type LiveItem } from '@linewatch/contracts';
import type Redis from 'ioredis';

/** Entries kept in the live stream (roughly: Redis trims lazily): enough for a reconnect to catch up. */
export const LIVE_STREAM_LENGTH = 10_000;

/** Appends to the live stream; callers treat a failure as "not announced" (the database has the fact). */
export async function appendLive(redis: Redis, prefix: string, items: readonly LiveItem[]): Promise<void> {
  if (items.length === 0) return;
  const pipeline = redis.pipeline();
  for (const item of items) {
    pipeline.xadd(
      liveStreamKey(prefix),
      'MAXLEN',
      '~',
      String(LIVE_STREAM_LENGTH),
      '*',
      'type',
      item.type,
      'areas',
      JSON.stringify(item.areas),
      ...(item.roles === undefined ? [] : ['roles', JSON.stringify(item.roles)]),
      'data',
      JSON.stringify(item.data),
    );
  }
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
}
