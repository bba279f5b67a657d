import { Injectable } from '@nestjs/common';
import { AuditRepository, Database } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';

/** Every read of intelligence is a consultation in the s.62 log: who, what, when, why. */
@Injectable()
export class ConsultationLog {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditRepository,
  ) {}

  async record(
    principal: Principal,
    subject: { readonly type: string; readonly id: string },
    justification: string | null | undefined,
    details: object = {},
  ): Promise<void> {
    await this.database.autocommit((q) =>
      this.audit.append(q, [
        {
          actor: principal.subject,
          action: 'consultation',
          subjectType: subject.type,
          subjectId: subject.id,
          justification: justification?.trim() || '(none given)',
          details: { ...details, roles: principal.roles, areas: principal.areas },
        },
      ]),
    );
  }
}
