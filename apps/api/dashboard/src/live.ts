import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { LiveDataV1 } from '@linewatch/contracts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** Each event type's data (libs/contracts live-item.v1). */
export type LiveEvents = LiveDataV1;

type Listener<K extends keyof LiveEvents> = (data: LiveEvents[K]) => void;

const MAX_BACKOFF_MS = 30_000;
const LIVE_TYPES: readonly string[] = ['state-change', 'alert', 'replacement-suggestion'] satisfies readonly (keyof LiveEvents)[];
const isLiveType = (type: string | undefined): type is keyof LiveEvents => type !== undefined && LIVE_TYPES.includes(type);

/**
 * The live stream (`GET /v1/stream`, server-sent events) read with fetch, since EventSource cannot
 * send an Authorization header. After a drop it reconnects with Last-Event-ID, and the API replays
 * what was missed; a 401 ends it (the session is over).
 */
export class LiveConnection {
  private readonly listeners: { [K in keyof LiveEvents]: Set<Listener<K>> } = {
    'state-change': new Set(),
    alert: new Set(),
    'replacement-suggestion': new Set(),
  };
  private readonly statusListeners = new Set<(status: LiveStatus) => void>();
  private readonly resyncListeners = new Set<() => void>();
  private connectedBefore = false;
  private abort: AbortController | null = null;
  private lastEventId: string | null = null;
  private retryMs = 3000;
  private failures = 0;
  private current: LiveStatus = 'stopped';

  constructor(
    private readonly headers: () => Record<string, string>,
    private readonly onUnauthorized: (reason: string) => void,
  ) {}

  get status(): LiveStatus {
    return this.current;
  }

  on<K extends keyof LiveEvents>(type: K, listener: Listener<K>): () => void {
    this.listeners[type].add(listener);
    return () => this.listeners[type].delete(listener);
  }

  /**
   * After a drop with nothing to resume from (no event seen yet, so no Last-Event-ID), what
   * happened meanwhile cannot be replayed: views reload what they show.
   */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** Calls the listener with the status now, then with every change (a view that mounts late misses none). */
  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    listener(this.current);
    return () => this.statusListeners.delete(listener);
  }

  start(): void {
    if (this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    void this.run(abort.signal);
  }

  stop(): void {
    this.abort?.abort();
    this.abort = null;
    this.setStatus('stopped');
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.current) return;
    this.current = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.setStatus(this.lastEventId === null && this.failures === 0 ? 'connecting' : 'reconnecting');
      try {
        const ended = await this.connect(signal);
        if (ended === 'unauthorized') return;
      } catch {
        // a drop, a refused connection or a server error: try again below
      }
      if (signal.aborted) return;
      this.failures += 1;
      this.setStatus('reconnecting');
      const backoff = Math.min(MAX_BACKOFF_MS, this.retryMs * 2 ** Math.min(this.failures - 1, 4));
      await new Promise((resolve) => setTimeout(resolve, backoff * (0.75 + Math.random() * 0.5)));
    }
  }

  /** 'unauthorized': refused for good (401 signs out; 403 leaves live updates off). */
  private async connect(signal: AbortSignal): Promise<'ended' | 'unauthorized'> {
    const response = await fetch('/v1/stream', {
      headers: {
        ...this.headers(),
        accept: 'text/event-stream',
        ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}),
      },
      cache: 'no-store',
      signal,
    });
    if (response.status === 401) {
      const answer = (await response.json().catch(() => null)) as { message?: string } | null;
      this.abort = null;
      this.setStatus('stopped');
      this.onUnauthorized(answer?.message ?? 'the live stream refused the token');
      return 'unauthorized';
    }
    if (response.status === 403) {
      // The roles do not include the stream: trying again will not change that.
      this.abort = null;
      this.setStatus('stopped');
      return 'unauthorized';
    }
    if (!response.ok || !response.body) throw new Error(`live stream answered ${response.status}`);
    this.failures = 0;
    this.setStatus('live');
    if (this.connectedBefore && this.lastEventId === null) for (const listener of this.resyncListeners) listener();
    this.connectedBefore = true;
    const parser = createParser({
      onEvent: (message) => this.dispatch(message),
      onRetry: (ms) => {
        this.retryMs = Math.max(500, ms);
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return 'ended';
        parser.feed(value);
      }
    } finally {
      reader.releaseLock();
    }
  }

  private dispatch(message: EventSourceMessage): void {
    if (message.id) this.lastEventId = message.id;
    const type = message.event;
    if (!isLiveType(type)) return;
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      return;
    }
    for (const listener of this.listeners[type]) (listener as (value: unknown) => void)(data);
  }
}
