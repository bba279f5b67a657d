import { Injectable } from '@nestjs/common';
import { AuditCheckpoints, type CheckedChainReport } from '@linewatch/platform';

/**
 * Recomputes the s.62 log's hash chain and checks it against every checkpoint kept outside the
 * database (the checkpoint file and the topic): intact, or the first entry rewritten or removed,
 * and any forged checkpoint.
 */
@Injectable()
export class VerifyAuditChainUseCase {
  constructor(private readonly checkpoints: AuditCheckpoints) {}

  async execute(): Promise<CheckedChainReport> {
    return this.checkpoints.verify();
  }
}
