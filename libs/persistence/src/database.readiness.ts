import { Inject, Injectable } from '@nestjs/common';
import type { ReadinessCheck } from '@linewatch/observability';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from './persistence.tokens';

@Injectable()
export class DatabaseReadiness implements ReadinessCheck {
  readonly name = 'database';

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async check(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
