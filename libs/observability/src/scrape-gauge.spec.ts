import { register } from 'prom-client';
import { scrapeGauge } from './scrape-gauge';

describe('scrapeGauge', () => {
  afterEach(() => register.clear());

  it('reads its values when scraped, replacing the previous ones', async () => {
    let values = [
      { labels: { check: 'kafka' }, value: 1 },
      { labels: { check: 'database' }, value: 0 },
    ];
    scrapeGauge({ name: 'test_up', help: 'test', labelNames: ['check'], read: async () => values });
    expect(await register.getSingleMetricAsString('test_up')).toContain('test_up{check="database"} 0');
    values = [{ labels: { check: 'kafka' }, value: 0 }];
    const text = await register.getSingleMetricAsString('test_up');
    expect(text).toContain('test_up{check="kafka"} 0');
    expect(text).not.toContain('database');
  });

  it('is empty, and the scrape succeeds, when the read fails or is too slow', async () => {
    scrapeGauge({ name: 'test_failing', help: 'test', labelNames: ['x'], read: () => Promise.reject(new Error('database down')) });
    scrapeGauge({ name: 'test_slow', help: 'test', labelNames: ['x'], read: () => new Promise<never>(() => undefined), timeoutMs: 50 });
    const text = await register.metrics();
    expect(text).toContain('# TYPE test_failing gauge');
    expect(text).not.toMatch(/^test_failing/m);
    expect(text).not.toMatch(/^test_slow/m);
  });

  it('replaces a gauge of the same name (another module instance in the same process)', async () => {
    scrapeGauge({ name: 'test_twice', help: 'test', read: async () => [{ labels: {}, value: 1 }] });
    scrapeGauge({ name: 'test_twice', help: 'test', read: async () => [{ labels: {}, value: 2 }] });
    expect(await register.getSingleMetricAsString('test_twice')).toContain('test_twice 2');
  });
});
