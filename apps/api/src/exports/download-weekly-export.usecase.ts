import { Injectable } from '@nestjs/common';
import { AuditRepository, Database } from '@linewatch/persistence';
import { BuildWeeklyExportUseCase, type WeeklyExportRequest } from './build-weekly-export.usecase';
import { CONTENT_TYPES, fileName, render, type ExportFormat } from './weekly-export.formats';

export interface Downloader {
  readonly subject: string;
  readonly roles: readonly string[];
  /** How it left: `api`, `cli`. */
  readonly channel: string;
}

export interface Download {
  readonly body: Buffer;
  readonly contentType: string;
  readonly fileName: string;
  readonly version: WeeklyExportRequest['version'];
  readonly rows: number;
}

/** One export in one format, recorded in the s.62 log as a disclosure (who, what, why) before it is handed over. */
@Injectable()
export class DownloadWeeklyExportUseCase {
  constructor(
    private readonly database: Database,
    private readonly build: BuildWeeklyExportUseCase,
    private readonly log: AuditRepository,
  ) {}

  async execute(
    by: Downloader,
    request: WeeklyExportRequest,
    format: ExportFormat,
    justification: string | null,
    now: Date,
  ): Promise<Download> {
    const started = Date.now();
    const exp = await this.build.execute(request, now);
    const body = await render(exp, format);
    const name = fileName(exp, format);
    await this.database.autocommit((q) =>
      this.log.append(q, [
        {
          actor: by.subject,
          action: 'disclosure',
          subjectType: 'weekly-export',
          subjectId: `${exp.fromWeek}..${exp.toWeek}`,
          recipient: by.subject,
          channel: by.channel,
          justification: justification ?? '(none given)',
          details: {
            version: exp.version,
            format,
            from: exp.from,
            to: exp.to,
            area: exp.area,
            rows: exp.rows.length,
            suppressBelow: exp.suppressBelow,
            suppressed: exp.suppressed,
            file: name,
            bytes: body.length,
            roles: by.roles,
            ms: Date.now() - started,
          },
          at: now,
        },
      ]),
    );
    return { body, contentType: CONTENT_TYPES[format], fileName: name, version: exp.version, rows: exp.rows.length };
  }
}
