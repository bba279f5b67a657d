import { Body, Controller, HttpCode, HttpStatus, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  batchAnswerV1,
  bulkReportV1,
  eventAcceptedV1,
  eventRejectedV1,
  intakeQueryV1,
  intelEventSubmissionV1,
  type IntakeQueryV1,
} from '@linewatch/contracts';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { ChecksOwnBodyText, CodedError, Contract, DEPENDENCY_RETRY_AFTER_S } from '@linewatch/platform';
import { z } from 'zod';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { Request, Response } from 'express';
import { UploadError, csvRecords, limitBytes, ndjsonRecords } from './bulk-readers';
import { BulkUploadUseCase, emptyReport } from './bulk-upload.usecase';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config';
import { PublishEventsUseCase, type EventOutcome, type IntakeOrigin } from './publish-events.usecase';

const NDJSON = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];
const CSV = ['text/csv'];

/**
 * `POST /v1/events`: one event (JSON object), many (JSON array), or a
 * streamed bulk upload (NDJSON or CSV). Answered once Kafka has every
 * accepted event.
 */
@ApiTags('intake')
@Roles('ingest')
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly publishEvents: PublishEventsUseCase,
    private readonly bulkUpload: BulkUploadUseCase,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  // Each event is validated by its contract, which refuses NUL and unpaired surrogates per event (422).
  @ChecksOwnBodyText()
  @Contract({
    summary: 'Submit intelligence events; answered per event once Kafka has them',
    description:
      `application/json: one event (answered 202 accepted, 200 duplicate or 422 rejected) or an array of them (200, each event's outcome). ` +
      `${NDJSON.join(', ')} (one event a line) or ${CSV[0]} (docs/events.md): a streamed upload, answered 200 with counts and the first rejected rows. ` +
      'Each event is checked by the intel.event.v1 contract (libs/contracts/schemas/) on its own: one bad event never sinks the others. ' +
      '?history=true marks a history import (backfill, replay of old files): tracked like any event, but its changes raise no pushed alert (docs/alerts.md).',
    auth: 'bearer',
    query: intakeQueryV1,
    // Validated event by event in the use case (the same contract), so a rejection is that event's 422, not the request's 400.
    body: z.union([intelEventSubmissionV1, z.array(intelEventSubmissionV1)]),
    validateBody: false,
    responses: [
      { status: 202, schema: eventAcceptedV1, description: 'one event, accepted: Kafka has it' },
      {
        status: 200,
        schema: z.union([eventAcceptedV1, batchAnswerV1, bulkReportV1]),
        description: 'a duplicate, or a batch or upload answered per event',
      },
    ],
    otherAnswers: [{ status: 422, schema: eventRejectedV1, description: 'one event, rejected by its contract (code says why)' }],
    errors: ['BATCH_SIZE', 'MALFORMED_JSON', 'MALFORMED_CSV', 'BODY_TOO_LARGE', 'UNSUPPORTED_CONTENT_TYPE', 'PUBLISH_FAILED'],
  })
  async submit(
    @Req() request: Request,
    @Query() query: IntakeQueryV1,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ) {
    const origin: IntakeOrigin = { by: (request as AuthenticatedRequest).principal!.subject, history: query.history };
    if (request.is('application/json')) return this.json(body, response, origin);
    if (request.is([...NDJSON, ...CSV])) return this.upload(request, request.is(CSV) ? 'csv' : 'ndjson', origin);
    throw new CodedError('UNSUPPORTED_CONTENT_TYPE', `send application/json, ${NDJSON[0]} or text/csv`, [
      { path: '(content-type)', message: 'not accepted' },
    ]);
  }

  private async json(body: unknown, response: Response, origin: IntakeOrigin) {
    const single = !Array.isArray(body);
    const inputs: unknown[] = single ? [body] : (body as unknown[]);
    const limit = this.config.extra.INGEST_MAX_EVENTS_PER_REQUEST;
    if (inputs.length === 0 || inputs.length > limit) {
      throw new CodedError('BATCH_SIZE', `send between 1 and ${limit} events in a JSON array; use NDJSON or CSV for more`, [
        { path: '(body)', message: `${inputs.length} events` },
      ]);
    }
    const outcomes = await this.publishEvents.execute(inputs, new Date(), origin);
    if (single) {
      const [outcome] = outcomes;
      response.status(statusOf(outcome));
      return outcome;
    }
    return { results: outcomes, summary: summarise(outcomes) };
  }

  /** Streams the body: chunks are validated and published as they arrive. */
  private async upload(request: Request, format: 'csv' | 'ndjson', origin: IntakeOrigin) {
    const report = emptyReport();
    const body = limitBytes(request, this.config.extra.INGEST_MAX_UPLOAD_BYTES);
    try {
      await this.bulkUpload.execute(format === 'csv' ? csvRecords(body) : ndjsonRecords(body), () => new Date(), origin, report);
      return report;
    } catch (error) {
      // What was accepted before the failure stays accepted (and is reported); resending the file is safe.
      request.resume();
      // The error's status is the platform's (ERROR_STATUS); the counts so far ride along in the one error shape.
      if (error instanceof UploadError) {
        throw new CodedError(error.code, error.message, [{ path: '(body)', message: error.message }], { ...report });
      }
      this.logger.error({ err: error }, 'bulk upload stopped: a dependency failed');
      throw new CodedError(
        'PUBLISH_FAILED',
        'Kafka did not acknowledge; the events counted as accepted are safe, resend the rest (duplicates are recognised)',
        [],
        { ...report, retryAfterSeconds: DEPENDENCY_RETRY_AFTER_S },
      );
    }
  }
}

function statusOf(outcome: EventOutcome): number {
  if (outcome.status === 'accepted') return HttpStatus.ACCEPTED;
  if (outcome.status === 'duplicate') return HttpStatus.OK;
  return HttpStatus.UNPROCESSABLE_ENTITY;
}

function summarise(outcomes: readonly EventOutcome[]) {
  return {
    accepted: outcomes.filter((o) => o.status === 'accepted').length,
    duplicate: outcomes.filter((o) => o.status === 'duplicate').length,
    rejected: outcomes.filter((o) => o.status === 'rejected').length,
  };
}
