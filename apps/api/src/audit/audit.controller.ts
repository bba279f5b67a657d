import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import { z } from 'zod';
import { SearchAuditUseCase } from './search-audit.usecase';
import { VerifyAuditChainUseCase } from './verify-audit-chain.usecase';
import { instant, parsed } from '../http/request-validation';
import { Justification } from '../http/justification.header';

const searchQuery = z
  .object({
    actor: z.string().min(1).optional(),
    action: z.enum(['collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure']).optional(),
    subjectType: z.string().min(1).optional(),
    subjectId: z.string().min(1).optional(),
    since: instant.optional(),
    until: instant.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** The access and disclosure log (DPA 2018 s.62): search it, verify its hash chain. Admins only; reading it is logged too. */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly searchAudit: SearchAuditUseCase,
    private readonly verifyChain: VerifyAuditChainUseCase,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Who did what to which subject, when and why (newest first)' })
  async search(@Query() query: unknown, @Req() request: AuthenticatedRequest, @Justification() justification?: string) {
    return this.searchAudit.execute(request.principal!, parsed(searchQuery, query, 'INVALID_QUERY'), justification);
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recompute the hash chain: intact, or the first entry that was rewritten or removed' })
  async verify() {
    return this.verifyChain.execute();
  }
}
