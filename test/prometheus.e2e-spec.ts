/**
 * The pipeline watched by a real Prometheus (Debian's `prometheus` package; PROMETHEUS_PATH
 * overrides): it scrapes the four running services every second with the shipped rules loaded
 * (infra/prometheus/linewatch.rules.yml, in a copy whose `for:` durations are cut to 2 s — the
 * only change, so that the test does not wait five minutes; thresholds and expressions are the
 * shipped ones), sees every service ready and the pipeline's own metrics, and fires
 * LinewatchTrackerLagging when the tracker is stopped while ingest keeps accepting events.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aSighting, bearer, isolatedTopics, serviceEnv, startService, waitFor, type RunningService } from '@linewatch/testing';

const ROOT = join(__dirname, '..');
const PROMETHEUS = process.env.PROMETHEUS_PATH || '/usr/bin/prometheus';
const BASE_PORT = 29300;
const PORTS = { api: BASE_PORT, ingest: BASE_PORT + 1, alerter: BASE_PORT + 2, tracker: BASE_PORT + 3, prometheus: BASE_PORT + 9 } as const;
/** The shipped rules with every `for:` cut to this: the only rewrite. */
const SHORT_FOR = '2s';

interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  value: string;
}
interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** The shipped rules, with short `for:` durations (documented in docs/operations.md, "Monitoring"). */
function rulesWithShortFor(rules: string, duration: string): string {
  const rewritten = rules.replace(/^(\s+for:) \S+$/gm, `$1 ${duration}`);
  if (rewritten === rules) throw new Error('no `for:` found in the rules: the rewrite no longer applies');
  return rewritten;
}

