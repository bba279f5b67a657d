/**
 * What each client session of the embedded database is doing, for diagnosis: who holds the one
 * backend and since when, who waits for it and since when, when each last sent anything. Kept
 * outside the server's session logic on purpose: it watches the gate (the mutex every session
 * takes before it talks to PGlite) and the sockets, and changes neither.
 *
 * A session holding the backend while its client sends nothing is inside a transaction (or mid
 * extended query) and everyone else waits for it; a session waiting while the holder is busy is
 * ordinary; a waiter with no holder is a lost wake-up. A session that waits longer than
 * `slowWaitMs` logs the report once (a stall leaves its cause in the log).
 */
import type { Socket } from 'node:net';
import type { Mutex, MutexInterface } from 'async-mutex';

export interface SessionSnapshot {
  readonly client: string;
  readonly connectedMs: number;
  /** `holding` the backend, `waiting` for it, or `idle` (neither: between transactions). */
  readonly state: 'holding' | 'waiting' | 'idle';
  /** How long it has held, or waited for, the backend. */
  readonly forMs: number | null;
  /** Since the client last sent anything. */
  readonly lastInputMs: number | null;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Times this session has taken the backend. */
  readonly acquisitions: number;
}

interface Tracked {
  readonly socket: Socket;
  readonly client: string;
  readonly connectedAt: number;
  state: SessionSnapshot['state'];
  since: number | null;
  lastInputAt: number | null;
  acquisitions: number;
}

type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** At most this many sessions in a report (the services hold ~4 connections each). */
const MAX_REPORTED = 40;

export class SessionReport {
  private readonly sessions = new Set<Tracked>();

  constructor(
    private readonly log: Log,
    private readonly slowWaitMs = 5_000,
  ) {}

  /**
   * The gate as one session sees it: the same mutex, with its waits and holds recorded.
   * (A Proxy so that the server's Session keeps its type and code unchanged.)
   */
  track(socket: Socket, gate: Mutex): Mutex {
    const tracked: Tracked = {
      socket,
      client: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`,
      connectedAt: Date.now(),
      state: 'idle',
      since: null,
      lastInputAt: null,
      acquisitions: 0,
    };
    this.sessions.add(tracked);
    socket.on('data', () => (tracked.lastInputAt = Date.now()));
    socket.once('close', () => this.sessions.delete(tracked));
    const acquire = async (): Promise<MutexInterface.Releaser> => {
      tracked.state = 'waiting';
      tracked.since = Date.now();
      const slow = setTimeout(() => {
        this.log('warn', 'embedded db session waiting for the database', { client: tracked.client, sessions: this.snapshot() });
      }, this.slowWaitMs);
      slow.unref();
      try {
        const release = await gate.acquire();
        tracked.state = 'holding';
        tracked.since = Date.now();
        tracked.acquisitions += 1;
        return () => {
          tracked.state = 'idle';
          tracked.since = null;
          release();
        };
      } catch (error) {
        tracked.state = 'idle';
        tracked.since = null;
        throw error;
      } finally {
        clearTimeout(slow);
      }
    };
    return new Proxy(gate, {
      get: (target, property) => {
        if (property === 'acquire') return acquire;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** The sessions now: holders first, then waiters by how long they have waited, then the idle. */
  snapshot(now = Date.now()): SessionSnapshot[] {
    const order = { holding: 0, waiting: 1, idle: 2 } as const;
    return [...this.sessions]
      .map(
        (s): SessionSnapshot => ({
          client: s.client,
          connectedMs: now - s.connectedAt,
          state: s.state,
          forMs: s.since === null ? null : now - s.since,
          lastInputMs: s.lastInputAt === null ? null : now - s.lastInputAt,
          bytesIn: s.socket.bytesRead,
          bytesOut: s.socket.bytesWritten,
          acquisitions: s.acquisitions,
        }),
      )
      .sort((a, b) => order[a.state] - order[b.state] || (b.forMs ?? 0) - (a.forMs ?? 0))
      .slice(0, MAX_REPORTED);
  }
}
