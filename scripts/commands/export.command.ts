import { writeFile } from 'node:fs/promises';
import { defaultAreasFile, loadAreas, parseEnv, type DatabaseConfig, type Env } from '@linewatch/config';
import { AuditRepository, Database, WeeklyFiguresRepository } from '@linewatch/persistence';
import { z } from 'zod';
import { BuildWeeklyExportUseCase, ExportRequestError } from '../../apps/api/src/exports/build-weekly-export.usecase';
import { DownloadWeeklyExportUseCase } from '../../apps/api/src/exports/download-weekly-export.usecase';
import { exportEnvShape } from '../../apps/api/src/exports/exports.config';
import { RefreshWeeklyFiguresUseCase } from '../../apps/api/src/exports/refresh-weekly-figures.usecase';
import { EXPORT_FORMATS, type ExportFormat } from '../../apps/api/src/exports/weekly-export.formats';

export interface ExportWeeklyOptions {
  readonly from: string;
  readonly to: string;
  readonly area?: string;
  readonly format: string;
  readonly partner?: boolean;
  readonly out?: string;
  readonly actor: string;
  readonly justification?: string;
}

/**
 * `linewatch export weekly`: the same export as `GET /v1/exports/weekly`, written to a file (or
 * stdout), and recorded in the disclosure log with the operator's name and justification.
 */
export async function exportWeekly(database: DatabaseConfig, env: Env, options: ExportWeeklyOptions): Promise<string> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(options.format))
    throw new Error(`--format: expected one of ${EXPORT_FORMATS.join(', ')}`);
  const settings = parseEnv(
    z.object({ EXPORT_SUPPRESS_BELOW: exportEnvShape.EXPORT_SUPPRESS_BELOW, AREAS_FILE: z.string().optional() }),
    env,
  );
  const areas = loadAreas(settings.AREAS_FILE || defaultAreasFile()).areas.map((a) => ({ code: a.code, name: a.name }));
  const db = await Database.open(database, 'linewatch-cli-export');
  try {
    const figures = new WeeklyFiguresRepository();
    const build = new BuildWeeklyExportUseCase(db, figures, new RefreshWeeklyFiguresUseCase(db, figures), {
      areas,
      suppressBelow: settings.EXPORT_SUPPRESS_BELOW,
    });
    const download = new DownloadWeeklyExportUseCase(db, build, new AuditRepository());
    const file = await download
      .execute(
        { subject: options.actor, roles: ['cli'], channel: 'cli' },
        { from: options.from, to: options.to, area: options.area, version: options.partner ? 'partner' : 'full' },
        options.format as ExportFormat,
        options.justification ?? null,
        new Date(),
      )
      .catch((error: unknown) => {
        throw error instanceof ExportRequestError ? new Error(error.message) : error;
      });
    if (options.out) {
      await writeFile(options.out, file.body);
      return `${options.out}: ${file.version} version, ${file.rows} rows, ${file.body.length} bytes (recorded as a disclosure)`;
    }
    process.stdout.write(file.body);
    return '';
  } finally {
    await db.close();
  }
}
