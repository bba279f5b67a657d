import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@linewatch/platform';
import type { AlerterConfig } from './alerter.config';

/**
 * State changes → alerts to neighbourhood teams. This module owns the
 * service's wiring; alert routing and delivery arrive with the alerts issue.
 */
@Module({})
export class AlerterModule {
  static forRoot(config: AlerterConfig): DynamicModule {
    return { module: AlerterModule, imports: [PlatformModule.forRoot(config)] };
  }
}
