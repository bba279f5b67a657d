import { checkBackReminderMessage } from './check-back-reminder.message';

const due = {
  checkBackId: '0d9c2f8e-1111-4a4a-8888-222233334444',
  lineId: 'JAY-<b>1</b>',
  area: 'bath',
  areas: ['bath'],
  closureEventId: 'c0ffee00-1111-4a4a-8888-222233334444',
  closedAt: '2026-10-01T09:00:00.000Z',
  offsetDays: 28,
  dueAt: '2026-10-29T09:00:00.000Z',
  daysOverdue: 9,
};

describe('checkBackReminderMessage', () => {
  const message = checkBackReminderMessage(due, 'http://127.0.0.1:3000/dashboard/#/check-backs');

  it('says low severity, the line and how overdue in the subject', () => {
    expect(message.subject).toBe('[LineWatch] [low] Closure check-back overdue: line JAY-<b>1</b> (9 days)');
  });

  it('names the closure, which check-back, when it was due and where to record it', () => {
    expect(message.text).toContain('Type 1 closure: 2026-10-01');
    expect(message.text).toContain('Check-back: 28 days after the closure, due 2026-10-29');
    expect(message.text).toContain('http://127.0.0.1:3000/dashboard/#/check-backs');
  });

  it('escapes what it puts in the HTML', () => {
    expect(message.html).toContain('JAY-&#60;b&#62;1&#60;/b&#62;');
    expect(message.html).not.toContain('<b>1</b>');
  });
});
