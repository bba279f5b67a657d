/**
 * The content of a team digest (PRODUCT.md "Team digest"): the body every channel carries
 * (`teamDigestV1`) and the e-mail's text and HTML. Pure: the instants and the rows are inputs.
 *
 * A change whose cause has handling code C is sanitised as alerts are (alert-content.rules.ts):
 * no cause id, and the cause's source and numbers struck from whatever else is shown.
 */
import {
  LINE_STATE_NAMES,
  TEAM_DIGEST_CONTENT_VERSION,
  TEAM_DIGEST_SCHEMA,
  type DigestChangeV1,
  type DigestOpenAlertV1,
  type StateChangeV1,
  type TeamDigestV1,
} from '@linewatch/contracts';
import { HANDLING_C_NOTICE, withholding, type AlertCauseDetails } from './alert-content.rules';

/** A recorded state change as the outbox keeps it; `payload` may carry markers a later contract adds (`pushed`, `reason`). */
export interface DigestChangeRow {
  readonly changeId: string;
  readonly recordedAt: Date;
  readonly payload: StateChangeV1 & {
    readonly pushed?: unknown;
    readonly heldReason?: unknown;
    readonly reason?: unknown;
    readonly notPushedReason?: unknown;
    readonly marker?: unknown;
    readonly history?: unknown;
  };
  /** Whether an alert of the team was sent or is to be sent for it (not held, not silenced). */
  readonly alerted: boolean;
  /** Whether the team's alert for it was silenced. */
  readonly silenced: boolean;
  /** The cause's source and numbers, for striking (read only for handling code C). */
  readonly cause: AlertCauseDetails | null;
}

export interface DigestOpenAlertRow {
  readonly alertId: string;
  readonly lineId: string;
  readonly severity: DigestOpenAlertV1['severity'];
  readonly status: DigestOpenAlertV1['status'];
  readonly subject: string;
  readonly raisedAt: Date;
  readonly sanitised: boolean;
}

export interface TeamDigestInput {
  readonly team: { readonly id: string; readonly name: string };
  readonly timeZone: string;
  readonly from: Date;
  readonly to: Date;
  readonly generatedAt: Date;
  /** The team's areas: code -> display name. */
  readonly areas: Readonly<Record<string, string>>;
  readonly lineCounts: readonly { readonly area: string; readonly state: string; readonly count: number }[];
  readonly changes: readonly DigestChangeRow[];
  readonly openAlerts: readonly DigestOpenAlertRow[];
}

/** At most this many changes are listed; the rest are counted. */
export const DIGEST_CHANGE_LIMIT = 1000;

type StateCounts = TeamDigestV1['lines']['byState'];
const zero = (): { -readonly [K in keyof StateCounts]: number } => ({ active: 0, dormant: 0, disrupted: 0, closed: 0 });

function markerOf(change: DigestChangeRow): { pushed: boolean; reason?: string } {
  const p = change.payload;
  // The tracker says `pushed: false` with `heldReason` (state-change.v1); the other names are read too, for changes of other writers.
  const reason = [p.heldReason, p.reason, p.notPushedReason, p.marker, p.history === true ? 'history' : undefined].find(
    (r): r is string => typeof r === 'string' && r.length > 0,
  );
  // Pushed: the change was worth it (absent means so) and the team was alerted.
  if (p.pushed !== false && change.alerted) return { pushed: true };
  const why = p.pushed !== false && change.silenced ? 'silenced' : (reason ?? (change.silenced ? 'silenced' : undefined));
  return { pushed: false, ...(why ? { reason: why } : {}) };
}

function digestChange(change: DigestChangeRow): DigestChangeV1 {
  const p = change.payload;
  const sanitised = p.cause?.grading?.handling === 'C';
  const strike = sanitised ? withholding(change.cause) : (text: string) => text;
  return {
    changeId: sanitised ? null : change.changeId,
    lineId: strike(p.lineId),
    from: p.from,
    to: p.to,
    kind: p.kind,
    at: p.at,
    recordedAt: change.recordedAt.toISOString(),
    area: p.area === null ? null : strike(p.area),
    ...markerOf(change),
    sanitised,
  };
}

export function teamDigest(input: TeamDigestInput): TeamDigestV1 {
  const byState = zero();
  const byArea = new Map<string, ReturnType<typeof zero>>();
  for (const code of Object.keys(input.areas).sort()) byArea.set(code, zero());
  for (const row of input.lineCounts) {
    if (!(LINE_STATE_NAMES as readonly string[]).includes(row.state)) continue;
    const state = row.state as keyof StateCounts;
    byState[state] += row.count;
    const area = byArea.get(row.area) ?? zero();
    area[state] += row.count;
    byArea.set(row.area, area);
  }
  const total = (c: StateCounts) => c.active + c.dormant + c.disrupted + c.closed;
  const changes = input.changes.slice(0, DIGEST_CHANGE_LIMIT).map(digestChange);
  const openAlerts = input.openAlerts.map((a) => ({
    alertId: a.alertId,
    lineId: a.lineId,
    severity: a.severity,
    status: a.status,
    subject: a.subject,
    raisedAt: a.raisedAt.toISOString(),
    ageMinutes: Math.max(0, Math.floor((input.generatedAt.getTime() - a.raisedAt.getTime()) / 60_000)),
    sanitised: a.sanitised,
  }));
  return {
    schema: TEAM_DIGEST_SCHEMA,
    contentVersion: TEAM_DIGEST_CONTENT_VERSION,
    team: { id: input.team.id, name: input.team.name },
    period: { from: input.from.toISOString(), to: input.to.toISOString() },
    timeZone: input.timeZone,
    generatedAt: input.generatedAt.toISOString(),
    lines: {
      total: total(byState),
      byState,
      byArea: [...byArea.entries()].map(([area, counts]) => ({
        area,
        name: Object.prototype.hasOwnProperty.call(input.areas, area) ? input.areas[area] : area,
        total: total(counts),
        byState: counts,
      })),
    },
    changes,
    changesOmitted: Math.max(0, input.changes.length - DIGEST_CHANGE_LIMIT),
    openAlerts,
    sanitised: changes.some((c) => c.sanitised) || openAlerts.some((a) => a.sanitised),
  };
}

