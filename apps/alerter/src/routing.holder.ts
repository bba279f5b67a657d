import { ConfigError, loadAlertRouting, type AlertRouting, type AreasConfig } from '@linewatch/config';
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
    /** Further problems of a loaded routing (webhooks outside the allow-list); any refuses the file. */
    private readonly check: (routing: AlertRouting) => readonly string[] = () => [],
  ) {
    this.routing = initial;
  }

  get current(): AlertRouting {
    return this.routing;
  }

  reload(): boolean {
    try {
      const routing = loadAlertRouting(this.file, this.areas);
      const problems = this.check(routing);
      if (problems.length > 0) throw new ConfigError(problems);
      this.routing = routing;
      this.logger.info({ file: this.file, teams: this.routing.teams.length }, 'alert routing reloaded');
      return true;
    } catch (error) {
      this.logger.error({ err: error, file: this.file }, 'alert routing NOT reloaded: the file is invalid; the routing in force stays');
      return false;
    }
  }
}
