import { redactUrlForLog } from '@linewatch/observability';

describe('redactUrlForLog', () => {
  it.each([
    ['/v1/alerts/a1/acknowledge?token=eyJ.abc.def&x=1', '/v1/alerts/a1/acknowledge?token=[redacted]&x=1'],
    ['/v1/lines?state=active&access_token=abc', '/v1/lines?state=active&access_token=[redacted]'],
    ['/v1/lines?TOKEN=abc', '/v1/lines?TOKEN=[redacted]'],
    ['/v1/lines?state=active', '/v1/lines?state=active'],
    ['/v1/lines', '/v1/lines'],
  ])('%s', (url, logged) => {
    expect(redactUrlForLog(url)).toBe(logged);
  });
});
