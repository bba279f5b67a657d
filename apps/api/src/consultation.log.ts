import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository, DATA_SOURCE } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import type { DataSource, EntityManager } from 'typeorm';

/** Every read of intelligence is a consultation in the s.62 log: who, what, when, why. */
@Injectable()
export class ConsultationLog {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly audit: AuditRepository,
  ) {}

  async record(
    principal: Principal,
    subject: { readonly type: string; readonly id: string },
    justification: string | null | undefined,
    details: object = {},
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await this.audit.append(manager, [
      {
        actor: principal.subject,
        action: 'consultation',
        subjectType: subject.type,
        subjectId: subject.id,
        justification: justification?.trim() || '(none given)',
        details: { ...details, roles: principal.roles, areas: principal.areas },
      },
    ]);
  }
}
