import { Client } from 'pg';
import { diagnostics, testDatabaseConfig, waitFor, type WatchedService } from '@linewatch/testing';

/** A service as the diagnostics see it (its database is given by the environment it is watched with). */
function aService(): WatchedService {
  return { name: 'api', url: 'http://127.0.0.1:1', process: { pid: 1, exitCode: null, signalCode: null }, output: ['{"msg":"listening"}'] };
}

describe('test diagnostics against the real databases', () => {
  const watched: WatchedService[] = [];
  afterEach(() => watched.splice(0).forEach((service) => diagnostics.unwatch(service)));

  it("tell who holds the embedded database's one backend and who waits for it (its session report, over the test stack's endpoint)", async () => {
    const url = testDatabaseConfig('timescale').url;
    const service = aService();
    watched.push(service);
    diagnostics.watch(service, { DATABASE_URL: url });
    const holder = new Client({ connectionString: url, application_name: 'holder' });
    const waiter = new Client({ connectionString: url });
    await holder.connect();
    await waiter.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1');
      const waiting = waiter.query('SELECT 2');
      const embedded = await waitFor(
        async () => {
          const database = (await diagnostics.collect()).databases.find((d) => d.label.startsWith('embedded'));
          return database?.sessions.some((s) => s.state === 'waiting') ? database : undefined;
        },
        { what: 'the waiting session in the report', timeoutMs: 10_000, diagnose: false },
      );
      await holder.query('COMMIT');
      await waiting;
      expect(embedded.error).toBeUndefined();
      expect(embedded.sessions[0]).toMatchObject({ state: 'holding' });
    } finally {
      await holder.end();
      await waiter.end();
    }
  });

  it("show the PostgreSQL server's sessions from pg_stat_activity, a transaction left open among them", async () => {
    const url = testDatabaseConfig('postgres').url;
    const service = aService();
    watched.push(service);
    diagnostics.watch(service, { DATABASE_URL: url });
    const open = new Client({ connectionString: url, application_name: 'diagnostics-probe' });
    await open.connect();
    try {
      await open.query('BEGIN');
      await open.query('SELECT 1');
      const text = await diagnostics.describe();
      expect(text).toMatch(/database: PostgreSQL \S+ \(pg_stat_activity\)/);
      expect(text).toMatch(/diagnostics-probe: idle in transaction for \d+ ms; in transaction \d+ ms, waiting on Client:ClientRead, last: SELECT 1/);
      expect(text).toContain('service api at http://127.0.0.1:1: running (pid 1)');
    } finally {
      await open.query('ROLLBACK');
      await open.end();
    }
  });
});
