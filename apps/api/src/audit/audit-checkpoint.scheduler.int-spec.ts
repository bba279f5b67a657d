/**
 * The api's scheduled checkpoints of the s.62 log (issue 19, part 5): of two replicas ticking in
 * the same interval, one writes the checkpoint and the other skips (the lease row); the next
 * interval, either may; a failed write frees the lease at once. Real database, real broker.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { AuditRepository, Database, ExportScheduleRepository } from '@linewatch/persistence';
import { AuditCheckpoints } from '@linewatch/platform';
import { isolatedTopics, testDatabaseConfig, testKafkaConfig } from '@linewatch/testing';
import type { ApiConfig } from '../api.config';
import { AUDIT_CHECKPOINT_JOB, AuditCheckpointScheduler } from './audit-checkpoint.scheduler';

const KEY = 'linewatch-test-audit-scheduler-key-0123456789';
const HOUR = 3_600_000;

describe('scheduled s.62 log checkpoints (two api replicas)', () => {
  const work = mkdtempSync(join(tmpdir(), 'linewatch-checkpoint-schedule-'));
  const file = join(work, 'checkpoints.jsonl');
  const logger = createLogger('test', 'silent');
  const kafka = createKafka(testKafkaConfig('checkpoint-schedule'), logger);
  const publisher = new KafkaPublisher(kafka);
  let database: Database;

  const job = `${AUDIT_CHECKPOINT_JOB}-test-${Date.now()}`;
  const replica = (settings: { file: string; key: string | null }, topic: string) => {
    const scheduler = new AuditCheckpointScheduler(
      { extra: { AUDIT_CHECKPOINT_INTERVAL_MS: HOUR } } as unknown as ApiConfig,
      logger,
      database,
      new ExportScheduleRepository(),
      new AuditCheckpoints(database, new AuditRepository(), publisher, kafka, { ...settings, topic, by: 'api:test' }),
    );
    scheduler.job = job; // a lease row of this run's own
    return scheduler;
  };
  const written = () => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);

  beforeAll(async () => {
    database = await Database.open(testDatabaseConfig('timescale'), 'checkpoint-schedule-test');
  });

  afterAll(async () => {
    await publisher.disconnect();
    await database.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('writes one checkpoint per interval across replicas, and frees the lease when writing fails', async () => {
    const { names } = await isolatedTopics('checkpoint-schedule');
    const a = replica({ file, key: KEY }, names.auditCheckpoints);
    const b = replica({ file, key: KEY }, names.auditCheckpoints);
    const t0 = new Date();
    await a.run(HOUR, t0);
    await b.run(HOUR, new Date(t0.getTime() + 1000));
    expect(written()).toHaveLength(1);
    expect(JSON.parse(written()[0]!)).toMatchObject({ reason: 'scheduled', by: 'api:test' });

    // Within the interval: nobody writes again. After it: the other replica does.
    await b.run(HOUR, new Date(t0.getTime() + 30 * 60_000));
    expect(written()).toHaveLength(1);
    await b.run(HOUR, new Date(t0.getTime() + HOUR));
    expect(written()).toHaveLength(2);

    // A replica whose checkpoint cannot be written (its file is a directory) frees the lease: the next tick of another one writes.
    const broken = replica({ file: work, key: KEY }, names.auditCheckpoints);
    await expect(broken.run(HOUR, new Date(t0.getTime() + 2 * HOUR))).rejects.toThrow(/not written to file/);
    await a.run(HOUR, new Date(t0.getTime() + 2 * HOUR + 1000));
    expect(written()).toHaveLength(3);
  });
});
