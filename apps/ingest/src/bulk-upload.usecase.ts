import { Injectable } from '@nestjs/common';
import type { FieldError, RejectionCode } from '@linewatch/contracts';
import type { BulkRecord } from './bulk-readers';
import { PublishEventsUseCase, type IntakeOrigin } from './publish-events.usecase';

/** Events published per step: bounded memory, whatever the size of the upload. */
const CHUNK = 500;
/** Rejections listed in the answer (all are counted). */
const MAX_LISTED_REJECTIONS = 1000;

export interface BulkRejection {
  readonly position: number;
  readonly eventId: string | null;
  readonly code: RejectionCode;
  readonly message: string;
  readonly errors: readonly FieldError[];
}

export interface BulkReport {
  readonly summary: { accepted: number; duplicate: number; rejected: number };
  readonly rejected: BulkRejection[];
  readonly rejectedTruncated: boolean;
}

/**
 * A streamed upload (NDJSON or CSV): read a chunk, validate and publish it
 * exactly as single posts are (PublishEventsUseCase), count, move on. Only
 * counts and the first rejections are kept. When the upload stops part-way
 * (unreadable, too large), what was read before is still published and counted.
 */
@Injectable()
export class BulkUploadUseCase {
  constructor(private readonly publishEvents: PublishEventsUseCase) {}

  async execute(
    records: AsyncIterable<BulkRecord>,
    clock: () => Date,
    origin: IntakeOrigin,
    report: BulkReport = emptyReport(),
  ): Promise<BulkReport> {
    let chunk: BulkRecord[] = [];
    const reading = records[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<BulkRecord>;
      try {
        next = await reading.next();
      } catch (error) {
        // The upload cannot be read further: the rows read before the failure stand (published and counted).
        await this.flush(chunk, clock(), origin, report);
        throw error;
      }
      if (next.done) break;
      const record = next.value;
      if (record.failure) {
        reject(report, {
          position: record.position,
          eventId: null,
          code: record.failure.code,
          message: record.failure.message,
          errors: [{ path: '(record)', message: record.failure.message }],
        });
        continue;
      }
      chunk.push(record);
      if (chunk.length >= CHUNK) {
        await this.flush(chunk, clock(), origin, report);
        chunk = [];
      }
    }
    await this.flush(chunk, clock(), origin, report);
    return report;
  }

  private async flush(chunk: readonly BulkRecord[], now: Date, origin: IntakeOrigin, report: BulkReport): Promise<void> {
    if (chunk.length === 0) return;
    const outcomes = await this.publishEvents.execute(
      chunk.map((r) => r.input),
      now,
      origin,
    );
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        const { index: _index, status: _status, ...rest } = outcome;
        reject(report, { position: chunk[outcome.index].position, ...rest });
      } else {
        report.summary[outcome.status] += 1;
      }
    }
  }
}

export function emptyReport(): BulkReport {
  return { summary: { accepted: 0, duplicate: 0, rejected: 0 }, rejected: [], rejectedTruncated: false };
}

function reject(report: BulkReport, rejection: BulkRejection): void {
  report.summary.rejected += 1;
  if (report.rejected.length < MAX_LISTED_REJECTIONS) report.rejected.push(rejection);
  else (report as { rejectedTruncated: boolean }).rejectedTruncated = true;
}
