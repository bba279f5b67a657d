import { isUtf8 } from 'node:buffer';
import type { Server } from 'node:http';
import { ConfigError } from '@linewatch/config';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { json, type NextFunction, type Request, type Response } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { serializeError } from './error.serializer';

export interface HttpServiceOptions {
  readonly module: unknown;
  readonly host: string;
  readonly port: number;
  /** Body size limit for JSON bodies. */
  readonly bodyLimit?: string;
  /**
   * Longest a whole request may take to arrive, in ms (Node's `requestTimeout`, 300 s by default:
   * it cut streamed uploads that took longer with a bare 408, the events before published but
   * their counts never answered). Headers must still arrive within Node's 60 s.
   */
  readonly requestTimeoutMs?: number;
  readonly configure?: (app: NestExpressApplication) => void | Promise<void>;
}

/**
 * Body-parser failures labelled with the codes of the services' error contract (Nest would turn
 * them into a bare 400). The status of each code is set in one place, the platform's exception
 * filter, which answers every error: this only names what went wrong.
 */
const BODY_ERRORS: Record<string, { code: string; message: string }> = {
  'entity.parse.failed': { code: 'MALFORMED_JSON', message: 'the body is not valid JSON' },
  'utf8.invalid': { code: 'MALFORMED_JSON', message: 'the body is not valid UTF-8' },
  'entity.too.large': { code: 'BODY_TOO_LARGE', message: 'the body is larger than this service accepts' },
  'charset.unsupported': {
    code: 'UNSUPPORTED_CONTENT_TYPE',
    message: 'send JSON as UTF-8 (Content-Type: application/json; charset=utf-8)',
  },
  'encoding.unsupported': { code: 'UNSUPPORTED_CONTENT_TYPE', message: 'unsupported content encoding' },
};

function bodyErrors(error: { type?: string; message?: string }, _req: Request, _res: Response, next: NextFunction): void {
  const known = error?.type ? BODY_ERRORS[error.type] : undefined;
  if (!known) return next(error);
  const detail = error.type === 'entity.parse.failed' && error.message ? `: ${error.message}` : '';
  const message = `${known.message}${detail}`;
  next(Object.assign(new Error(message), { code: known.code, errors: [{ path: '(body)', message }] }));
}

/**
 * body-parser decodes invalid UTF-8 as U+FFFD and parses on: damaged text would be accepted as
 * data. Refuse it instead (MALFORMED_JSON). JSON in another charset (`charset=utf-16`, which
 * body-parser would decode) is refused as a media type this service does not take (415).
 */
function strictUtf8(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase() !== 'utf-8')
    throw Object.assign(new Error(`charset ${encoding} is not accepted`), { type: 'charset.unsupported' });
  if (!isUtf8(body)) throw Object.assign(new Error('the body is not valid UTF-8'), { type: 'utf8.invalid' });
}

/**
 * Boots a service: pino logs, graceful shutdown on SIGTERM/SIGINT (consumers
 * drain in onModuleDestroy, pools close in onApplicationShutdown), then
 * listens. Exits non-zero if boot fails.
 */
export async function startHttpService(options: HttpServiceOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(options.module as never, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.use(json({ limit: options.bodyLimit ?? '1mb', verify: strictUtf8 }), bodyErrors);
  app.disable('x-powered-by');
  // Answers are private (`cache-control: no-store`): no cache revalidates them, so no ETag — Express
  // would hash every body (SHA-1) on every read for nothing. Static files keep their own.
  app.set('etag', false);
  // Once shutdown closed the listener, answer with `Connection: close`: a client that reuses its
  // keep-alive connection more often than keepAliveTimeout (Prometheus scraping every second, a
  // load balancer's health checks) would otherwise keep server.close() — and the shutdown — waiting.
  const server = app.getHttpServer() as Server;
  app.use((_request: Request, response: Response, next: NextFunction) => {
    if (!server.listening) response.setHeader('Connection', 'close');
    next();
  });
  app.enableShutdownHooks();
  await options.configure?.(app);
  if (options.requestTimeoutMs !== undefined) server.requestTimeout = options.requestTimeoutMs;
  await app.listen(options.port, options.host);
  app.get(Logger).log(`listening on http://${options.host}:${options.port}`);
  return app;
}

/**
 * A service's `main`: parses its config once (a bad environment prints every
 * bad variable and exits 78, EX_CONFIG), then boots it.
 */
export function runService<C extends { readonly http: { readonly host: string; readonly port: number } }>(
  name: string,
  loadConfig: () => C,
  build: (config: C) => Omit<HttpServiceOptions, 'host' | 'port'>,
): void {
  const boot = async () => {
    const config = loadConfig();
    await startHttpService({ ...build(config), host: config.http.host, port: config.http.port });
  };
  boot().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(`${name}: ${error.message}`);
      process.exit(78);
    }
    // Through the error serializer: a boot failure from the database must not print a statement's parameters.
    console.error(`${name}: failed to start`, JSON.stringify(serializeError(error)));
    process.exit(1);
  });
}
