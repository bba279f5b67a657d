import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@linewatch/platform';
import { AcknowledgeAlertUseCase } from './acknowledge-alert.usecase';
import { AlertsController } from './alerts.controller';
import { API_CONFIG, type ApiConfig } from './api.config';
import { AreasController } from './areas.controller';
import { AssessmentsController } from './assessments.controller';
import { AuditController } from './audit.controller';
import { ExportsController, exportProviders } from './exports/exports.providers';
import { ConsultationLog } from './consultation.log';
import { LinesController } from './lines.controller';
import { LiveStream } from './live-stream';
import { MeController } from './me.controller';
import { ReadLinesUseCase } from './read-lines.usecase';
import { RefusedReadsRecorder } from './refused-reads.recorder';
import { RecordAssessmentUseCase } from './record-assessment.usecase';
import { ReviewLineUseCase } from './review-line.usecase';
import { ReviewsController } from './reviews.controller';
import { SilencesController } from './silences.controller';
import { StreamController } from './stream.controller';

/** Queries, alerts, assessments, reviews, live stream, exports and dashboard (REST under /v1, OpenAPI at /docs). */
@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [PlatformModule.forRoot(config, [], { refusedReads: RefusedReadsRecorder })],
      controllers: [
        MeController,
        AreasController,
        LinesController,
        AssessmentsController,
        ReviewsController,
        AlertsController,
        SilencesController,
        AuditController,
        StreamController,
        ExportsController,
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        ConsultationLog,
        RefusedReadsRecorder,
        ReadLinesUseCase,
        RecordAssessmentUseCase,
        ReviewLineUseCase,
        AcknowledgeAlertUseCase,
        LiveStream,
        ...exportProviders(config),
      ],
    };
  }
}
