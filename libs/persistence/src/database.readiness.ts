import { Injectable } from '@nestjs/common';
import type { ReadinessCheck } from '@linewatch/observability';
import { Database, managerOf } from './database';

@Injectable()
export class DatabaseReadiness implements ReadinessCheck {
  readonly name = 'database';

  constructor(private readonly database: Database) {}

  async check(): Promise<void> {
    await this.database.autocommit((q) => managerOf(q).query('SELECT 1'));
  }
}
