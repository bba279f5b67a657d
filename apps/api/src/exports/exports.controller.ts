import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { Response } from 'express';
import { z } from 'zod';
import { parsed } from '../http/request-validation';
import { DownloadWeeklyExportUseCase } from './download-weekly-export.usecase';
import { EXPORT_CLOCK, type Clock } from './export-clock';
import { EXPORT_FORMATS } from './weekly-export.formats';
import { JUSTIFICATION, Justification } from '../http/justification.header';

const localDate = z.iso.date({ message: 'expected a date YYYY-MM-DD' });
const query = z
  .object({
    from: localDate,
    to: localDate,
    area: z.string().min(1).max(64).optional(),
    format: z.enum(EXPORT_FORMATS).default('json'),
    version: z.enum(['partner', 'full']).optional(),
  })
  .strict();

/**
 * Weekly trend exports (docs/exports.md). Partners always get the partner version (aggregates,
 * small counts of people suppressed); analysts and admins choose (default: full). Every download
 * is recorded as a disclosure with its justification.
 */
@ApiTags('exports')
@ApiBearerAuth()
@ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are downloading (recorded in the disclosure log, DPA 2018 s.62)' })
@Roles('partner', 'analyst', 'admin')
@Controller('v1/exports')
export class ExportsController {
  constructor(
    private readonly download: DownloadWeeklyExportUseCase,
    @Inject(EXPORT_CLOCK) private readonly clock: Clock,
  ) {}

  @Get('weekly')
  @ApiOperation({ summary: 'Weekly figures per area and ISO week (Europe/London) as CSV, JSON, XLSX, or a chart (SVG, PNG)' })
  @ApiProduces(
    'application/json',
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'image/svg+xml',
    'image/png',
  )
  async weekly(
    @Query() raw: unknown,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Justification() justification?: string,
  ): Promise<void> {
    const q = parsed(query, raw, 'INVALID_QUERY');
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
