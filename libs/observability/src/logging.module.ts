import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from './logger';

const QUIET_PATHS = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/** Nest's logger and per-request logs, both as pino JSON. */
@Module({})
export class LoggingModule {
  static forRoot(service: string, logger: Logger): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0]) },
            customProps: () => ({ service }),
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
