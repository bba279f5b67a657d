import { Injectable } from '@nestjs/common';
import { AlertSilencesRepository, AreaScope, Database, type SilenceRow } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';

/** Silences in force or to come, in the caller's scope (officers: for their areas and their lines). */
@Injectable()
export class ListSilencesUseCase {
  constructor(
    private readonly database: Database,
    private readonly silences: AlertSilencesRepository,
  ) {}

  async execute(principal: Principal, now: Date): Promise<{ silences: SilenceRow[] }> {
    return { silences: await this.database.autocommit((q) => this.silences.list(q, now, AreaScope.of(principal))) };
  }
}
