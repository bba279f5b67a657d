import { userInfo } from 'node:os';
import type { DatabaseConfig } from '@linewatch/config';
import { AuditRepository, openDataSource } from '@linewatch/persistence';

export interface AuditSearchOptions {
  readonly actor?: string;
  readonly action?: string;
  readonly subject?: string;
  readonly since?: string;
  readonly limit: number;
  readonly json?: boolean;
}

async function withDataSource<T>(
  database: DatabaseConfig,
  use: (ds: Awaited<ReturnType<typeof openDataSource>>) => Promise<T>,
): Promise<T> {
  const ds = await openDataSource(database, 'linewatch-cli');
  try {
    return await use(ds);
  } finally {
    await ds.destroy();
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
  const entries = await withDataSource(database, async (ds) => {
    const found = await new AuditRepository().search(ds.manager, search);
    // Reading the log is itself a consultation, recorded under the operator's account.
    await new AuditRepository().append(ds.manager, [
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
  const report = await withDataSource(database, (ds) => new AuditRepository().verify(ds.manager));
  if (report.intact) console.log(`audit: ${report.entries} entries, chain intact`);
  else
    console.log(
      `audit: chain BROKEN at entry ${report.firstBroken?.entryId} (#${report.firstBroken?.chainSeq}): ${report.firstBroken?.reason}`,
    );
  return report.intact;
}
