import { hostname, userInfo } from 'node:os';
import type { AuditCheckpointConfig, DatabaseConfig, KafkaConfig } from '@linewatch/config';
import { topicNames } from '@linewatch/contracts';
import { KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { AuditRepository, Database, type Queryable } from '@linewatch/persistence';
import { AuditCheckpoints, type CheckedChainReport } from '@linewatch/platform';

export interface AuditSearchOptions {
  readonly actor?: string;
  readonly action?: string;
  readonly subject?: string;
  readonly since?: string;
  readonly limit: number;
  readonly json?: boolean;
}

/** Statements outside a transaction, each committing by itself, on a pool opened for the command. */
async function withDatabase<T>(config: DatabaseConfig, use: (q: Queryable) => Promise<T>): Promise<T> {
  const database = await Database.open(config, 'linewatch-cli');
  try {
    return await database.autocommit(use);
  } finally {
    await database.close();
  }
}

/** `linewatch audit search`: prints the entries, newest first. */
export async function searchAudit(database: DatabaseConfig, options: AuditSearchOptions): Promise<void> {
  const [subjectType, ...rest] = options.subject?.split(':') ?? [];
  const search = {
    actor: options.actor,
    action: options.action,
    subjectType,
    subjectId: rest.length > 0 ? rest.join(':') : undefined,
    since: options.since ? new Date(options.since) : undefined,
    limit: options.limit,
  };
  const entries = await withDatabase(database, async (q) => {
    const found = await new AuditRepository().search(q, search);
    // Reading the log is itself a consultation, recorded under the operator's account.
    await new AuditRepository().append(q, [
      {
        actor: `cli:${userInfo().username}`,
        action: 'consultation',
        subjectType: 'audit',
        subjectId: JSON.stringify(search),
        justification: 'audit search (command line)',
      },
    ]);
    return found;
  });

  for (const e of entries) {
    if (options.json) console.log(JSON.stringify(e));
    else
      console.log(
        `${e.at.toISOString()}  ${e.actor}  ${e.action}  ${e.subjectType}:${e.subjectId}  ${e.recipient ?? ''}  "${e.justification}"`,
      );
  }
}

export interface CheckpointSetup {
  readonly database: DatabaseConfig;
  readonly kafka: KafkaConfig;
  readonly checkpoints: AuditCheckpointConfig;
}

/** AuditCheckpoints on a pool and a Kafka client opened for the command. */
async function withCheckpoints<T>(setup: CheckpointSetup, use: (checkpoints: AuditCheckpoints) => Promise<T>): Promise<T> {
  const database = await Database.open(setup.database, 'linewatch-cli');
  const kafka = createKafka(setup.kafka, createLogger('cli', 'error'));
  const publisher = new KafkaPublisher(kafka);
  try {
    const checkpoints = new AuditCheckpoints(database, new AuditRepository(), publisher, kafka, {
      ...setup.checkpoints,
      topic: topicNames(setup.kafka.topicPrefix).auditCheckpoints,
      by: `cli:${userInfo().username}@${hostname()}`,
      topicTimeoutMs: 15_000,
    });
    return await use(checkpoints);
  } finally {
    await publisher.disconnect().catch(() => undefined);
    await database.close();
  }
}

/** `linewatch audit checkpoint`: checkpoints the chain head now (file and topic). */
export async function checkpointAudit(setup: CheckpointSetup): Promise<void> {
  const checkpoint = await withCheckpoints(setup, (c) => c.checkpoint('on-demand'));
  console.log(
    `audit: checkpoint ${checkpoint.checkpointId} at #${checkpoint.chainSeq} (entry ${checkpoint.entryId ?? '-'}, ${checkpoint.count} entries) written to ${setup.checkpoints.file} and ${topicNames(setup.kafka.topicPrefix).auditCheckpoints}`,
  );
}

/** The report as lines of text (`linewatch audit verify`). */
export function describeChainReport(report: CheckedChainReport): string[] {
  const lines: string[] = [];
  if (report.firstBroken)
    lines.push(
      `audit: chain BROKEN at entry ${report.firstBroken.entryId} (#${report.firstBroken.chainSeq}): ${report.firstBroken.reason}`,
    );
  const c = report.checkpoints;
  if (!c.configured) lines.push('audit: checkpoints NOT CHECKED: no checkpoint key (AUDIT_CHECKPOINT_KEY or AUDIT_CHECKPOINT_KEY_FILE)');
  for (const s of c.sources)
    lines.push(`audit: checkpoints from ${s.source} ${s.location}: ${s.read ? `${s.checkpoints} read` : `not read (${s.error})`}`);
  for (const f of c.forged) lines.push(`audit: FORGED checkpoint ${f.checkpointId} in the ${f.source}: ${f.reason}`);
  const disagreements = [report.firstDisagreement, report.truncation].filter((d, i, all) => d !== null && all.indexOf(d) === i);
  for (const d of disagreements) {
    if (!d) continue;
    const word = d.kind === 'truncated' ? 'TRUNCATED' : 'REWRITTEN';
    lines.push(
      `audit: chain ${word} at #${d.chainSeq}${d.entryId ? ` (entry ${d.entryId})` : ''}, agrees up to #${d.agreesUpTo}: ${d.reason}`,
    );
  }
  if (report.intact)
    lines.push(
      `audit: ${report.entries} entries, chain intact${c.configured ? `, agrees with ${c.checked} checkpoint(s)${c.latest ? ` (latest at #${c.latest.chainSeq}, ${c.latest.at})` : ''}` : ''}`,
    );
  return lines;
}

/** `linewatch audit verify`: the chain in the database and against every checkpoint; false when anything does not hold. */
export async function verifyAudit(setup: CheckpointSetup, options: { json?: boolean; topic?: boolean } = {}): Promise<boolean> {
  const report = await withCheckpoints(setup, (c) => c.verify({ topic: options.topic }));
  if (options.json) console.log(JSON.stringify(report));
  else for (const line of describeChainReport(report)) console.log(line);
  return report.intact;
}