function localTime(iso: string, zone: string): string {
  const p: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  for (const part of format.formatToParts(new Date(iso))) p[part.type] = part.value;
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

function age(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${Math.floor(minutes / 1440)} days`;
}

export interface DigestMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The e-mail: plain text and the same in simple HTML (tables), in the schedule's zone. */
export function digestMessage(digest: TeamDigestV1): DigestMessage {
  const z = digest.timeZone;
  const states = LINE_STATE_NAMES;
  const pushed = digest.changes.filter((c) => c.pushed).length;
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const subject = `DIGEST: ${digest.team.name}, ${count(digest.changes.length + digest.changesOmitted, 'change', 'changes')}, ${count(digest.openAlerts.length, 'open alert', 'open alerts')}`;
  const changeLine = (c: DigestChangeV1) =>
    `${c.lineId}: ${c.from ?? 'not seen before'} -> ${c.to} at ${localTime(c.at, z)}${c.area ? ` (${c.area})` : ''}; ${
      c.pushed ? 'alert pushed' : `not pushed${c.reason ? ` (${c.reason})` : ''}`
    }${c.sanitised ? '; handling code C' : ''}`;
  const alertLine = (a: TeamDigestV1['openAlerts'][number]) =>
    `${a.severity.toUpperCase()} ${a.subject} (${a.status}, open ${age(a.ageMinutes)})`;
  const text = [
    `Digest for ${digest.team.name}: ${localTime(digest.period.from, z)} to ${localTime(digest.period.to, z)}.`,
    '',
    `Lines in the team's areas: ${digest.lines.total} (${states.map((s) => `${s} ${digest.lines.byState[s]}`).join(', ')}).`,
    ...digest.lines.byArea.map((a) => `  ${a.name}: ${a.total} (${states.map((s) => `${s} ${a.byState[s]}`).join(', ')})`),
    '',
    `Changes since the previous digest: ${digest.changes.length + digest.changesOmitted} (${pushed} pushed as alerts).`,
    ...digest.changes.map((c) => `  ${changeLine(c)}`),
    ...(digest.changesOmitted > 0 ? [`  … and ${digest.changesOmitted} more (see the lines' timelines).`] : []),
    '',
    `Alerts still open: ${digest.openAlerts.length}.`,
    ...digest.openAlerts.map((a) => `  ${alertLine(a)}`),
    ...(digest.sanitised ? ['', HANDLING_C_NOTICE] : []),
  ].join('\n');
  const rows = (cells: readonly string[], tag = 'td') => `<tr>${cells.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')}</tr>`;
  const html = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    `<h1>Digest for ${escapeHtml(digest.team.name)}</h1>`,
    `<p>${escapeHtml(localTime(digest.period.from, z))} to ${escapeHtml(localTime(digest.period.to, z))}.</p>`,
    `<h2>Lines in the team's areas: ${digest.lines.total}</h2>`,
    '<table>',
    rows(['Area', ...states, 'total'], 'th'),
    ...digest.lines.byArea.map((a) => rows([a.name, ...states.map((s) => String(a.byState[s])), String(a.total)])),
    rows(['All', ...states.map((s) => String(digest.lines.byState[s])), String(digest.lines.total)]),
    '</table>',
    `<h2>Changes since the previous digest: ${digest.changes.length + digest.changesOmitted} (${pushed} pushed)</h2>`,
    '<table>',
    rows(['Line', 'From', 'To', 'When', 'Area', 'Pushed'], 'th'),
    ...digest.changes.map((c) =>
      rows([
        c.lineId,
        c.from ?? 'not seen before',
        c.to,
        localTime(c.at, z),
        c.area ?? '',
        (c.pushed ? 'yes' : `no${c.reason ? ` (${c.reason})` : ''}`) + (c.sanitised ? '; handling code C' : ''),
      ]),
    ),
    '</table>',
    ...(digest.changesOmitted > 0 ? [`<p>… and ${digest.changesOmitted} more (see the lines' timelines).</p>`] : []),
    `<h2>Alerts still open: ${digest.openAlerts.length}</h2>`,
    '<ul>',
    ...digest.openAlerts.map((a) => `<li>${escapeHtml(alertLine(a))}</li>`),
    '</ul>',
    ...(digest.sanitised ? [`<p><strong>${escapeHtml(HANDLING_C_NOTICE)}</strong></p>`] : []),
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
