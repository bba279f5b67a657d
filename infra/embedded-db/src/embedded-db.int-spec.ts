import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '@linewatch/embedded-db';

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
