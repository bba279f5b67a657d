import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from './logger';
import { ROOT_LOGGER } from './readiness';

export const SHUTDOWN_COMPLETE = 'shutdown complete';

/**
 * The last word of an orderly shutdown: consumers drained, pools closed.
 * (Nest then re-raises the signal, so the exit status is the signal's.)
 */
@Injectable()
export class ShutdownLogger implements OnApplicationShutdown {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  onApplicationShutdown(signal?: string): void {
    this.logger.info({ signal }, SHUTDOWN_COMPLETE);
  }
}
