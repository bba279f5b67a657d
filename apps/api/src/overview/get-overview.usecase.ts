import { Inject, Injectable } from '@nestjs/common';
import { topicNames, type OverviewV1 } from '@linewatch/contracts';
import { AreaScope, ClosureCheckBacksRepository, Database, DeadLettersRepository, OverviewRepository } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { ConsultationLog } from '../audit/consultation.log';

const DAY_MS = 86_400_000;

/** Reviews due are listed (GET /v1/reviews/due) for analysts and admins only: others are not told how many. */
const seesReviews = (principal: Principal) => principal.roles.includes('analyst') || principal.roles.includes('admin');
/** Dead letters are listed (GET /v1/dead-letters) for admins only. */
const seesDeadLetters = (principal: Principal) => principal.roles.includes('admin');

/**
 * The figures of the dashboard's home view in the caller's scope (officers: their areas): lines by
 * area and state, lines changed in the last 24 hours, open alerts by severity and age, and (analysts,
 * admins) reviews due and closure check-backs due (GET /v1/check-backs/due), (admins) dead letters waiting. Grouped counts on one connection; the read is logged (s.62) with what
 * was counted.
 */
@Injectable()
export class GetOverviewUseCase {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly overview: OverviewRepository,
    private readonly checkBacks: ClosureCheckBacksRepository,
    private readonly deadLetters: DeadLettersRepository,
    private readonly log: ConsultationLog,
  ) {}

  async execute(principal: Principal, justification: string | null, now: Date): Promise<OverviewV1> {
    const scope = AreaScope.of(principal);
    const changedSince = new Date(now.getTime() - DAY_MS);
    const [lines, alerts, checkBacksDue, deadLetters] = await this.database.autocommit((q) =>
      Promise.all([
        this.overview.lines(q, scope, { changedSince, dueBy: now }, { intervalDays: this.config.extra.LINE_REVIEW_INTERVAL_DAYS }),
        this.overview.openAlerts(q, scope, now),
        seesReviews(principal) ? this.checkBacks.countDue(q, scope, now) : null,
        seesDeadLetters(principal) ? this.deadLetters.waiting(q, topicNames(this.config.kafka.topicPrefix).intelEventsDlq) : null,
      ]),
    );
    await this.log.record(principal, { type: 'overview', id: scope.describe() }, justification, {
      lines: lines.byAreaAndState.reduce((sum, figure) => sum + figure.count, 0),
      openAlerts: alerts.reduce((sum, figure) => sum + figure.total, 0),
      ...(deadLetters === null ? {} : { deadLetters }),
    });
    return {
      at: now.toISOString(),
      changedSince: changedSince.toISOString(),
      lines: lines.byAreaAndState,
      changes: { lines: lines.changed },
      openAlerts: alerts,
      reviewsDue: seesReviews(principal) ? lines.reviewsDue : null,
      checkBacksDue,
      deadLetters,
    };
  }
}
