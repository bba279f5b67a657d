import { parseWebhookAllowList } from '@linewatch/config';
import { WebhookRefusedError, guardedLookup, postWebhook } from './webhook.target';

const list = (text: string, allowPrivateNetworks = false) => ({ hosts: parseWebhookAllowList(text).hosts, allowPrivateNetworks });

/** Only names and addresses of this machine: nothing here sends a packet elsewhere. */
describe('webhook targets at send time', () => {
  const resolve = (allowPrivate: boolean) =>
    new Promise<{ error: Error | null; address: unknown }>((done) =>
      guardedLookup(list('localhost:*', allowPrivate))('localhost', { family: 4 }, (error, address) => done({ error, address })),
    );

  it('refuses a host name that resolves to a loopback address, after resolving it', async () => {
    const { error } = await resolve(false);
    expect(error).toBeInstanceOf(WebhookRefusedError);
    expect(error?.message).toContain('private or loopback');
  });

  it('connects to it when private networks are allowed', async () => {
    expect(await resolve(true)).toEqual({ error: null, address: '127.0.0.1' });
  });

  it('refuses a metadata URL before any lookup or connection', async () => {
    await expect(postWebhook('http://169.254.169.254/latest/meta-data/', {}, '{}', list('169.254.169.254:*'), 1000)).rejects.toThrow(
      /link-local/,
    );
    await expect(postWebhook('http://localhost:1/x', {}, '{}', list('127.0.0.1:3999'), 1000)).rejects.toBeInstanceOf(WebhookRefusedError);
  });
});
