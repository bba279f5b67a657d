import type { DataSource, QueryRunner } from 'typeorm';

/** True when the TimescaleDB extension is installed in this database. */
export async function hasTimescale(db: DataSource | QueryRunner): Promise<boolean> {
  const rows: unknown[] = await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
  return rows.length > 0;
}
