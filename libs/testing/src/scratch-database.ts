import { Client } from 'pg';
import type { DatabaseConfig } from '@linewatch/config';
import { startEmbeddedDatabase } from '@linewatch/embedded-db';
import { runMigrations } from '@linewatch/persistence';
import { testDatabaseConfig, type DatabaseFlavour } from './test-infrastructure';

/** The PostgreSQL server of the machine (as the test stack: LINEWATCH_TEST_PG_ADMIN_URL). */
const PG_ADMIN_URL = process.env.LINEWATCH_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  readonly config: DatabaseConfig;
  /** Stops the embedded database, or drops the PostgreSQL database. */
  drop(): Promise<void>;
}

/**
 * A migrated database of the flavour for one suite alone (a tamper test must not break the
 * database the other suites share): an embedded TimescaleDB in memory of its own, or a fresh
 * database on the PostgreSQL server.
 */
export async function scratchDatabase(flavour: DatabaseFlavour, label: string): Promise<ScratchDatabase> {
  if (flavour === 'timescale') {
    const embedded = await startEmbeddedDatabase({ dataDir: 'memory://', port: 0, log: () => undefined });
    const config = { ...testDatabaseConfig('timescale'), url: embedded.url };
    await runMigrations(config);
    return { config, drop: () => embedded.close() };
  }
  const name = `linewatch_${label.replace(/[^a-z0-9_]/gi, '_')}_${process.pid}_${Date.now()}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const config = { ...testDatabaseConfig('postgres'), url: url.toString() };
  await runMigrations(config);
  return { config, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
