import { type DynamicModule, Module } from '@nestjs/common';
import { topicNames } from '@linewatch/contracts';
import { AuditCheckpointsModule, PlatformModule } from '@linewatch/platform';
import { AcknowledgeAlertUseCase } from './alerts/acknowledge-alert.usecase';
import { AlertsController } from './alerts/alerts.controller';
import { GetAlertUseCase } from './alerts/get-alert.usecase';
import { ListAlertsUseCase } from './alerts/list-alerts.usecase';
import { API_CONFIG, type ApiConfig } from './api.config';
import { AreasController } from './areas/areas.controller';
import { AssessmentsController } from './lines/assessments.controller';
import { AuditController } from './audit/audit.controller';
import { CheckBacksController } from './check-backs/check-backs.controller';
import { ListDueCheckBacksUseCase } from './check-backs/list-due-check-backs.usecase';
import { RecordCheckBackUseCase } from './check-backs/record-check-back.usecase';
import { SearchAuditUseCase } from './audit/search-audit.usecase';
import { VerifyAuditChainUseCase } from './audit/verify-audit-chain.usecase';
import { AuditCheckpointScheduler } from './audit/audit-checkpoint.scheduler';
import { replicaName } from './exports/exports.config';
import { ExportsController, exportProviders } from './exports/exports.providers';
import { ConsultationLog } from './audit/consultation.log';
import { GetLineUseCase } from './lines/get-line.usecase';
import { DecideReplacementSuggestionUseCase } from './identity/decide-replacement-suggestion.usecase';
import { IdentifiersController } from './identity/identifiers.controller';
import { LinkDecisions } from './identity/link-decisions';
import { LinksController } from './identity/links.controller';
import { ListReplacementSuggestionsUseCase } from './identity/list-replacement-suggestions.usecase';
import { LookupIdentifiersUseCase } from './identity/lookup-identifiers.usecase';
import { RecordLinkDecisionUseCase } from './identity/record-link-decision.usecase';
import { ReplacementSuggestionsController } from './identity/replacement-suggestions.controller';
import { LinesController } from './lines/lines.controller';
import { ListLinesUseCase } from './lines/list-lines.usecase';
import { LiveStream } from './stream/live-stream';
import { MeController } from './me/me.controller';
import { ListDeadLettersUseCase } from './dead-letters/list-dead-letters.usecase';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { monitoringProviders } from './monitoring/monitoring.providers';
import { GetOverviewUseCase } from './overview/get-overview.usecase';
import { OverviewController } from './overview/overview.controller';
import { RefusedReadsRecorder } from './audit/refused-reads.recorder';
import { RecordAssessmentUseCase } from './lines/record-assessment.usecase';
import { ReviewLineUseCase } from './reviews/review-line.usecase';
import { ListDueReviewsUseCase } from './reviews/list-due-reviews.usecase';
import { ReviewsController } from './reviews/reviews.controller';
import { CancelDisposalUseCase } from './disposals/cancel-disposal.usecase';
import { DisposalsController } from './disposals/disposals.controller';
import { GetTombstoneUseCase } from './disposals/get-tombstone.usecase';
import { CancelSilenceUseCase } from './silences/cancel-silence.usecase';
import { CreateSilenceUseCase } from './silences/create-silence.usecase';
import { ListSilencesUseCase } from './silences/list-silences.usecase';
import { SilencesController } from './silences/silences.controller';
import { StreamController } from './stream/stream.controller';
import { PreviewTeamDigestUseCase } from './teams/preview-team-digest.usecase';
import { TeamDigestController } from './teams/team-digest.controller';

/** Queries, line identity (lookup, links, replacement suggestions), alerts, assessments, reviews, live stream, exports and dashboard (REST under /v1, OpenAPI at /docs). */
@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRoot(config, [], { refusedReads: RefusedReadsRecorder }),
        AuditCheckpointsModule.forRoot({
          ...config.auditCheckpoints,
          topic: topicNames(config.kafka.topicPrefix).auditCheckpoints,
          by: `api:${replicaName()}`,
        }),
      ],
      controllers: [
        MeController,
        AreasController,
        OverviewController,
        DeadLettersController,
        LinesController,
        AssessmentsController,
        IdentifiersController,
        LinksController,
        ReplacementSuggestionsController,
        ReviewsController,
        DisposalsController,
        CheckBacksController,
        AlertsController,
        SilencesController,
        AuditController,
        StreamController,
        ExportsController,
        TeamDigestController,
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        ConsultationLog,
        AuditCheckpointScheduler,
        RefusedReadsRecorder,
        GetOverviewUseCase,
        ListDeadLettersUseCase,
        ListLinesUseCase,
        GetLineUseCase,
        CancelDisposalUseCase,
        GetTombstoneUseCase,
        RecordAssessmentUseCase,
        LookupIdentifiersUseCase,
        LinkDecisions,
        RecordLinkDecisionUseCase,
        ListReplacementSuggestionsUseCase,
        DecideReplacementSuggestionUseCase,
        ListDueReviewsUseCase,
        ListDueCheckBacksUseCase,
        RecordCheckBackUseCase,
        ReviewLineUseCase,
        ListAlertsUseCase,
        GetAlertUseCase,
        AcknowledgeAlertUseCase,
        CreateSilenceUseCase,
        ListSilencesUseCase,
        CancelSilenceUseCase,
        SearchAuditUseCase,
        VerifyAuditChainUseCase,
        LiveStream,
        PreviewTeamDigestUseCase,
        ...exportProviders(config),
        ...monitoringProviders(config),
      ],
    };
  }
}
