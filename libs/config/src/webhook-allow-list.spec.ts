import { addressProblem, parseWebhookAllowList, webhookUrlProblem, type WebhookAllowList } from '@linewatch/config';

const list = (text: string, allowPrivateNetworks = false): WebhookAllowList => ({
  hosts: parseWebhookAllowList(text).hosts,
  allowPrivateNetworks,
});

describe('webhook allow-list', () => {
  it('parses host[:port] patterns and names the bad ones', () => {
    expect(parseWebhookAllowList('Hooks.Example.org, 127.0.0.1:3999, *.police.example:*, [::1]:8080')).toEqual({
      hosts: [
        { host: 'hooks.example.org', port: null },
        { host: '127.0.0.1', port: 3999 },
        { host: '*.police.example', port: '*' },
        { host: '::1', port: 8080 },
      ],
      problems: [],
    });
    expect(parseWebhookAllowList('http://x.example, a b, host:99999').problems).toHaveLength(3);
  });

  it.each([
    ['the shipped local sink', 'http://127.0.0.1:3999/hooks/bath-npt', '127.0.0.1:3999', null],
    ['a host on its default port', 'https://hooks.example.org/alerts', 'hooks.example.org', null],
    ['a subdomain of a wildcard, any port', 'https://a.b.police.example:8443/x', '*.police.example:*', null],
    ['the wildcard’s own domain', 'https://police.example/x', '*.police.example:*', 'not in ALERT_WEBHOOK_ALLOWED_HOSTS'],
    ['another port', 'http://127.0.0.1:4000/x', '127.0.0.1:3999', 'not in ALERT_WEBHOOK_ALLOWED_HOSTS'],
    ['a host not listed', 'https://evil.example/x', 'hooks.example.org', 'not in ALERT_WEBHOOK_ALLOWED_HOSTS'],
    ['a lookalike suffix', 'https://hooks.example.org.evil.example/x', 'hooks.example.org', 'not in ALERT_WEBHOOK_ALLOWED_HOSTS'],
    ['cloud metadata, even when listed', 'http://169.254.169.254/latest/meta-data/', '169.254.169.254:*', 'link-local'],
    ['metadata as IPv4-mapped IPv6, even when listed', 'http://[::ffff:169.254.169.254]/', '[::ffff:a9fe:a9fe]', 'link-local'],
    ['a private address allowed by a wildcard port only', 'http://10.0.0.5:8080/x', '10.0.0.5:*', null],
    ['credentials in the URL', 'http://user:pw@127.0.0.1:3999/x', '127.0.0.1:3999', 'credentials'],
    ['another scheme', 'file:///etc/passwd', '127.0.0.1:3999', 'only http(s)'],
  ])('%s', (_what, url, allowed, problem) => {
    expect(webhookUrlProblem(url, list(allowed)) ?? '(no problem)').toContain(problem ?? '(no problem)');
  });

  it.each([
    ['169.254.169.254', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['0.0.0.0', 'not a unicast'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'private or loopback'],
    ['::1', 'private or loopback'],
    ['fd12:3456::1', 'private'],
  ])('refuses %s behind a host name', (address, why) => {
    expect(addressProblem(address, list('hooks.example.org'), false)).toContain(why);
  });

  it('lets private addresses through when allowed, and public ones always; never link-local', () => {
    expect(addressProblem('10.1.2.3', list('hooks.internal', true), false)).toBeNull();
    expect(addressProblem('198.51.100.7', list('hooks.example.org'), false)).toBeNull();
    expect(addressProblem('169.254.169.254', list('hooks.internal', true), true)).toContain('link-local');
  });
});
