import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '@linewatch/embedded-db';
import { frameTypedMessages, queryMessage } from './wire-protocol';

function frameTypes(buffer: Buffer): string[] {
  // The answer to the startup (R, S, K, Z) is typed messages too: frame everything received.
  return frameTypedMessages(buffer).types;
}

function passwordMessage(): Buffer {
  const body = Buffer.from(`md5${'0'.repeat(32)}\0`, 'ascii');
  const header = Buffer.alloc(5);
  header.write('p', 0, 'ascii');
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

/** Polls until the condition holds (2 s, then fails: the session's answers stopped). */
async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('no answer from the embedded database within 2 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('embedded TimescaleDB over the wire protocol', () => {
  let db: EmbeddedDatabase;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'linewatch-embedded-'));
    db = await startEmbeddedDatabase({ dataDir, port: 0, idleInTransactionTimeoutMs: 2000 });
    const client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
    await client.query('CREATE TABLE readings (at timestamptz NOT NULL, v text)');
    await client.query(`SELECT create_hypertable('readings', by_range('at', INTERVAL '7 days'))`);
    await client.end();
  });

  afterAll(async () => {
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves several pools at once (pglite-socket alone queues every other connection)', async () => {
    const pools = [new Pool({ connectionString: db.url, max: 4 }), new Pool({ connectionString: db.url, max: 4 })];
    try {
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) => pools[i % 2].query('SELECT $1::int AS n', [i]).then((r) => r.rows[0].n)),
      );
      expect(results).toEqual(Array.from({ length: 16 }, (_, i) => i));
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('never interleaves transactions: another session waits until the first commits', async () => {
    const a = new Client({ connectionString: db.url });
    const b = new Client({ connectionString: db.url });
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query('BEGIN');
      await a.query(`INSERT INTO readings VALUES (now(), 'from-a')`);
      const order: string[] = [];
      const bRead = b.query(`SELECT count(*)::int AS n FROM readings WHERE v = 'from-a'`).then((r) => {
        order.push('b-read');
        return r.rows[0].n;
      });
      // b is queued behind a's open transaction; a finishing first is what we assert.
      await a.query('COMMIT').then(() => order.push('a-commit'));
      expect(await bRead).toBe(1);
      expect(order).toEqual(['a-commit', 'b-read']);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('rolls back what a vanished client left open, and serves the others', async () => {
    const a = new Client({ connectionString: db.url });
    await a.connect();
    a.on('error', () => undefined);
    await a.query('BEGIN');
    await a.query(`INSERT INTO readings VALUES (now(), 'abandoned')`);
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const b = new Client({ connectionString: db.url });
    await b.connect();
    const { rows } = await b.query(`SELECT count(*)::int AS n FROM readings WHERE v = 'abandoned'`);
    expect(rows[0].n).toBe(0);
    await b.end();
  });

  it('serves the others after a client vanished between its startup and its password (a process killed while connecting)', async () => {
    const b = new Client({ connectionString: db.url, query_timeout: 10_000 });
    await b.connect();
    // What a SIGKILLed service's pool can leave: the startup sent, the password request answered, nothing more.
    const raw = connect(db.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => raw.once('connect', resolve).once('error', reject));
    const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
    const startup = Buffer.alloc(8 + params.length);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(196608, 4);
    params.copy(startup, 8);
    const asked = new Promise<Buffer>((resolve) => raw.once('data', resolve));
    raw.write(startup);
    expect(String.fromCharCode((await asked)[0])).toBe('R'); // the password request
    const closed = new Promise((resolve) => raw.once('close', resolve));
    raw.destroy();
    await closed;
    // An established session's next query: PGlite must not take it for the vanished client's password.
    await b.query('BEGIN');
    const { rows } = await b.query('SELECT 1 AS n');
    await b.query('COMMIT');
    expect(rows[0].n).toBe(1);
    await b.end();
  });

  it('answers every query whatever byte its messages end on (PGlite drops the input after a message ending on an 8 KiB boundary)', async () => {
    // What stalled `npm start` for a minute: ingest's idempotency lookup for 205 event ids was a
    // Parse + Bind whose end fell on byte 8192; PGlite answered the Parse, Bind and Describe and
    // silently dropped Execute and Sync, so the session held the one backend until the watchdog.
    const client = new Client({ connectionString: db.url, query_timeout: 5_000 });
    await client.connect();
    try {
      for (let size = 8_000; size <= 8_260; size += 1) {
        const { rows } = await client.query('SELECT length($1::text)::int AS n', ['x'.repeat(size)]);
        expect(rows[0].n).toBe(size);
      }
    } finally {
      await client.end();
    }
  });

  it('answers both of two pipelined queries when the first is exactly 8 KiB on the wire', async () => {
    const raw = connect(db.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => raw.once('connect', resolve).once('error', reject));
    const received: Buffer[] = [];
    raw.on('data', (chunk) => received.push(chunk));
    const readyCount = () => frameTypes(Buffer.concat(received)).filter((type) => type === 'Z').length;
    const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
    const startup = Buffer.alloc(8 + params.length);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(196608, 4);
    params.copy(startup, 8);
    raw.write(startup);
    await waitUntil(() => received.length > 0);
    raw.write(passwordMessage());
    await waitUntil(() => readyCount() === 1);
    const first = queryMessage(`SELECT 1 --${'x'.repeat(8192 - queryMessage('SELECT 1 --').length)}`);
    expect(first.length).toBe(8192);
    raw.write(Buffer.concat([first, queryMessage('SELECT 2')]));
    await waitUntil(() => readyCount() === 3);
    raw.destroy();
  });

  it('takes a statement larger than a TCP chunk (whole messages only reach PGlite)', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const big = 'x'.repeat(400_000);
    await client.query('INSERT INTO readings VALUES (now(), $1)', [big]);
    const { rows } = await client.query('SELECT max(length(v))::int AS n FROM readings');
    expect(rows[0].n).toBe(400_000);
    await client.end();
  });

  it('keeps its data across a restart', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(`INSERT INTO readings VALUES (now(), 'kept')`);
    await client.end();
    await db.close();
    db = await startEmbeddedDatabase({ dataDir, port: 0 });
    const again = new Client({ connectionString: db.url });
    await again.connect();
    const { rows } = await again.query(`SELECT count(*)::int AS n FROM readings WHERE v = 'kept'`);
    expect(rows[0].n).toBe(1);
    await again.end();
  });
});
