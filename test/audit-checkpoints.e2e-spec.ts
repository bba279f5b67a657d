/**
 * The s.62 log proves itself outside the database (issue 19, part 5), end to end on the embedded
 * TimescaleDB (a database of this suite's own: a tampered chain must not fail the other suites)
 * and the real broker: the api checkpoints the chain head at boot and hourly, `linewatch audit
 * checkpoint` on demand, each signed, to the checkpoint file and the topic. A database superuser
 * disables the trigger, rewrites an old entry and recomputes every hash after it: the chain in
 * the database holds, `GET /v1/audit/verify` and `linewatch audit verify` report the rewrite at
 * that entry; then the tail is removed after a checkpoint covering it: both report the truncation.
 * (Both database flavours with forged checkpoints: libs/platform/src/audit-checkpoints.int-spec.ts.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditCheckpointV1, type AuditCheckpointV1 } from '@linewatch/contracts';
import {
  bearer,
  isolatedTopics,
  rewriteAuditEntry,
  runCli,
  scratchDatabase,
  serviceEnv,
  startService,
  truncateAuditLog,
  waitFor,
  type RunningService,
  type ScratchDatabase,
} from '@linewatch/testing';

const BASE_PORT = 29480;
const KEY = 'linewatch-e2e-audit-checkpoint-key-0123456789abcdef';

const work = mkdtempSync(join(tmpdir(), 'linewatch-audit-checkpoints-'));
const file = join(work, 'audit', 'checkpoints.jsonl');
let embedded: ScratchDatabase;
let api: RunningService;
let env: NodeJS.ProcessEnv;
let topic: string;

const checkpointsInFile = (): AuditCheckpointV1[] => {
  try {
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => auditCheckpointV1.parse(JSON.parse(line)));
  } catch {
    return [];
  }
};

async function get(path: string, authorization: string) {
  const response = await fetch(`${api.url}${path}`, { headers: { authorization, 'x-justification': 'audit checkpoint test' } });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as any };
}

/** One consultation entry per read of the lines. */
const read = async (n: number) => {
  for (let i = 0; i < n; i += 1) expect((await get('/v1/lines', await bearer(['analyst'], [], `cp-reader-${i}`))).status).toBe(200);
};

async function checkpointNow(): Promise<AuditCheckpointV1> {
  const before = checkpointsInFile().length;
  const cli = await runCli(['audit', 'checkpoint'], env);
  expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 0, stderr: '' });
  const written = checkpointsInFile();
  expect(written).toHaveLength(before + 1);
  const checkpoint = written.at(-1)!;
  expect(checkpoint).toMatchObject({ reason: 'on-demand', by: expect.stringMatching(/^cli:/) });
  expect(cli.stdout).toContain(`checkpoint ${checkpoint.checkpointId} at #${checkpoint.chainSeq}`);
  return checkpoint;
}

beforeAll(async () => {
  embedded = await scratchDatabase('timescale', 'audit-checkpoints');
  const topics = await isolatedTopics('audit-checkpoints');
  topic = topics.names.auditCheckpoints;
  env = serviceEnv('timescale', {
    DATABASE_URL: embedded.config.url,
    KAFKA_TOPIC_PREFIX: topics.prefix,
    AUDIT_CHECKPOINT_KEY: KEY,
    AUDIT_CHECKPOINT_FILE: file,
  });
  api = await startService('api', env, BASE_PORT);
});

afterAll(async () => {
  await api?.stop();
  await embedded?.drop();
  rmSync(work, { recursive: true, force: true });
});

describe('s.62 log checkpoints (embedded TimescaleDB, real broker)', () => {
  const admin = () => bearer(['admin'], [], 'cp-auditor');

  it('the api checkpoints at boot (its hourly schedule), the CLI on demand; verification agrees with both sources', async () => {
    await waitFor(() => checkpointsInFile().some((c) => c.reason === 'scheduled' && c.by.startsWith('api:')), {
      what: "the api's scheduled checkpoint in the file",
    });
    await read(3);
    const onDemand = await checkpointNow();
    expect(Number(onDemand.chainSeq)).toBeGreaterThanOrEqual(3);

    const report = await get('/v1/audit/verify', await admin());
    expect(report).toMatchObject({
      status: 200,
      body: { intact: true, firstBroken: null, firstDisagreement: null, truncation: null, checkpoints: { configured: true, forged: [] } },
    });
    expect(report.body.checkpoints.sources).toEqual([
      { source: 'file', location: file, read: true, checkpoints: 2, error: null },
      { source: 'topic', location: topic, read: true, checkpoints: 2, error: null },
    ]);
    const cli = await runCli(['audit', 'verify'], env);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('chain intact, agrees with 2 checkpoint(s)');
  });

  it('a superuser rewrites an old entry and recomputes every hash after it: the api and the CLI name that entry', async () => {
    const before = await checkpointNow();
    await read(1);
    const after = await checkpointNow();
    await read(2);
    await checkpointNow();

    const rewritten = await rewriteAuditEntry(embedded.config.url, Number(after.chainSeq));
    const report = await get('/v1/audit/verify', await admin());
    expect(report.body).toMatchObject({
      intact: false,
      // The chain in the database holds: the superuser recomputed it. Only the checkpoints see the rewrite.
      firstBroken: null,
      firstDisagreement: { kind: 'rewritten', chainSeq: after.chainSeq, entryId: rewritten, agreesUpTo: before.chainSeq },
      truncation: null,
    });
    const cli = await runCli(['audit', 'verify'], env);
    expect(cli.code).toBe(2);
    expect(cli.stdout).toContain(`chain REWRITTEN at #${after.chainSeq} (entry ${rewritten}), agrees up to #${before.chainSeq}`);
  });

  it('then the tail is removed after a checkpoint covering it: the api and the CLI report the truncation', async () => {
    await read(3);
    const covering = await checkpointNow();
    const firstGone = await truncateAuditLog(embedded.config.url, 2);
    expect(firstGone).toBe(String(Number(covering.chainSeq) - 1));

    const report = await get('/v1/audit/verify', await admin());
    expect(report.body).toMatchObject({
      intact: false,
      firstBroken: null,
      firstDisagreement: { kind: 'rewritten' },
      truncation: { kind: 'truncated', chainSeq: firstGone, checkpointId: covering.checkpointId },
    });
    const cli = await runCli(['audit', 'verify', '--no-topic'], env);
    expect(cli.code).toBe(2);
    expect(cli.stdout).toContain(`chain TRUNCATED at #${firstGone}`);
    expect(cli.stdout).toContain(`checkpoints from file ${file}: `);
    expect(cli.stdout).not.toContain('checkpoints from topic');
  });
});
