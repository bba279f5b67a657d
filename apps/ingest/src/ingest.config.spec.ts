import { loadIngestConfig } from './ingest.config';

const SECRET = { AUTH_JWT_SECRET: 'a-local-signing-key-of-at-least-32-chars' };

describe('loadIngestConfig', () => {
  it('given no limits, then a streamed upload may take an hour to arrive (Node cuts a request at 300 s by itself)', () => {
    // The 100,000-event upload of test/intake took 333 s in one CI run and was cut with a bare 408:
    // the events before were published, their counts never answered.
    expect(loadIngestConfig(SECRET).extra.INGEST_REQUEST_TIMEOUT_MS).toBe(3_600_000);
  });

  it('given INGEST_REQUEST_TIMEOUT_MS, then it is the limit', () => {
    expect(loadIngestConfig({ ...SECRET, INGEST_REQUEST_TIMEOUT_MS: '7200000' }).extra.INGEST_REQUEST_TIMEOUT_MS).toBe(7_200_000);
  });
});
