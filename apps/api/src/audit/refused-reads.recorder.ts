import { Injectable } from '@nestjs/common';
import type { RefusedRead, RefusedReadRecorder } from '@linewatch/platform';
import type { Principal } from '@linewatch/security';
import { ConsultationLog } from './consultation.log';

/**
 * A read the platform refused (NUL or non-Unicode text in it) is still a consultation attempt:
 * on the s.62 record as `refused-read`, naming the target as sent (made printable) and why.
 */
@Injectable()
export class RefusedReadsRecorder implements RefusedReadRecorder {
  constructor(private readonly log: ConsultationLog) {}

  async recordRefusedRead(principal: Principal, read: RefusedRead): Promise<void> {
    await this.log.record(principal, { type: 'refused-read', id: `${read.method} ${read.target}` }, read.justification, {
      refused: read.code,
      where: read.where,
    });
  }
}
