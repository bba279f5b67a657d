/**
 * The answer of `GET /v1/overview` as its contract describes it: counts only (whole, not negative),
 * states and severities from their lists, `reviewsDue` null for whoever may not list reviews. The
 * api's contract test (test/openapi.e2e-spec.ts) checks real answers against the same schema.
 */
import { overviewV1 } from '@linewatch/contracts';

const answer = {
  at: '2026-12-06T16:00:00.000Z',
  changedSince: '2026-12-05T16:00:00.000Z',
  lines: [
    { area: 'bath', state: 'active', count: 3 },
    { area: 'bath', state: 'disrupted', count: 1 },
  ],
  changes: { lines: 2 },
  openAlerts: [{ severity: 'high', total: 2, underHour: 1, underDay: 1, older: 0 }],
  reviewsDue: 0,
  checkBacksDue: 0,
  deadLetters: null,
};

describe('overview.v1', () => {
  it.each([
    ['an analyst’s figures', answer],
    ['an officer’s figures (reviews not counted for them)', { ...answer, reviewsDue: null, checkBacksDue: null }],
    ['an admin’s figures (dead letters waiting)', { ...answer, deadLetters: 2 }],
    ['nothing in scope', { ...answer, lines: [], openAlerts: [], changes: { lines: 0 } }],
  ])('takes %s', (_, body) => {
    expect(overviewV1.safeParse(body).success).toBe(true);
  });

  it.each([
    ['a negative count', { ...answer, changes: { lines: -1 } }],
    ['a fractional count', { ...answer, lines: [{ area: 'bath', state: 'active', count: 1.5 }] }],
    ['an unknown state', { ...answer, lines: [{ area: 'bath', state: 'asleep', count: 1 }] }],
    ['an unknown severity', { ...answer, openAlerts: [{ severity: 'urgent', total: 1, underHour: 1, underDay: 0, older: 0 }] }],
    ['a negative dead-letter count', { ...answer, deadLetters: -1 }],
    ['dead letters left out (null for those who may not see them)', { ...answer, deadLetters: undefined }],
    ['a field the contract does not name', { ...answer, deadLettersWaiting: 3 }],
  ])('refuses %s', (_, body) => {
    expect(overviewV1.safeParse(body).success).toBe(false);
  });
});
