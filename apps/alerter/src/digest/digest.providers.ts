import type { Provider } from '@nestjs/common';
import { DigestChannels } from './digest.channels';
import { DIGEST_CLOCK, systemDigestClock } from './digest.clock';
import { DigestScheduler } from './digest.scheduler';
import { SendTeamDigestsUseCase } from './send-team-digests.usecase';

/** The team digests' part of the alerter (one line in alerter.module.ts). */
export const digestProviders: Provider[] = [
  { provide: DIGEST_CLOCK, useValue: systemDigestClock },
  DigestChannels,
  SendTeamDigestsUseCase,
  DigestScheduler,
];
