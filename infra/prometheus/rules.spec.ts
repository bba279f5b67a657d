/**
 * The shipped alerting rules (infra/prometheus) through promtool, Prometheus's own checker:
 * `promtool check rules` (syntax, PromQL, templates) and `promtool test rules` (rules.test.yml and
 * rules.weekly.test.yml: every alert fires on its series and stays quiet on healthy ones), plus
 * what promtool cannot see: every alert has a test that fires it and one where it stays quiet,
 * and its runbook names a section of docs/operations.md that exists.
 *
 * promtool comes with Debian's `prometheus` package (`apt-get install prometheus`; .ci/run installs
 * it). PROMTOOL_PATH overrides where it is looked for; without it this test fails, never skips.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const DIR = __dirname;
const ROOT = join(DIR, '..', '..');
const PROMTOOL = process.env.PROMTOOL_PATH || '/usr/bin/promtool';
const RULES = 'linewatch.rules.yml';
const TESTS = ['rules.test.yml', 'rules.weekly.test.yml'];

async function promtool(...args: string[]): Promise<string> {
  if (!existsSync(PROMTOOL))
    throw new Error(
      `promtool not found at ${PROMTOOL}: install Debian's prometheus package (apt-get install prometheus), or set PROMTOOL_PATH`,
    );
  try {
    const { stdout, stderr } = await run(PROMTOOL, args, { cwd: DIR, timeout: 60_000 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${failed.stdout ?? ''}${failed.stderr ?? failed.message}`);
  }
}

/** GitHub's heading anchors: lower case, spaces to hyphens, punctuation dropped. */
function anchorsOf(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6} +(.+)$/gm)].map((m) =>
      m[1]
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('Prometheus alerting rules (promtool)', () => {
  const rules = readFileSync(join(DIR, RULES), 'utf8');
  const tests = TESTS.map((file) => readFileSync(join(DIR, file), 'utf8')).join('\n');
  const alerts = [...rules.matchAll(/^\s*- alert: (\w+)$/gm)].map((m) => m[1]);

  it('are valid rules, and so is the example configuration that loads them', async () => {
    expect(await promtool('check', 'rules', RULES)).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(await promtool('check', 'config', 'prometheus.yml')).toContain('is valid prometheus config file syntax');
  });

  it('pass their unit tests', async () => {
    const output = await promtool('test', 'rules', ...TESTS);
    expect(output).not.toContain('FAILED');
  });

  it('each alert has a test where it fires and one where it does not', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(11);
    for (const alert of alerts) {
      expect({ alert, fires: new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:\\n\\s+- exp_labels`).test(tests) }).toEqual({
        alert,
        fires: true,
      });
      expect({ alert, quiet: new RegExp(`alertname: ${alert}\\n\\s+exp_alerts: \\[\\]`).test(tests) }).toEqual({ alert, quiet: true });
    }
  });

  it('each alert has a severity and a runbook section in docs/operations.md', () => {
    const anchors = anchorsOf(readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8'));
    const blocks = rules.split(/^\s*- alert: /m).slice(1);
    expect(blocks).toHaveLength(alerts.length);
    for (const block of blocks) {
      const alert = block.split('\n')[0].trim();
      expect({ alert, severity: /severity: (critical|warning)\n/.test(block) }).toEqual({ alert, severity: true });
      const runbook = /runbook: docs\/operations\.md#([\w-]+)/.exec(block)?.[1];
      expect({ alert, runbook }).toEqual({ alert, runbook: alert.toLowerCase() });
      expect({ alert, documented: anchors.has(runbook ?? '') }).toEqual({ alert, documented: true });
    }
  });
});
