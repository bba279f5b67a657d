/**
 * The s.62 log's checkpoints against the real databases (embedded TimescaleDB and plain
 * PostgreSQL, each a database of its own: a tampered chain must not fail the other suites) and the
 * real broker: written signed to the file and the topic; a superuser's rewrite (every hash after
 * it recomputed, so the chain in the database holds) and a truncated tail are both found; a
 * forged checkpoint is reported.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditCheckpointV1 } from '@linewatch/contracts';
import { KafkaPublisher, createKafka, readTopicSnapshot } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { AuditRepository, Database } from '@linewatch/persistence';
import {
  isolatedTopics,
  rewriteAuditEntry,
  scratchDatabase,
  testKafkaConfig,
  truncateAuditLog,
  type ScratchDatabase,
} from '@linewatch/testing';
import { AuditCheckpoints } from './audit-checkpoints';

const KEY = 'linewatch-test-audit-checkpoint-key-0123456789';
describe.each(['timescale', 'postgres'] as const)('s.62 log checkpoints (%s)', (flavour) => {
  const work = mkdtempSync(join(tmpdir(), `linewatch-checkpoints-${flavour}-`));
  const file = join(work, 'audit', 'checkpoints.jsonl');
  const audit = new AuditRepository();
  let scratch: ScratchDatabase;
  let database: Database;
  let publisher: KafkaPublisher;
  let checkpoints: AuditCheckpoints;
  let topic: string;
  const kafka = createKafka(testKafkaConfig(`checkpoints-${flavour}`), createLogger('test', 'silent'));

  const append = (n: number, label: string) =>
    database.autocommit((q) =>
      audit.append(
        q,
        Array.from({ length: n }, (_, i) => ({
          actor: `${label}-${i}`,
          action: 'consultation' as const,
          subjectType: 'line',
          subjectId: `CP-${i}`,
          justification: `checkpoint test ${label}`,
        })),
      ),
    );

  beforeAll(async () => {
    scratch = await scratchDatabase(flavour, 'checkpoints');
    database = await Database.open(scratch.config, 'linewatch-checkpoints-test');
    topic = (await isolatedTopics(`checkpoints-${flavour}`)).names.auditCheckpoints;
    publisher = new KafkaPublisher(kafka);
    checkpoints = new AuditCheckpoints(database, audit, publisher, kafka, { key: KEY, file, topic, by: 'test', topicTimeoutMs: 20_000 });
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await database?.close();
    await scratch?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('writes a signed checkpoint of the head to the file and the topic; verification agrees, naming both sources', async () => {
    const empty = await checkpoints.checkpoint('boot');
    expect(empty).toMatchObject({ chainSeq: '0', entryId: null, hash: 'genesis', count: '0' });
    await append(4, 'first');
    const head = await database.autocommit((q) => audit.head(q));
    const cp = await checkpoints.checkpoint('on-demand');
    expect(cp).toMatchObject({ chainSeq: '4', entryId: head.entryId, hash: head.hash, count: '4', reason: 'on-demand' });

    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((l) => auditCheckpointV1.parse(JSON.parse(l)))).toEqual([empty, cp]);
    const onTopic = await readTopicSnapshot(kafka, topic);
    expect(onTopic.map((m) => JSON.parse(m.value!.toString('utf8')))).toEqual([empty, cp]);

    const report = await checkpoints.verify();
    expect(report).toMatchObject({
      intact: true,
      entries: 4,
      firstBroken: null,
      firstDisagreement: null,
      truncation: null,
      checkpoints: { configured: true, checked: 2, forged: [], latest: { chainSeq: '4', entryId: head.entryId } },
    });
    expect(report.checkpoints.sources).toEqual([
      { source: 'file', location: file, read: true, checkpoints: 2, error: null },
      { source: 'topic', location: topic, read: true, checkpoints: 2, error: null },
    ]);
  });

  it('finds a superuser rewrite of an old entry with every hash after it recomputed, at that entry', async () => {
    // Checkpoints either side of entry #6 (one after #5, one after #6), then more entries and one more checkpoint.
    await append(1, 'second');
    await checkpoints.checkpoint('scheduled');
    await append(1, 'third');
    await checkpoints.checkpoint('erasure');
    await append(3, 'fourth');
    await checkpoints.checkpoint('scheduled');
    expect((await checkpoints.verify({ topic: false })).intact).toBe(true);

    const rewritten = await rewriteAuditEntry(scratch.config.url, 6);
    const report = await checkpoints.verify();
    // The chain in the database holds (the superuser recomputed it): only the checkpoints see it.
    expect(report.firstBroken).toBeNull();
    expect(report.intact).toBe(false);
    expect(report.firstDisagreement).toMatchObject({ kind: 'rewritten', chainSeq: '6', entryId: rewritten, agreesUpTo: '5' });
    expect(report.firstDisagreement?.reason).toContain('entry #6 was rewritten');
    expect(report.truncation).toBeNull();
    expect(report.checkpoints.sources.map((s) => [s.source, s.read])).toEqual([
      ['file', true],
      ['topic', true],
    ]);
  });

  it('finds a truncated tail after a checkpoint covering it (beside the rewrite before it), from the topic alone too', async () => {
    await append(2, 'fifth');
    const covering = await checkpoints.checkpoint('scheduled');
    expect(covering.chainSeq).toBe('11');
    const firstGone = await truncateAuditLog(scratch.config.url, 3);
    expect(firstGone).toBe('9');

    const report = await checkpoints.verify();
    expect(report.firstBroken).toBeNull();
    expect(report.firstDisagreement).toMatchObject({ kind: 'rewritten', chainSeq: '6' });
    expect(report.truncation).toMatchObject({ kind: 'truncated', chainSeq: '9', checkpointId: covering.checkpointId });
    expect(report.truncation?.reason).toContain('entries #9 to #11 were removed');

    // The file lost (or rewritten by someone with the data folder): the topic still holds every checkpoint.
    rmSync(file);
    const fromTopic = await checkpoints.verify();
    expect(fromTopic.checkpoints.sources[0]).toMatchObject({ source: 'file', read: false });
    expect(fromTopic.truncation).toMatchObject({ kind: 'truncated', chainSeq: '9' });
    expect(fromTopic.firstDisagreement).toMatchObject({ kind: 'rewritten', chainSeq: '6' });
  });

  it('reports a forged checkpoint (changed after signing, or signed with another key)', async () => {
    const genuine = (await readTopicSnapshot(kafka, topic)).map((m) => JSON.parse(m.value!.toString('utf8')) as Record<string, string>);
    const last = genuine.at(-1)!;
    writeFileSync(
      file,
      [
        JSON.stringify({ ...last, checkpointId: '11111111-1111-4111-8111-111111111111', chainSeq: '8', count: '8' }),
        JSON.stringify({ ...last, checkpointId: '22222222-2222-4222-8222-222222222222', keyId: '0123456789abcdef' }),
        'not json',
      ].join('\n'),
    );
    const report = await checkpoints.verify();
    expect(report.intact).toBe(false);
    expect(report.checkpoints.forged).toEqual(
      expect.arrayContaining([
        { checkpointId: '11111111-1111-4111-8111-111111111111', source: 'file', reason: 'its signature does not match its content' },
        { checkpointId: '22222222-2222-4222-8222-222222222222', source: 'file', reason: expect.stringContaining('another key') },
        { checkpointId: '(unreadable)', source: 'file', reason: 'not JSON' },
      ]),
    );
  });
});
