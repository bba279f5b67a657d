import { userInfo } from 'node:os';
import type { DatabaseConfig } from '@linewatch/config';
import { AuditRepository, Database, type Queryable } from '@linewatch/persistence';

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

/** `linewatch audit verify`: recomputes the hash chain; false when it is broken. */
export async function verifyAudit(database: DatabaseConfig): Promise<boolean> {
  const report = await withDatabase(database, (q) => new AuditRepository().verify(q));
  if (report.intact) console.log(`audit: ${report.entries} entries, chain intact`);
  else
    console.log(
      `audit: chain BROKEN at entry ${report.firstBroken?.entryId} (#${report.firstBroken?.chainSeq}): ${report.firstBroken?.reason}`,
    );
  return report.intact;
}
