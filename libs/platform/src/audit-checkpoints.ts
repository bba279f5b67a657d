import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type DynamicModule, Module } from '@nestjs/common';
import type { AuditCheckpointConfig } from '@linewatch/config';
import {
  AUDIT_CHECKPOINT_SCHEMA,
  HEADERS,
  auditCheckpointV1,
  type AuditCheckpointReason,
  type AuditCheckpointV1,
} from '@linewatch/contracts';
import { checkpointForgery, compareWithCheckpoints, signCheckpoint, type CheckpointDisagreement } from '@linewatch/domain';
import { KAFKA, KafkaPublisher, readTopicSnapshot, type KafkaClient } from '@linewatch/messaging';
import { AuditRepository, Database, type ChainReport } from '@linewatch/persistence';

export type CheckpointSource = 'file' | 'topic';

export interface AuditCheckpointSettings extends AuditCheckpointConfig {
  /** The checkpoint topic's name (with the environment's prefix). */
  readonly topic: string;
  /** Who writes: the service or `cli:<user>`, and its replica. */
  readonly by: string;
  /** How long verification waits for the topic before it reports it unreachable. */
  readonly topicTimeoutMs?: number;
}

export interface SourceReport {
  readonly source: CheckpointSource;
  readonly location: string;
  readonly read: boolean;
  readonly checkpoints: number;
  readonly error: string | null;
}

/** The chain report of `GET /v1/audit/verify` and `linewatch audit verify` (auditChainV1). */
export interface CheckedChainReport extends ChainReport {
  readonly checkpoints: {
    readonly configured: boolean;
    readonly sources: readonly SourceReport[];
    readonly checked: number;
    readonly forged: readonly { readonly checkpointId: string; readonly source: CheckpointSource; readonly reason: string }[];
    readonly latest: { readonly chainSeq: string; readonly entryId: string | null; readonly at: string } | null;
  };
  readonly firstDisagreement: CheckpointDisagreement | null;
  readonly truncation: CheckpointDisagreement | null;
}

/** A checkpoint could not be written to one of its two places (the other was still tried). */
export class AuditCheckpointError extends Error {
  readonly code = 'AUDIT_CHECKPOINT_FAILED';
  constructor(
    message: string,
    readonly checkpoint: AuditCheckpointV1 | null,
  ) {
    super(message);
    this.name = 'AuditCheckpointError';
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The s.62 log's chain head checkpointed outside the database (issue 19, part 5;
 * docs/operations.md, "s.62 log checkpoints"): signed with a key the database never holds, written
 * to the topic `audit.checkpoints.v1` (retained forever) and appended to the checkpoint file; and
 * the chain verified against every checkpoint found in both.
 */
export class AuditCheckpoints {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditRepository,
    private readonly publisher: KafkaPublisher,
    private readonly kafka: KafkaClient,
    private readonly settings: AuditCheckpointSettings,
  ) {}

  get configured(): boolean {
    return this.settings.key !== null;
  }

  /**
   * Checkpoints the chain head as committed now: call it after the transaction that wrote the
   * entries to cover has committed. The erasure job, after each erasure's transaction (the one
   * holding its s.62 erasure entry) commits:
   *
   *     if (this.checkpoints.configured)
   *       await this.checkpoints.checkpoint('erasure').catch((err) => logger.error({ err }, 's.62 checkpoint after erasure failed'));
   *
   * (a failure does not undo the erasure; the next scheduled checkpoint covers it). Writes the file and the topic (both are tried); throws an
   * AuditCheckpointError when either fails or no key is configured.
   */
  async checkpoint(reason: AuditCheckpointReason, now: Date = new Date()): Promise<AuditCheckpointV1> {
    const key = this.settings.key;
    if (key === null)
      throw new AuditCheckpointError('no checkpoint key configured (AUDIT_CHECKPOINT_KEY or AUDIT_CHECKPOINT_KEY_FILE)', null);
    const head = await this.database.autocommit((q) => this.audit.head(q));
    const checkpoint = signCheckpoint(
      {
        schema: AUDIT_CHECKPOINT_SCHEMA,
        checkpointId: randomUUID(),
        chainSeq: head.chainSeq,
        entryId: head.entryId,
        hash: head.hash,
        count: head.count,
        at: now.toISOString(),
        reason,
        by: this.settings.by,
      },
      key,
    );
    const line = JSON.stringify(checkpoint);
    const [file, topic] = await Promise.allSettled([this.appendToFile(line), this.publish(line)]);
    const failed = [
      ...(file.status === 'rejected' ? [`file ${this.settings.file}: ${errorText(file.reason)}`] : []),
      ...(topic.status === 'rejected' ? [`topic ${this.settings.topic}: ${errorText(topic.reason)}`] : []),
    ];
    if (failed.length > 0)
      throw new AuditCheckpointError(`checkpoint #${checkpoint.chainSeq} not written to ${failed.join('; ')}`, checkpoint);
    return checkpoint;
  }

