import { signWebhook, verifyWebhookSignature } from './webhook.signature';

const SECRET = 'webhook-test-secret-0123456789abcdef0123';
const at = new Date('2026-12-01T10:00:00Z');

describe('webhook signatures', () => {
  const body = JSON.stringify({ alertId: 'a-1', subject: 'HIGH: line JAY-01 reactivated in Paulton' });
  const header = signWebhook(SECRET, body, at);

  it.each([
    ['the body and header as sent, within the tolerance', body, header, SECRET, new Date(at.getTime() + 60_000), true],
    ['a body changed by one character', body.replace('HIGH', 'LOW!'), header, SECRET, at, false],
    ['another secret', body, header, 'another-secret-0123456789abcdef01234567', at, false],
    ['a replay ten minutes later', body, header, SECRET, new Date(at.getTime() + 600_000), false],
    ['a header without v1', body, header.split(',')[0], SECRET, at, false],
    [
      'a timestamp moved to now (the HMAC covers it)',
      body,
      header.replace(/t=\d+/, `t=${Math.floor(at.getTime() / 1000) + 100}`),
      SECRET,
      at,
      false,
    ],
  ])('given %s, then verification gives the expected answer', (_name, sentBody, sentHeader, secret, now, ok) => {
    expect(verifyWebhookSignature(secret, sentHeader, sentBody, now)).toBe(ok);
  });

  it('given the documented recipe, then the header is t=<seconds>,v1=<hex hmac of "t.body">', () => {
    expect(header).toMatch(/^t=1796119200,v1=[0-9a-f]{64}$/);
  });
});
