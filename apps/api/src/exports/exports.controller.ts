import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { weeklyExportJsonV1, weeklyExportQueryV1 } from '@linewatch/contracts';
import { Contract, JUSTIFICATION, Justification } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { Response } from 'express';
import type { z } from 'zod';
import { DownloadWeeklyExportUseCase } from './download-weekly-export.usecase';
import { EXPORT_CLOCK, type Clock } from './export-clock';

/**
 * Weekly trend exports (docs/exports.md). Partners always get the partner version (aggregates,
 * small counts of people suppressed); analysts and admins choose (default: full). Every download
 * is recorded as a disclosure with its justification.
 */
@ApiTags('exports')
@ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are downloading (recorded in the disclosure log, DPA 2018 s.62)' })
@Roles('partner', 'analyst', 'admin')
@Controller('v1/exports')
export class ExportsController {
  constructor(
    private readonly download: DownloadWeeklyExportUseCase,
    @Inject(EXPORT_CLOCK) private readonly clock: Clock,
  ) {}

  @Get('weekly')
  @Contract({
    summary: 'Weekly figures per area and ISO week (Europe/London) as CSV, JSON, XLSX, or a chart (SVG, PNG)',
    description: 'A file (Content-Disposition: attachment), in the format asked for; X-Export-Version says which version it is.',
    auth: 'bearer',
    query: weeklyExportQueryV1,
    responses: [
      {
        status: 200,
        schema: weeklyExportJsonV1,
        description: 'the export (format=json as below; csv, xlsx, svg and png as files)',
        alsoAs: {
          'text/csv': { type: 'string' },
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { type: 'string', format: 'binary' },
          'image/svg+xml': { type: 'string' },
          'image/png': { type: 'string', format: 'binary' },
        },
      },
    ],
    errors: ['EXPORT_RANGE', 'EXPORT_AREA', 'INVALID_JUSTIFICATION'],
  })
  async weekly(
    @Query() q: z.output<typeof weeklyExportQueryV1>,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Justification() justification?: string,
  ): Promise<void> {
    const principal = request.principal!;
    const mayChoose = principal.roles.includes('analyst') || principal.roles.includes('admin');
    const version = mayChoose ? (q.version ?? 'full') : 'partner';
    const file = await this.download.execute(
      { subject: principal.subject, roles: principal.roles, channel: 'api' },
      { from: q.from, to: q.to, area: q.area, version },
      q.format,
      justification ?? null,
      this.clock.now(),
    );
    response
      .status(200)
      .set({
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${file.fileName}"`,
        'x-export-version': file.version,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      })
      .send(file.body);
  }
}
