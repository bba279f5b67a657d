import { Inject, Injectable } from '@nestjs/common';
import type { DatabaseConfig } from '@linewatch/config';
import type { DataSource, EntityManager } from 'typeorm';
import { openDataSource } from './data-source';
import { DATA_SOURCE } from './persistence.tokens';

// Brands only the type checker sees: nothing outside this library can make a Queryable or a Tx,
// nor call anything on one — an app hands it to repositories and that is all it can do.
declare const queryableBrand: unique symbol;
declare const txBrand: unique symbol;

/**
 * Where a repository's statements run: the pool, each statement committing by itself
 * (`Database.autocommit`), or a transaction (`Tx`). Opaque outside libs/persistence.
 */
export interface Queryable {
  readonly [queryableBrand]: true;
}

/**
 * A transaction in progress (`Database.transaction`): its statements commit or roll back together,
 * and the row and advisory locks taken through it are held until then. Repository methods that
 * lock (`FOR UPDATE`, `pg_advisory_xact_lock`) take a `Tx`, so a lock outside a transaction does
 * not compile.
 */
export interface Tx extends Queryable {
  readonly [txBrand]: true;
}

/**
 * The TypeORM manager behind a Queryable. For repositories only (not exported from index.ts): at
 * run time a Queryable is the manager itself, so the seam costs no allocation and no round trip.
 */
export function managerOf(q: Queryable): EntityManager {
  return q as unknown as EntityManager;
}

/**
 * The one database seam of a service: transactions and autocommit statements, handed to
 * repositories as opaque values. TypeORM stays inside libs/persistence.
 */
@Injectable()
export class Database {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Opens a pool outside Nest (CLI commands, tests); `close()` it when done. */
  static async open(config: DatabaseConfig, applicationName: string): Promise<Database> {
    return new Database(await openDataSource(config, applicationName));
  }

  /**
   * Runs `work` in one transaction (BEGIN … COMMIT at the server's default isolation, READ
   * COMMITTED): committed when it resolves, rolled back when it throws (the error is rethrown).
   */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(manager as unknown as Tx));
  }

  /**
   * Runs `work` on the pool outside any transaction: each statement commits by itself, and
   * statements may run in parallel on several connections. For reads, single-statement writes,
   * leases, and statements a transaction block refuses (a continuous aggregate's refresh).
   */
  autocommit<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    return work(this.dataSource.manager as unknown as Queryable);
  }

  /** Closes the pool (after consumers drained: PersistenceModule calls it at shutdown). */
  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
