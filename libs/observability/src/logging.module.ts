import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ERROR_SERIALIZERS } from './error.serializer';
import { redactQueryForLog, redactUrlForLog, type Logger } from './logger';

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
            // Credentials in query strings (acknowledgement links' token=) never reach the log.
            serializers: {
              // pino-http replaces the logger's own `err` serializer with the standard one unless given ours.
              ...ERROR_SERIALIZERS,
              req: (req: { url?: string; query?: unknown }) => {
                if (typeof req.url === 'string') req.url = redactUrlForLog(req.url);
                if (req.query && typeof req.query === 'object') req.query = redactQueryForLog(req.query as Record<string, unknown>);
                return req;
              },
            },
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
