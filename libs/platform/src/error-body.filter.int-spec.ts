/**
 * The exception filter against real clients failing for real: PostgreSQL refusing the connection
 * or dropping it mid-query ("Connection terminated unexpectedly"), Kafka and Redis unreachable —
 * each a 503 DEPENDENCY_UNAVAILABLE with Retry-After, never a bare 500 — while a fault of the
 * service's own is a 500 INTERNAL_ERROR that tells the caller nothing of it. The service boots
 * through the real startHttpService, as every service does.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { errorBodyV1 } from '@linewatch/contracts';
import { ObservabilityModule, startHttpService } from '@linewatch/observability';
import { TEST_AUTH } from '@linewatch/testing';
import { CodedError } from './coded.error';
import { DEPENDENCY_RETRY_AFTER_S } from './error-body.filter';
import { HttpPlatformModule } from './http-platform.module';

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let refusedPort = 0;
let droppingPort = 0;

@Controller('probe')
class ProbeController {
  @Get('database-refused')
  async databaseRefused() {
    const client = new Client({ host: '127.0.0.1', port: refusedPort, user: 'x', database: 'x', connectionTimeoutMillis: 2000 });
    await client.connect();
  }

  @Get('database-dropped')
  async databaseDropped() {
    // A server that accepts and hangs up: what the embedded database's watchdog does to a session.
    const client = new Client({ host: '127.0.0.1', port: droppingPort, user: 'x', database: 'x', connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    await client.connect();
  }

  @Get('kafka')
  async kafka() {
    const kafka = new Kafka({
      brokers: [`127.0.0.1:${refusedPort}`],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 1000,
    });
    const producer = kafka.producer();
    try {
      await producer.connect();
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }

  @Get('redis')
  async redis() {
    const redis = new Redis(refusedPort, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.get('x');
    } finally {
      redis.disconnect();
    }
  }

  @Get('own-fault')
  ownFault() {
    throw new TypeError("Cannot read properties of undefined (reading 'secret') at /srv/linewatch/internal.js:42");
  }

  @Get('coded')
  coded() {
    throw new CodedError('LINE_NOT_FOUND', 'no line SEC-1 in your scope');
  }
}

@Module({
  imports: [
    ObservabilityModule.forRoot({ service: 'filter-int', logLevel: 'silent', readiness: [] }),
    HttpPlatformModule.forRoot(TEST_AUTH, {}),
  ],
  controllers: [ProbeController],
})
class ProbeModule {}

describe('ErrorBodyFilter against failing dependencies', () => {
  let app: INestApplication;
  let url: string;
  let dropping: Server;

  beforeAll(async () => {
    refusedPort = await closedPort();
    dropping = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    droppingPort = (dropping.address() as AddressInfo).port;
    app = await startHttpService({ module: ProbeModule, host: '127.0.0.1', port: 0 });
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await new Promise<void>((resolve) => dropping?.close(() => resolve()));
  });

  const get = async (path: string) => {
    const response = await fetch(`${url.replace('[::1]', '127.0.0.1')}${path}`);
    const text = await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), text, body: JSON.parse(text) as { code: string } };
  };

  it.each(['database-refused', 'database-dropped', 'kafka', 'redis'])(
    '%s: 503 DEPENDENCY_UNAVAILABLE with Retry-After, in the one error shape',
    async (probe) => {
      const answer = await get(`/probe/${probe}`);
      expect({ status: answer.status, code: answer.body.code, retryAfter: answer.retryAfter }).toEqual({
        status: 503,
        code: 'DEPENDENCY_UNAVAILABLE',
        retryAfter: String(DEPENDENCY_RETRY_AFTER_S),
      });
      expect(errorBodyV1.safeParse(answer.body).success).toBe(true);
      expect(answer.text).not.toContain(String(refusedPort));
    },
  );

  it('a fault of its own: 500 INTERNAL_ERROR, and nothing of it (message, path, stack) told to the caller', async () => {
    const answer = await get('/probe/own-fault');
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 500, code: 'INTERNAL_ERROR' });
    expect(errorBodyV1.safeParse(answer.body).success).toBe(true);
    expect(answer.text).not.toMatch(/secret|internal\.js|TypeError|\/srv/);
  });

  it('a CodedError: the status ERROR_STATUS gives its code', async () => {
    const answer = await get('/probe/coded');
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 404,
      body: { code: 'LINE_NOT_FOUND', message: 'no line SEC-1 in your scope', errors: [] },
    });
  });
});
