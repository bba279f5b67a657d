export { hasTimescale } from './capabilities';
export { dataSourceOptions, openDataSource } from './data-source';
export { DatabaseReadiness } from './database.readiness';
export { IntelEventsRepository, type IntelEventRecord } from './intel-events.repository';
export { runMigrations, type MigrationReport } from './migrate';
export { MIGRATIONS } from './migrations';
export { PersistenceModule } from './persistence.module';
export { DATA_SOURCE } from './persistence.tokens';
