/** How the services behave at the edges of their configuration and dependencies. */
import { serviceEnv, spawnService, waitFor } from '@linewatch/testing';

describe('service boot', () => {
  it('refuses to start with a bad environment and names every bad variable', async () => {
    const service = spawnService('ingest', { ...serviceEnv(), KAFKA_BROKERS: 'no-port-here', DATABASE_POOL_MAX: 'lots' }, 24301);
    const code = await new Promise<number | null>((resolve) => service.process.once('exit', resolve));
    expect(code).toBe(78);
    const output = service.output.join('\n');
    expect(output).toContain('KAFKA_BROKERS');
    expect(output).toContain('DATABASE_POOL_MAX');
  });

  it('boots without Redis, stays live, and readiness says Redis is down', async () => {
    const service = spawnService('api', { ...serviceEnv(), REDIS_URL: 'redis://127.0.0.1:1' }, 24300);
    try {
      await waitFor(async () => (await fetch(`${service.url}/health/live`)).ok, { what: 'api live', timeoutMs: 60_000 });
      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(body.error.redis.status).toBe('down');
      expect(body.info.database.status).toBe('up');
      expect(body.info.kafka.status).toBe('up');
    } finally {
      expect(await service.stop()).toBe(true);
    }
  });
});
