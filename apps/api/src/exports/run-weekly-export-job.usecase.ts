import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { addDays, dueExport, type ExportSchedule } from '@linewatch/domain';
import { AuditRepository, Database, ExportScheduleRepository } from '@linewatch/persistence';
import { createTransport, type Transporter } from 'nodemailer';
import { BuildWeeklyExportUseCase, type WeeklyExport } from './build-weekly-export.usecase';
import { CONTENT_TYPES, fileName, render, type ExportFormat } from './weekly-export.formats';

export interface ExportJobSettings {
  /** The job's row in export_schedule_runs (one per environment). */
  readonly job: string;
  readonly schedule: ExportSchedule;
  /** How many weeks each run covers, ending with the last complete week. */
  readonly weeks: number;
  readonly dir: string;
  readonly recipients: readonly string[];
  readonly smtpUrl: string;
  readonly smtpFrom: string;
  /** How long a replica may hold the run before another takes over (a replica that died mid-run). */
  readonly leaseMs: number;
  /** This replica's name in the lease. */
  readonly holder: string;
}
export const EXPORT_JOB_SETTINGS = Symbol('EXPORT_JOB_SETTINGS');

export type JobOutcome =
  | { readonly kind: 'ran'; readonly week: string; readonly files: string[]; readonly mailedTo: readonly string[] }
  | { readonly kind: 'already-done'; readonly week: string }
  | { readonly kind: 'held-elsewhere'; readonly week: string };

const FILE_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'json', 'svg', 'png'];
const MAILED_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'png'];

/**
 * The weekly job: when a run is due (the latest scheduled day and time at or before `now`) and the
 * week it covers is not yet done, take the lease, build the full and partner versions, write them
 * under `EXPORT_DIR/<ISO week>/`, e-mail the partner version to the recipients, log each
 * disclosure, and mark the week done. Several replicas: one takes the lease, the others see it
 * held or the week done. A run missed while the service was down is done at the next tick (boot).
 */
@Injectable()
export class RunWeeklyExportJobUseCase {
  private mailer: Transporter | null = null;

  constructor(
    private readonly database: Database,
    private readonly build: BuildWeeklyExportUseCase,
    private readonly runs: ExportScheduleRepository,
    private readonly log: AuditRepository,
    @Inject(EXPORT_JOB_SETTINGS) private readonly settings: ExportJobSettings,
  ) {}

  async execute(now: Date): Promise<JobOutcome> {
    const s = this.settings;
    const { week } = dueExport(now, s.schedule);
    const state = await this.database.autocommit((q) => this.runs.acquire(q, s.job, s.holder, now, new Date(now.getTime() + s.leaseMs)));
    if (!state) return { kind: 'held-elsewhere', week: week.isoWeek };
    if (state.lastWeekStart !== null && state.lastWeekStart >= week.weekStart) {
      await this.database.autocommit((q) => this.runs.release(q, s.job, s.holder));
      return { kind: 'already-done', week: week.isoWeek };
    }
    try {
      const range = { from: addDays(week.weekStart, -7 * (s.weeks - 1)), to: week.weekStart };
      const full = await this.build.execute({ ...range, version: 'full' }, now);
      const partner = await this.build.execute({ ...range, version: 'partner' }, now);
      const folder = join(s.dir, week.isoWeek);
      await mkdir(folder, { recursive: true });
      const files: string[] = [];
      const attachments: { filename: string; content: Buffer; contentType: string }[] = [];
      for (const exp of [full, partner]) {
        for (const format of FILE_FORMATS) {
          const body = await render(exp, format);
          const path = join(folder, fileName(exp, format));
          await writeFile(`${path}.part`, body);
          await rename(`${path}.part`, path); // readers never see half a file
          files.push(path);
          if (exp === partner && MAILED_FORMATS.includes(format))
            attachments.push({ filename: fileName(exp, format), content: body, contentType: CONTENT_TYPES[format] });
        }
      }
      if (s.recipients.length > 0) await this.mail(partner, attachments);
      await this.database.autocommit((q) =>
        this.log.append(q, [
          ...[full, partner].map((exp) => ({
            actor: 'export-schedule',
            action: 'disclosure' as const,
            subjectType: 'weekly-export',
            subjectId: `${exp.fromWeek}..${exp.toWeek}`,
            recipient: folder,
            channel: 'file',
            justification: 'scheduled weekly trend export',
            details: { version: exp.version, formats: FILE_FORMATS, suppressed: exp.suppressed },
            at: now,
          })),
          ...s.recipients.map((recipient) => ({
            actor: 'export-schedule',
            action: 'disclosure' as const,
            subjectType: 'weekly-export',
            subjectId: `${partner.fromWeek}..${partner.toWeek}`,
            recipient,
            channel: 'email',
            justification: 'scheduled weekly trend export to the safeguarding partnership',
            details: { version: 'partner', formats: MAILED_FORMATS, suppressBelow: partner.suppressBelow, suppressed: partner.suppressed },
            at: now,
          })),
        ]),
      );
      await this.database.autocommit((q) => this.runs.complete(q, s.job, s.holder, week.weekStart, now));
      return { kind: 'ran', week: week.isoWeek, files, mailedTo: s.recipients };
    } catch (error) {
      await this.database.autocommit((q) => this.runs.release(q, s.job, s.holder)).catch(() => undefined);
      throw error;
    }
  }

  private async mail(partner: WeeklyExport, attachments: { filename: string; content: Buffer; contentType: string }[]): Promise<void> {
    this.mailer ??= createTransport(this.settings.smtpUrl);
    await this.mailer.sendMail({
      from: this.settings.smtpFrom,
      to: [...this.settings.recipients],
      subject: `LineWatch weekly trends ${partner.fromWeek} to ${partner.toWeek} (partner version)`,
      text: [
        `Weekly trend figures for Bath & North East Somerset, ISO weeks ${partner.fromWeek} to ${partner.toWeek} (Monday start, Europe/London).`,
        `Aggregates only. Counts of people below ${partner.suppressBelow} are shown as [c], as are cells that would reveal them.`,
        'Definitions: see the About sheet of the spreadsheet.',
      ].join('\n'),
      attachments,
    });
  }

  close(): void {
    this.mailer?.close();
  }
}
