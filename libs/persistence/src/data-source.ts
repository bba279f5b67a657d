import type { DatabaseConfig } from '@linewatch/config';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/** TypeORM options for a service: no synchronize, no migrations at boot (one step runs them). */
export function dataSourceOptions(config: DatabaseConfig, applicationName: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.url,
    ssl: config.ssl === false ? false : { ...config.ssl },
    applicationName,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    entities: [],
    logging: false,
    extra: {
      max: config.embedded ? Math.min(config.poolMax, 4) : config.poolMax,
      statement_timeout: config.statementTimeoutMs,
      // The embedded database runs one transaction at a time: a new connection may wait its turn
      // behind a batch, so it gets longer, and idle connections are kept rather than re-made.
      connectionTimeoutMillis: config.embedded ? 30_000 : 5_000,
      idleTimeoutMillis: config.embedded ? 120_000 : 10_000,
    },
  };
}

export async function openDataSource(config: DatabaseConfig, applicationName: string): Promise<DataSource> {
  return new DataSource(dataSourceOptions(config, applicationName)).initialize();
}
