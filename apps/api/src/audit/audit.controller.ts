import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { auditChainV1, auditEntriesV1, auditQueryV1 } from '@linewatch/contracts';
import { Contract, Justification } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import type { z } from 'zod';
import { SearchAuditUseCase } from './search-audit.usecase';
import { VerifyAuditChainUseCase } from './verify-audit-chain.usecase';

/** The access and disclosure log (DPA 2018 s.62): search it, verify its hash chain. Admins only; reading it is logged too. */
@ApiTags('audit')
@Roles('admin')
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly searchAudit: SearchAuditUseCase,
    private readonly verifyChain: VerifyAuditChainUseCase,
  ) {}

  @Get()
  @Contract({
    summary: 'Who did what to which subject, when and why (newest first)',
    auth: 'bearer',
    query: auditQueryV1,
    responses: [{ status: 200, schema: auditEntriesV1, description: 'the entries found' }],
    errors: ['INVALID_JUSTIFICATION'],
  })
  async search(
    @Query() query: z.output<typeof auditQueryV1>,
    @Req() request: AuthenticatedRequest,
    @Justification() justification?: string,
  ) {
    return this.searchAudit.execute(request.principal!, query, justification);
  }

  @Get('verify')
  @Contract({
    summary:
      'Recompute the hash chain and check it against every checkpoint kept outside the database (file and topic): intact, or the first entry rewritten or removed, and any forged checkpoint',
    auth: 'bearer',
    responses: [{ status: 200, schema: auditChainV1, description: 'the chain report' }],
    errors: [],
  })
  async verify() {
    return this.verifyChain.execute();
  }
}
