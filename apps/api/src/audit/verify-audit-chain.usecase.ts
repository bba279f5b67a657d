import { Injectable } from '@nestjs/common';
import { AuditRepository, Database, type ChainReport } from '@linewatch/persistence';

/** Recomputes the s.62 log's hash chain: intact, or the first entry rewritten or removed. */
@Injectable()
export class VerifyAuditChainUseCase {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditRepository,
  ) {}

  async execute(): Promise<ChainReport> {
    return this.database.autocommit((q) => this.audit.verify(q));
  }
}
