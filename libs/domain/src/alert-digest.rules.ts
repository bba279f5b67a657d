/** Digests (PRODUCT.md "Alerts"): alerts of one team raised close together, grouped into one message. */

export interface DigestCandidate {
  readonly alertId: string;
  readonly teamId: string;
  readonly raisedAt: Date;
}

export interface DigestGroup {
  teamId: string;
  alertIds: string[];
}

/**
 * Per team, the alerts raised within `windowSeconds` of the group's first (inclusive), in time
 * order; a group smaller than `minimum` is not a digest and is left out (its alerts go singly).
 * Sorted by team, then by time; the same input in any order gives the same groups.
 */
export function digestGroups(pending: readonly DigestCandidate[], windowSeconds: number, minimum: number): DigestGroup[] {
  const byTeam = new Map<string, DigestCandidate[]>();
  for (const candidate of pending) {
    const team = byTeam.get(candidate.teamId);
    if (team === undefined) byTeam.set(candidate.teamId, [candidate]);
    else team.push(candidate);
  }
  const groups: DigestGroup[] = [];
  for (const teamId of [...byTeam.keys()].sort()) {
    const alerts = (byTeam.get(teamId) ?? []).sort(
      (a, b) => a.raisedAt.getTime() - b.raisedAt.getTime() || (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0),
    );
    let current: DigestCandidate[] = [];
    const close = () => {
      if (current.length >= minimum) groups.push({ teamId, alertIds: current.map((a) => a.alertId) });
    };
    for (const alert of alerts) {
      if (current.length > 0 && alert.raisedAt.getTime() - current[0].raisedAt.getTime() > windowSeconds * 1000) {
        close();
        current = [];
      }
      current.push(alert);
    }
    close();
  }
  return groups;
}
