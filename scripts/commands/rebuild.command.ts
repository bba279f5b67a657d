import type { DatabaseConfig, DormancyWindows } from '@linewatch/config';
import {
  ClosureCheckBacksRepository,
  Database,
  LineIdentityRepository,
  LineLinksRepository,
  LinesRepository,
} from '@linewatch/persistence';
import { LineIdentities } from '../../apps/tracker/src/line-identities';
import { LineTimelines } from '../../apps/tracker/src/line-timelines';
import { RebuildTimelinesUseCase, type RebuildReport } from '../../apps/tracker/src/rebuild-timelines.usecase';

/** `linewatch rebuild [--line ID] [--dry-run]`: recompute timelines and line identity from stored events; prints what changed. */
export async function rebuild(
  database: DatabaseConfig,
  windows: DormancyWindows,
  checkBackDays: readonly number[],
  options: { line?: string; dryRun?: boolean },
): Promise<RebuildReport> {
  const db = await Database.open(database, 'linewatch-cli-rebuild');
  try {
    const lines = new LinesRepository();
    const links = new LineLinksRepository();
    const identity = new LineIdentityRepository();
    const useCase = new RebuildTimelinesUseCase(
      db,
      lines,
      new LineTimelines(lines, windows, links, { repository: new ClosureCheckBacksRepository(), offsetsDays: checkBackDays }),
      new LineIdentities(identity, links),
      links,
      identity,
    );
    const report = await useCase.execute({ lineId: options.line, now: new Date(), dryRun: options.dryRun });
    for (const line of report.changed) {
      const state =
        line.stateBefore === line.stateAfter
          ? `state ${line.stateAfter ?? 'none'}`
          : `state ${line.stateBefore ?? 'none'} → ${line.stateAfter ?? 'none'}`;
      console.log(`${line.lineId}: ${state}; periods ${line.periodsBefore} → ${line.periodsAfter}`);
    }
    console.log(
      `rebuild${report.dryRun ? ' (dry run, nothing written)' : ''}: ${report.lines} line(s) recomputed, ${report.changed.length} changed; no alerts raised`,
    );
    return report;
  } finally {
    await db.close();
  }
}
