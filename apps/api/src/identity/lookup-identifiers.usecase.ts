import { Injectable } from '@nestjs/common';
import type { IdentifierLookupV1 } from '@linewatch/contracts';
import { normaliseBrand } from '@linewatch/domain';
import { AreaScope, Database, LineIdentityRepository, type IdentityLookup } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { ConsultationLog } from '../audit/consultation.log';
import { seesHandlingC } from '../lines/line-scope';
import { identifierFromText } from './identity.errors';

export interface LookupRequest {
  readonly msisdn?: string;
  readonly imei?: string;
  readonly brand?: string;
}

/**
 * Which lines held a number or handset (with the intervals), or used a brand (first and last
 * seen) — PRODUCT.md "Lookup". Scoped in the query (officers: lines in their areas) and never
 * through, or showing, an identifier or brand known only from handling-C evidence (the index's
 * `disclosable`), so a C-only number is simply not found for an officer. Every lookup, a miss
 * too, is a consultation in the s.62 log naming what was looked up.
 */
@Injectable()
export class LookupIdentifiersUseCase {
  constructor(
    private readonly database: Database,
    private readonly identity: LineIdentityRepository,
    private readonly log: ConsultationLog,
  ) {}

  async execute(principal: Principal, request: LookupRequest, justification: string | null): Promise<IdentifierLookupV1> {
    const lookup = lookupOf(request);
    const full = seesHandlingC(principal);
    const matches = await this.database.autocommit((q) =>
      this.identity.lookup(q, lookup, { scope: AreaScope.of(principal), seesHandlingC: full }),
    );
    await this.log.record(principal, { type: 'identifier', id: `${lookup.kind}:${lookup.value}` }, justification, {
      lookedUp: lookup,
      lines: matches.map((m) => m.lineId),
    });
    return {
      lookedUp: lookup,
      lines: matches.map((m) => ({
        lineId: m.lineId,
        state: m.state as IdentifierLookupV1['lines'][number]['state'],
        area: m.area,
        intervals: m.intervals.map((i) => ({
          kind: i.kind,
          value: i.value,
          from: i.from.toISOString(),
          to: i.to?.toISOString() ?? null,
          ...(full ? { startedBy: i.startedBy, endedBy: i.endedBy } : {}),
        })),
        brand:
          m.brand === null
            ? null
            : {
                brand: m.brand.brand,
                // The spellings as written may come from handling-C reports: shown to those who see them.
                ...(full ? { writtenAs: [...m.brand.writtenAs] } : {}),
                firstSeenAt: m.brand.firstSeenAt.toISOString(),
                lastSeenAt: m.brand.lastSeenAt.toISOString(),
              },
      })),
    };
  }
}

/** The one thing looked up (the query's contract allows exactly one), normalised. */
function lookupOf(request: LookupRequest): IdentityLookup {
  if (request.msisdn !== undefined) return identifierFromText('msisdn', request.msisdn);
  if (request.imei !== undefined) return identifierFromText('imei', request.imei);
  // A brand with nothing left once normalised (spaces, accents only) matches nothing; it is still logged.
  return { kind: 'brand', value: normaliseBrand(request.brand ?? '') ?? '' };
}
