import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SilenceRequestV1 } from '@linewatch/contracts';
import { AlertSilencesRepository, AuditRepository, Database, type SilenceRow } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { SilenceError } from './silence.errors';

/**
 * Silences a line or an area until a time, with a reason: alerts for it are recorded as silenced,
 * not sent. The silence and its s.62 entry are written in one transaction.
 */
@Injectable()
export class CreateSilenceUseCase {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly silences: AlertSilencesRepository,
    private readonly audit: AuditRepository,
  ) {}

  async execute(principal: Principal, wanted: SilenceRequestV1, now: Date): Promise<SilenceRow> {
    // An area that is not configured would silence nothing: refused, as intake refuses it in events.
    if (wanted.area !== undefined && !this.config.areas.codes.has(wanted.area)) {
      throw new SilenceError('UNKNOWN_AREA', `unknown area "${wanted.area}": not in the configured areas (GET /v1/areas)`);
    }
    const startsAt = wanted.startsAt ? new Date(wanted.startsAt) : now;
    const endsAt = new Date(wanted.endsAt);
    if (endsAt.getTime() <= Math.max(startsAt.getTime(), now.getTime())) {
      throw new SilenceError('INVALID_SILENCE', 'endsAt must be in the future and after startsAt');
    }
    const silence: SilenceRow = {
      silenceId: randomUUID(),
      lineId: wanted.lineId ?? null,
      area: wanted.area ?? null,
      startsAt,
      endsAt,
      reason: wanted.reason,
      createdBy: principal.subject,
    };
    await this.database.transaction(async (tx) => {
      await this.silences.insert(tx, silence);
      await this.audit.append(tx, [
        {
          actor: silence.createdBy,
          action: 'alteration',
          subjectType: 'silence',
          subjectId: silence.silenceId,
          justification: silence.reason,
          details: silence,
        },
      ]);
    });
    return silence;
  }
}
