import { loadAlertRouting, type AlertRouting, type AreasConfig } from '@linewatch/config';
import type { Logger } from '@linewatch/observability';

export const ROUTING = Symbol('ROUTING');

/**
 * The routing in force. Reloadable (SIGHUP, or `reload()`): a file that fails validation is
 * refused with its problems logged, and the routing in force stays.
 */
export class RoutingHolder {
  private routing: AlertRouting;

  constructor(
    private readonly file: string,
    private readonly areas: AreasConfig,
    private readonly logger: Logger,
    initial: AlertRouting,
  ) {
    this.routing = initial;
  }

  get current(): AlertRouting {
    return this.routing;
  }

  reload(): boolean {
    try {
      this.routing = loadAlertRouting(this.file, this.areas);
      this.logger.info({ file: this.file, teams: this.routing.teams.length }, 'alert routing reloaded');
      return true;
    } catch (error) {
      this.logger.error({ err: error, file: this.file }, 'alert routing NOT reloaded: the file is invalid; the routing in force stays');
      return false;
    }
  }
}
