export { startEmbeddedDatabase } from './embedded-db.server';
export type { EmbeddedDatabase, EmbeddedDatabaseOptions } from './embedded-db.server';
export type { SessionSnapshot } from './session-report';
export type { StatementCost } from './statement-profile';
