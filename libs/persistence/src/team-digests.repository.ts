import type { IntelEventV1, StateChangeV1 } from '@linewatch/contracts';
import type { DigestChangeRow, DigestOpenAlertRow, TeamDigestInput } from '@linewatch/domain';
import { managerOf, type Queryable } from './database';

export interface DigestRun {
  readonly teamId: string;
  /** The end of the last period a digest was completed for; null before the team's first. */
  readonly lastPeriodEnd: Date | null;
}

export interface StoredDigest {
  readonly digestId: string;
  readonly teamId: string;
  readonly periodFrom: Date;
  readonly periodEnd: Date;
  readonly body: unknown;
  /** `<recipientId>/<channel>` keys it has been sent to. */
  readonly sentTo: readonly string[];
  readonly attempts: number;
}

const NUMBER_KEY = /msisdn|imei|number/i;

/** Numbers and handsets an event body names (as apps/alerter/src/cause-details.ts reads them for alerts). */
function numbersIn(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return NUMBER_KEY.test(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => numbersIn(item, key));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbersIn(v, k));
  return [];
}

type DigestRow = {
  digest_id: string;
  team_id: string;
  period_from: Date;
  period_end: Date;
  body: unknown;
  sent_to: string[];
  attempts: number;
};
const stored = (r: DigestRow): StoredDigest => ({
  digestId: r.digest_id,
  teamId: r.team_id,
  periodFrom: r.period_from,
  periodEnd: r.period_end,
  body: r.body,
  sentTo: r.sent_to,
  attempts: r.attempts,
});

/**
 * Team digests (`team_digest_runs`, `team_digests`): the lease and record that make one digest per
 * team and period across replicas and restarts (as ExportScheduleRepository does for the weekly
 * export), and what a digest says — lines in the team's areas by state, the state changes recorded
 * in a period (the tracker's outbox keeps every change, published or not), the team's open alerts.
 */
export class TeamDigestsRepository {
  /** Takes the team's lease for `holder` when it is free (never taken, expired, or this holder's); null when another has it. */
  async acquire(q: Queryable, teamId: string, holder: string, now: Date, leaseUntil: Date): Promise<DigestRun | null> {
    await managerOf(q).query(`INSERT INTO team_digest_runs (team_id) VALUES ($1) ON CONFLICT (team_id) DO NOTHING`, [teamId]);
    const rows: { team_id: string; last_period_end: Date | null }[] = await managerOf(q).query(
      `WITH taken AS (
         UPDATE team_digest_runs SET holder = $2, lease_until = $4
         WHERE team_id = $1 AND (holder IS NULL OR lease_until IS NULL OR lease_until <= $3 OR holder = $2)
         RETURNING team_id, last_period_end)
       SELECT team_id, last_period_end FROM taken`,
      [teamId, holder, now, leaseUntil],
    );
    const row = rows[0];
    return row ? { teamId: row.team_id, lastPeriodEnd: row.last_period_end } : null;
  }

  /** Records the team's completed period and frees the lease (only if this holder still has it). */
  async complete(q: Queryable, teamId: string, holder: string, digestId: string, periodEnd: Date, at: Date): Promise<boolean> {
    const rows: unknown[] = await managerOf(q).query(
      `WITH done AS (
         UPDATE team_digest_runs SET last_period_end = $4, last_digest_id = $3, holder = NULL, lease_until = NULL
         WHERE team_id = $1 AND holder = $2 RETURNING team_id)
       SELECT team_id FROM done`,
      [teamId, holder, digestId, periodEnd],
    );
    if (rows.length > 0) await managerOf(q).query(`UPDATE team_digests SET completed_at = $2 WHERE digest_id = $1`, [digestId, at]);
    return rows.length > 0;
  }

  /** Frees the lease without recording a period (a send failed; the next tick tries again). */
  async release(q: Queryable, teamId: string, holder: string): Promise<void> {
    await managerOf(q).query(`UPDATE team_digest_runs SET holder = NULL, lease_until = NULL WHERE team_id = $1 AND holder = $2`, [
      teamId,
      holder,
    ]);
  }

  async lastPeriodEnd(q: Queryable, teamId: string): Promise<Date | null> {
    const rows: { last_period_end: Date | null }[] = await managerOf(q).query(
      `SELECT last_period_end FROM team_digest_runs WHERE team_id = $1`,
      [teamId],
    );
    return rows[0]?.last_period_end ?? null;
  }

  /** The digest of a team's period: the one stored (a retry) or, when none is, `body` stored as it. */
  async store(q: Queryable, digest: Omit<StoredDigest, 'sentTo' | 'attempts'>): Promise<StoredDigest> {
    await managerOf(q).query(
      `INSERT INTO team_digests (digest_id, team_id, period_from, period_end, body) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (team_id, period_end) DO NOTHING`,
      [digest.digestId, digest.teamId, digest.periodFrom, digest.periodEnd, JSON.stringify(digest.body)],
    );
    const rows: DigestRow[] = await managerOf(q).query(`SELECT * FROM team_digests WHERE team_id = $1 AND period_end = $2`, [
      digest.teamId,
      digest.periodEnd,
    ]);
    return stored(rows[0]);
  }

