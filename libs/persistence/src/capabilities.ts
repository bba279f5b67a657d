import type { DataSource, QueryRunner } from 'typeorm';
import { managerOf, type Database } from './database';

/** True when the TimescaleDB extension is installed in this database. */
export async function hasTimescale(db: Database | DataSource | QueryRunner): Promise<boolean> {
  const sql = `SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`;
  const rows: unknown[] = 'autocommit' in db ? await db.autocommit((q) => managerOf(q).query(sql)) : await db.query(sql);
  return rows.length > 0;
}
