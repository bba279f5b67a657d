import { ConfigError } from '@linewatch/config';
import { loadTrackerConfig } from './tracker.config';

const SECRET = { AUTH_JWT_SECRET: 'a-local-signing-key-of-at-least-32-chars' };

describe('loadTrackerConfig: the erasure job', () => {
  it('given nothing, then raw events are kept 6 years (the legal minimum) and erased 500 rows a transaction', () => {
    expect(loadTrackerConfig(SECRET).erasure).toEqual({ retentionYears: 6, batchRows: 500, leaseMs: 60_000 });
  });

  it('given a longer retention, then it is the period', () => {
    expect(loadTrackerConfig({ ...SECRET, RAW_EVENT_RETENTION_YEARS: '7' }).erasure.retentionYears).toBe(7);
  });

  it.each(['5', '0', '-1', 'six'])('given RAW_EVENT_RETENTION_YEARS=%s, then the tracker refuses to load, naming the variable', (value) => {
    let error: unknown;
    try {
      loadTrackerConfig({ ...SECRET, RAW_EVENT_RETENTION_YEARS: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toMatch(/^RAW_EVENT_RETENTION_YEARS: /m);
  });
});
