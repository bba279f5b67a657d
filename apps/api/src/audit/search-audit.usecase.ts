import { Injectable } from '@nestjs/common';
import { AuditRepository, Database, type AuditEntry, type AuditSearch } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { ConsultationLog } from './consultation.log';

/** Searches the s.62 log (newest first); reading it is itself a consultation, logged. */
@Injectable()
export class SearchAuditUseCase {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditRepository,
    private readonly log: ConsultationLog,
  ) {}

  async execute(principal: Principal, search: AuditSearch, justification: string | undefined): Promise<{ entries: AuditEntry[] }> {
    const entries = await this.database.autocommit((q) => this.audit.search(q, search));
    await this.log.record(principal, { type: 'audit', id: JSON.stringify(search) }, justification ?? 'audit search', {
      returned: entries.length,
    });
    return { entries };
  }
}
