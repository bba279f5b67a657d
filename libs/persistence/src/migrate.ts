import type { DatabaseConfig } from '@linewatch/config';
import { hasTimescale } from './capabilities';
import { openDataSource } from './data-source';

export interface MigrationReport {
  readonly applied: readonly string[];
  readonly timescale: boolean;
}

/** Applies pending migrations. Run once per deployment (CLI, `npm start`, tests), never by each replica. */
export async function runMigrations(config: DatabaseConfig): Promise<MigrationReport> {
  const dataSource = await openDataSource(config, 'linewatch-migrate');
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return { applied: applied.map((m) => m.name), timescale: await hasTimescale(dataSource) };
  } finally {
    await dataSource.destroy();
  }
}