  async findForPeriod(q: Queryable, teamId: string, periodEnd: Date): Promise<StoredDigest | null> {
    const rows: DigestRow[] = await managerOf(q).query(`SELECT * FROM team_digests WHERE team_id = $1 AND period_end = $2`, [
      teamId,
      periodEnd,
    ]);
    return rows[0] ? stored(rows[0]) : null;
  }

  async markSent(q: Queryable, digestId: string, key: string): Promise<void> {
    await managerOf(q).query(
      `UPDATE team_digests SET sent_to = array_append(sent_to, $2) WHERE digest_id = $1 AND NOT ($2 = ANY (sent_to))`,
      [digestId, key],
    );
  }

  async countAttempt(q: Queryable, digestId: string): Promise<void> {
    await managerOf(q).query(`UPDATE team_digests SET attempts = attempts + 1 WHERE digest_id = $1`, [digestId]);
  }

  /** Lines whose own area (latest sighting) is one of `areas`, by area and state (merged-away lines left out). */
  async lineCounts(q: Queryable, areas: readonly string[]): Promise<{ area: string; state: string; count: number }[]> {
    return managerOf(q).query(
      `SELECT area, state, count(*)::int AS count FROM lines
       WHERE area = ANY ($1::text[]) AND state IS NOT NULL AND merged_into IS NULL
       GROUP BY area, state ORDER BY area, state`,
      [[...areas]],
    );
  }

  /**
   * Every state change recorded after `from` up to `to` (recording time, so that a history import
   * of old events counts when it was imported) of a line in one of `areas`, with whether the team
   * was alerted for it (an alert held — a history import, a first record already dormant — or
   * silenced was not pushed); for handling code C, the cause's source and numbers (to strike them).
   */
  async changes(q: Queryable, teamId: string, areas: readonly string[], from: Date, to: Date): Promise<DigestChangeRow[]> {
    const rows: {
      change_id: string;
      created_at: Date;
      payload: StateChangeV1;
      alerted: boolean;
      silenced: boolean;
      cause: IntelEventV1 | null;
    }[] = await managerOf(q).query(
      `SELECT o.change_id, o.created_at, o.payload,
              EXISTS (SELECT 1 FROM alerts a WHERE a.change_id = o.change_id AND a.team_id = $1 AND a.status NOT IN ('silenced', 'held')) AS alerted,
              EXISTS (SELECT 1 FROM alerts a WHERE a.change_id = o.change_id AND a.team_id = $1 AND a.status = 'silenced') AS silenced,
              CASE WHEN o.payload #>> '{cause,grading,handling}' = 'C' THEN
                (SELECT e.payload FROM intel_events e WHERE e.event_id = (o.payload #>> '{cause,eventId}')::uuid LIMIT 1)
              END AS cause
       FROM line_state_changes_outbox o
       WHERE o.created_at > $3 AND o.created_at <= $4
         AND (o.payload ->> 'area' = ANY ($2::text[]) OR (o.payload -> 'areas') ?| $2::text[])
       ORDER BY o.seq`,
      [teamId, [...areas], from, to],
    );
    return rows.map((r) => ({
      changeId: r.change_id,
      recordedAt: r.created_at,
      payload: r.payload,
      alerted: r.alerted,
      silenced: r.silenced,
      cause: r.cause
        ? { sourceSystem: r.cause.source.system, sourceReference: r.cause.source.reference, numbers: [...new Set(numbersIn(r.cause.body))] }
        : null,
    }));
  }

  /** The team's alerts not yet acknowledged (raised or delivered), oldest first. */
  async openAlerts(q: Queryable, teamId: string): Promise<DigestOpenAlertRow[]> {
    const rows: {
      alert_id: string;
      line_id: string;
      severity: DigestOpenAlertRow['severity'];
      status: DigestOpenAlertRow['status'];
      subject: string | null;
      raised_at: Date;
      sanitised: boolean;
    }[] = await managerOf(q).query(
      `SELECT alert_id, line_id, severity, status, content ->> 'subject' AS subject, raised_at, sanitised
       FROM alerts WHERE team_id = $1 AND status IN ('raised', 'delivered') ORDER BY raised_at, alert_id`,
      [teamId],
    );
    return rows.map((r) => ({
      alertId: r.alert_id,
      lineId: r.line_id,
      severity: r.severity,
      status: r.status,
      subject: r.subject ?? `line ${r.line_id}`,
      raisedAt: r.raised_at,
      sanitised: r.sanitised,
    }));
  }

  /** Everything a digest of `team` for (from, to] says, read in one go (the domain's teamDigest() shapes it). */
  async digestInput(
    q: Queryable,
    team: { readonly id: string; readonly name: string },
    areas: Readonly<Record<string, string>>,
    timeZone: string,
    from: Date,
    to: Date,
    now: Date,
  ): Promise<TeamDigestInput> {
    const codes = Object.keys(areas);
    const [lineCounts, changes, openAlerts] = [
      await this.lineCounts(q, codes),
      await this.changes(q, team.id, codes, from, to),
      await this.openAlerts(q, team.id),
    ];
    return { team, timeZone, from, to, generatedAt: now, areas, lineCounts, changes, openAlerts };
  }
}
