import type { CheckBackDueV1 } from '@linewatch/contracts';

export interface ReminderMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const day = (iso: string) => iso.slice(0, 10);

/**
 * The reminder of an overdue closure check-back (low severity, to the intelligence team): which
 * line, which closure and check-back, how overdue, and where to record it. No evidence, no numbers:
 * the line id, its area and dates only.
 */
export function checkBackReminderMessage(due: CheckBackDueV1, dashboardUrl: string): ReminderMessage {
  const subject = `[LineWatch] [low] Closure check-back overdue: line ${due.lineId} (${due.daysOverdue} days)`;
  const lines = [
    `A closure check-back is overdue by ${due.daysOverdue} days (severity: low).`,
    '',
    `Line: ${due.lineId}${due.area ? ` (area ${due.area})` : ''}`,
    `Type 1 closure: ${day(due.closedAt)} (event ${due.closureEventId})`,
    `Check-back: ${due.offsetDays} days after the closure, due ${day(due.dueAt)}`,
    '',
    `Record it (still out of use, or in use) in the dashboard: ${dashboardUrl}`,
    `This reminder is sent once per check-back, to the intelligence team only.`,
  ];
  const html =
    `<p>A closure check-back is overdue by <strong>${due.daysOverdue} days</strong> (severity: low).</p>` +
    `<ul><li>Line: ${escape(due.lineId)}${due.area ? ` (area ${escape(due.area)})` : ''}</li>` +
    `<li>Type 1 closure: ${day(due.closedAt)}</li><li>Check-back: ${due.offsetDays} days after, due ${day(due.dueAt)}</li></ul>` +
    `<p><a href="${escape(dashboardUrl)}">Record it in the dashboard</a>. Sent once per check-back, to the intelligence team only.</p>`;
  return { subject, text: lines.join('\n'), html };
}
