import { Injectable } from '@nestjs/common';
import { AlertSilencesRepository, AuditRepository, Database } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { SilenceError } from './silence.errors';

/** Ends a silence early, with its s.62 entry; a silence not in force is not found. */
@Injectable()
export class CancelSilenceUseCase {
  constructor(
    private readonly database: Database,
    private readonly silences: AlertSilencesRepository,
    private readonly audit: AuditRepository,
  ) {}

  async execute(principal: Principal, silenceId: string, now: Date): Promise<void> {
    const by = principal.subject;
    const cancelled = await this.database.transaction(async (tx) => {
      const done = await this.silences.cancel(tx, silenceId, by, now);
      if (done)
        await this.audit.append(tx, [
          { actor: by, action: 'alteration', subjectType: 'silence', subjectId: silenceId, justification: 'silence cancelled' },
        ]);
      return done;
    });
    if (!cancelled) throw new SilenceError('SILENCE_NOT_FOUND', `no silence ${silenceId} in force`);
  }
}
