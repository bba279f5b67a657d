import { checkBackScheduleOf, computeTimeline, daysOverdue, reminderDue, type LineEvent } from '@linewatch/domain';
import { LINE, POLICY, closure, day, dayOf, reopen, sighting } from './testing/line-events.factory';

const scheduleOf = (events: readonly LineEvent[], now: number, offsets: readonly number[] = [7, 28, 90]) => {
  const schedule = checkBackScheduleOf(computeTimeline(LINE, events, day(now), POLICY), offsets);
  return schedule === null
    ? null
    : { closure: schedule.closureEventId, closedAt: dayOf(schedule.closedAt), due: schedule.checkBacks.map((c) => dayOf(c.dueAt)) };
};

describe('checkBackScheduleOf', () => {
  it.each([
    {
      given: 'a line closed by a Type 1 closure on day 10',
      events: [sighting(0, { id: 's0' }), closure(1, 10, { id: 'c1' })],
      then: { closure: 'c1', closedAt: 10, due: [17, 38, 100] },
    },
    { given: 'a Type 2 closure', events: [sighting(0), closure(2, 10)], then: null },
    { given: 'an active line', events: [sighting(0)], then: null },
    {
      given: 'a Type 1 closure then a sighting (the line resurfaced)',
      events: [sighting(0), closure(1, 10), sighting(20)],
      then: null,
    },
    { given: 'a Type 1 closure then a reopen', events: [sighting(0), closure(1, 10), reopen(12)], then: null },
    {
      given: 'a Type 1 closure reported late, before a sighting already known',
      events: [sighting(0), sighting(30), closure(1, 10)],
      then: null,
    },
    {
      given: 'two Type 1 closures with a resurfacing between: the schedule follows the latest',
      events: [sighting(0), closure(1, 10, { id: 'c1' }), sighting(20), closure(1, 25, { id: 'c2' })],
      then: { closure: 'c2', closedAt: 25, due: [32, 53, 115] },
    },
  ])('$given', ({ events, then }) => {
    expect(scheduleOf(events, 200)).toEqual(then);
  });

  it('takes the configured offsets, once each, in order', () => {
    expect(scheduleOf([sighting(0), closure(1, 10, { id: 'c' })], 50, [30, 3, 30])).toEqual({ closure: 'c', closedAt: 10, due: [13, 40] });
  });

  it('is the same whatever order the events arrive in (a late closure rewrites the schedule with the timeline)', () => {
    const events = [sighting(0, { id: 'a' }), closure(1, 10, { id: 'c' }), sighting(5, { id: 'b' })];
    expect(scheduleOf(events, 60)).toEqual(scheduleOf([...events].reverse(), 60));
  });
});

describe('daysOverdue and reminderDue', () => {
  it.each([
    { due: 10, now: 9, overdue: 0, remind: false },
    { due: 10, now: 10.5, overdue: 0, remind: false },
    { due: 10, now: 17, overdue: 7, remind: false },
    { due: 10, now: 17.01, overdue: 7, remind: true },
    { due: 10, now: 40, overdue: 30, remind: true },
  ])('due day $due, now day $now: $overdue days overdue, reminder $remind', ({ due, now, overdue, remind }) => {
    expect(daysOverdue(day(due), day(now))).toBe(overdue);
    expect(reminderDue(day(due), day(now), 7)).toBe(remind);
  });
});
