import { Inject, Injectable } from '@nestjs/common';
import { AreaScope, Database, LineQueriesRepository, type LineFilter } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { ConsultationLog } from '../audit/consultation.log';
import { identifierFromText } from '../identity/identity.errors';
import { seesHandlingC } from './line-scope';

/**
 * Lines in the caller's scope (officers: their areas), filtered, by pages; the read is logged
 * (s.62) with the filter as applied. A number or handset filter is normalised first (E.164,
 * 15-digit IMEI; INVALID_MSISDN / INVALID_IMEI otherwise) and matched literally in the identity
 * index, only on what the caller may see. Each line comes with its brands and current number, as the
 * caller may see them, from the same statement (no read per line). A merged line is not listed: its
 * id resolves to its survivor, listed with its evidence.
 */
@Injectable()
export class ListLinesUseCase {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly queries: LineQueriesRepository,
    private readonly log: ConsultationLog,
  ) {}

  async execute(principal: Principal, asked: LineFilter, justification: string | null) {
    const filter: LineFilter = {
      ...asked,
      ...(asked.msisdn === undefined ? {} : { msisdn: identifierFromText('msisdn', asked.msisdn).value }),
      ...(asked.imei === undefined ? {} : { imei: identifierFromText('imei', asked.imei).value }),
    };
    const found = await this.database.autocommit((q) =>
      this.queries.list(
        q,
        AreaScope.of(principal),
        filter,
        { intervalDays: this.config.extra.LINE_REVIEW_INTERVAL_DAYS },
        { seesHandlingC: seesHandlingC(principal) },
      ),
    );
    await this.log.record(principal, { type: 'lines', id: JSON.stringify(filter) }, justification, { returned: found.length });
    return { lines: found, next: found.length === filter.limit ? found.at(-1)?.lineId : null };
  }
}