describe('the pipeline watched by Prometheus', () => {
  const services: Partial<Record<keyof typeof PORTS, RunningService>> = {};
  const dir = mkdtempSync(join(tmpdir(), 'linewatch-prometheus-'));
  const trackerGroup = `e2e-prom-tracker-${randomUUID()}`;
  let prometheus: ChildProcess | null = null;
  const prometheusOutput: string[] = [];
  const promUrl = `http://127.0.0.1:${PORTS.prometheus}`;

  const query = async (promql: string): Promise<PromSample[]> => {
    const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; data: { result: PromSample[] } };
    if (body.status !== 'success') throw new Error(`query ${promql}: ${JSON.stringify(body)}`);
    return body.data.result;
  };
  const alerts = async (): Promise<PromAlert[]> => {
    const body = (await (await fetch(`${promUrl}/api/v1/alerts`)).json()) as { data: { alerts: PromAlert[] } };
    return body.data.alerts;
  };
  const post = async (count: number) => {
    const response = await fetch(`${services.ingest?.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await bearer(['ingest'], [], 'records-system') },
      body: JSON.stringify(Array.from({ length: count }, () => aSighting({ area: 'bath' }))),
    });
    expect(response.status).toBeLessThan(300);
  };

  beforeAll(async () => {
    if (!existsSync(PROMETHEUS))
      throw new Error(
        `no Prometheus at ${PROMETHEUS}: install Debian's prometheus package (apt-get install prometheus), or set PROMETHEUS_PATH`,
      );
    const isolated = await isolatedTopics('prometheus');
    const env = serviceEnv('timescale', {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      TRACKER_GROUP_ID: trackerGroup,
      ALERTER_GROUP_ID: `e2e-prom-alerter-${randomUUID()}`,
    });
    // The api runs the weekly export once at boot (one week, no recipients): its gauge is then set.
    const apiEnv = {
      ...env,
      EXPORT_SCHEDULE: 'on',
      EXPORT_SCHEDULE_JOB: `e2e-prom-${randomUUID().slice(0, 8)}`,
      EXPORT_WEEKS: '1',
      EXPORT_DIR: join(dir, 'exports'),
    };
    const [api, ingest, alerter, tracker] = await Promise.all([
      startService('api', apiEnv, PORTS.api),
      startService('ingest', env, PORTS.ingest),
      startService('alerter', env, PORTS.alerter),
      startService('tracker', env, PORTS.tracker),
    ]);
    Object.assign(services, { api, ingest, alerter, tracker });

    writeFileSync(
      join(dir, 'linewatch.rules.yml'),
      rulesWithShortFor(readFileSync(join(ROOT, 'infra', 'prometheus', 'linewatch.rules.yml'), 'utf8'), SHORT_FOR),
    );
    const jobs = (['api', 'ingest', 'alerter', 'tracker'] as const).map(
      (name) => `  - job_name: linewatch-${name}\n    static_configs:\n      - targets: ['127.0.0.1:${PORTS[name]}']\n`,
    );
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n  evaluation_interval: 1s\nrule_files:\n  - linewatch.rules.yml\nscrape_configs:\n${jobs.join('')}`,
    );
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${PORTS.prometheus}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const collect = (chunk: Buffer) => prometheusOutput.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    prometheus.stdout?.on('data', collect);
    prometheus.stderr?.on('data', collect);
    await waitFor(
      async () => {
        if (prometheus?.exitCode !== null) throw new Error(`prometheus exited: ${prometheusOutput.slice(-5).join('\n')}`);
        return (await fetch(`${promUrl}/-/ready`).catch(() => null))?.ok;
      },
      { what: 'Prometheus ready', timeoutMs: 30_000, intervalMs: 200 },
    );
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus?.once('close', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await Promise.all(Object.values(services).map((s) => s?.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes every service, ready, with the metrics the rules read', async () => {
    const up = await waitFor(
      async () => {
        const samples = await query('up{job=~"linewatch-.*"} == 1');
        return samples.length === 4 ? samples : undefined;
      },
      { what: 'the four services scraped', timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(up.map((s) => s.metric.job).sort()).toEqual(['linewatch-alerter', 'linewatch-api', 'linewatch-ingest', 'linewatch-tracker']);
    const ready = await waitFor(
      async () => {
        const samples = await query('linewatch_service_ready == 1');
        return samples.length === 4 ? samples : undefined;
      },
      { what: 'every service ready in Prometheus', timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(ready.map((s) => s.metric.service).sort()).toEqual(['alerter', 'api', 'ingest', 'tracker']);
    expect((await query('linewatch_readiness_check_up{service="tracker"}')).map((s) => s.metric.check).sort()).toEqual([
      'consumer',
      'database',
      'kafka',
      'redis',
    ]);

    // The lag of both groups (the api reports them), the outbox and the relay lease (the tracker), the weekly export (the api).
    const lag = await waitFor(
      async () => {
        const samples = await query(`linewatch_kafka_consumer_lag_messages{group="${trackerGroup}"}`);
        return samples.length > 0 ? samples : undefined;
      },
      { what: "the tracker's lag reported", timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(lag.every((s) => s.metric.consumer === 'tracker' && s.metric.topic.endsWith('intel.events.v1'))).toBe(true);
    expect(await query('linewatch_kafka_consumer_lag_messages{consumer="alerter"}')).not.toHaveLength(0);
    expect(await query('linewatch_tracker_outbox_oldest_pending_age_seconds')).toHaveLength(1);
    await waitFor(async () => (await query('time() - linewatch_tracker_relay_lease_renewed_timestamp_seconds < 30')).length === 1, {
      what: 'the relay lease renewed',
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    await waitFor(async () => (await query('time() - linewatch_export_last_success_timestamp_seconds < 3600')).length === 1, {
      what: 'the weekly export done at boot',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    // Healthy: nothing fires (the export's rule may have fired before the boot run completed; it resolves at the next evaluation).
    let firing: string[] = [];
    await waitFor(
      async () => {
        firing = (await alerts()).filter((a) => a.state === 'firing').map((a) => a.labels.alertname);
        return firing.length === 0;
      },
      { what: 'no alert firing on the healthy pipeline', timeoutMs: 15_000, intervalMs: 250 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nfiring: ${firing.join(', ')}`);
    });
  });

  it('accepts every query of the Grafana dashboard (infra/prometheus/grafana-dashboard.json)', async () => {
    const dashboard = JSON.parse(readFileSync(join(ROOT, 'infra', 'prometheus', 'grafana-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    const queries = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));
    expect(queries.length).toBeGreaterThan(10);
    for (const { panel, expr } of queries) {
      const promql = expr.replaceAll('$__rate_interval', '1m').replaceAll('$service', '.*');
      await expect(query(promql).then(() => panel)).resolves.toBe(panel);
    }
  });

  it('fires LinewatchTrackerLagging when the tracker is stopped while events keep coming', async () => {
    await post(200);
    // An orderly stop while Prometheus scrapes it every second (its keep-alive connection must not hold the shutdown).
    expect(await services.tracker?.stop()).toBe(true);
    // Load goes on (200 events a round) until Prometheus sees the tracker more than 1000 behind for 2 s.
    const firing = await waitFor(
      async () => {
        await post(200);
        return (await alerts()).find((a) => a.labels.alertname === 'LinewatchTrackerLagging' && a.state === 'firing');
      },
      { what: 'LinewatchTrackerLagging firing', timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(firing.labels).toEqual({ alertname: 'LinewatchTrackerLagging', group: trackerGroup, severity: 'critical' });
    expect(Number(firing.value)).toBeGreaterThan(1000);
    expect(firing.annotations.summary).toMatch(/^The tracker is \d+ events behind/);
    expect(firing.annotations.runbook).toBe('docs/operations.md#linewatchtrackerlagging');
    // The alerter kept up: nothing waits for it.
    expect((await alerts()).find((a) => a.labels.alertname === 'LinewatchAlerterLagging')).toBeUndefined();
  });
});