  /** The chain in the database, then against every checkpoint in the file and (unless `topic: false`) on the topic. */
  async verify(options: { readonly topic?: boolean } = {}): Promise<CheckedChainReport> {
    const chain = await this.database.autocommit((q) => this.audit.verify(q));
    const key = this.settings.key;
    if (key === null) {
      return {
        ...chain,
        checkpoints: { configured: false, sources: [], checked: 0, forged: [], latest: null },
        firstDisagreement: null,
        truncation: null,
      };
    }
    const sources: SourceReport[] = [];
    const found: { checkpoint: AuditCheckpointV1; source: CheckpointSource }[] = [];
    const forged: { checkpointId: string; source: CheckpointSource; reason: string }[] = [];
    const take = (source: CheckpointSource, texts: readonly string[]) => {
      for (const text of texts) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          forged.push({ checkpointId: '(unreadable)', source, reason: 'not JSON' });
          continue;
        }
        const result = auditCheckpointV1.safeParse(parsed);
        if (!result.success) {
          const id = (parsed as { checkpointId?: unknown } | null)?.checkpointId;
          forged.push({ checkpointId: typeof id === 'string' ? id : '(unreadable)', source, reason: 'not a checkpoint (schema)' });
          continue;
        }
        found.push({ checkpoint: result.data, source });
      }
      return texts.length;
    };

    try {
      const lines = (await readFile(this.settings.file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
      sources.push({ source: 'file', location: this.settings.file, read: true, checkpoints: take('file', lines), error: null });
    } catch (error) {
      sources.push({ source: 'file', location: this.settings.file, read: false, checkpoints: 0, error: errorText(error) });
    }
    if (options.topic !== false) {
      try {
        const messages = await readTopicSnapshot(this.kafka, this.settings.topic, { timeoutMs: this.settings.topicTimeoutMs ?? 20_000 });
        const texts = messages.map((m) => m.value?.toString('utf8') ?? '');
        sources.push({ source: 'topic', location: this.settings.topic, read: true, checkpoints: take('topic', texts), error: null });
      } catch (error) {
        sources.push({ source: 'topic', location: this.settings.topic, read: false, checkpoints: 0, error: errorText(error) });
      }
    }

    // The same checkpoint is in both places: check it once (a copy that differs is checked as its own).
    const distinct = new Map<string, { checkpoint: AuditCheckpointV1; source: CheckpointSource }>();
    for (const f of found) distinct.set(`${f.checkpoint.checkpointId}|${f.checkpoint.signature}|${JSON.stringify(f.checkpoint)}`, f);
    const valid: AuditCheckpointV1[] = [];
    for (const { checkpoint, source } of distinct.values()) {
      const reason = checkpointForgery(checkpoint, key);
      if (reason === null) valid.push(checkpoint);
      else forged.push({ checkpointId: checkpoint.checkpointId, source, reason });
    }
    const positions = await this.database.autocommit((q) =>
      this.audit.positions(
        q,
        valid.map((c) => c.chainSeq),
      ),
    );
    const { firstDisagreement, truncation } = compareWithCheckpoints(valid, positions);
    const latest = valid.reduce<AuditCheckpointV1 | null>((a, c) => (a === null || c.at > a.at ? c : a), null);
    return {
      ...chain,
      intact: chain.intact && firstDisagreement === null && forged.length === 0,
      checkpoints: {
        configured: true,
        sources,
        checked: valid.length,
        forged,
        latest: latest ? { chainSeq: latest.chainSeq, entryId: latest.entryId, at: latest.at } : null,
      },
      firstDisagreement,
      truncation,
    };
  }

  private async appendToFile(line: string): Promise<void> {
    await mkdir(dirname(this.settings.file), { recursive: true, mode: 0o700 });
    const handle = await open(this.settings.file, 'a', 0o600);
    try {
      await handle.write(`${line}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  private async publish(line: string): Promise<void> {
    await this.publisher.publish(this.settings.topic, [
      {
        key: 'audit',
        value: line,
        headers: { [HEADERS.contentType]: 'application/json', [HEADERS.schema]: AUDIT_CHECKPOINT_SCHEMA },
      },
    ]);
  }
}

const AUDIT_CHECKPOINT_SETTINGS = Symbol('AUDIT_CHECKPOINT_SETTINGS');

/** Provides AuditCheckpoints to a service (after PlatformModule, whose database and Kafka it uses). */
@Module({})
export class AuditCheckpointsModule {
  static forRoot(settings: AuditCheckpointSettings): DynamicModule {
    return {
      module: AuditCheckpointsModule,
      providers: [
        { provide: AUDIT_CHECKPOINT_SETTINGS, useValue: settings },
        {
          provide: AuditCheckpoints,
          useFactory: (
            database: Database,
            audit: AuditRepository,
            publisher: KafkaPublisher,
            kafka: KafkaClient,
            s: AuditCheckpointSettings,
          ) => new AuditCheckpoints(database, audit, publisher, kafka, s),
          inject: [Database, AuditRepository, KafkaPublisher, KAFKA, AUDIT_CHECKPOINT_SETTINGS],
        },
      ],
      exports: [AuditCheckpoints],
    };
  }
}
