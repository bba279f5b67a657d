/**
 * Where the alerter may send webhooks (no server-side request forgery): a recipient's URL must
 * match an allow-listed `host[:port]`, and the address it is sent to must not be link-local, a
 * cloud metadata endpoint, or (unless allowed) private or loopback. Checked when the routing file
 * loads (here) and again at send time, after DNS resolution (the alerter, with `addressProblem`).
 *
 * Owns: parsing ALERT_WEBHOOK_ALLOWED_HOSTS, matching URLs, classifying addresses. Must not
 * touch: DNS, the network, the environment.
 */
import { BlockList, isIP } from 'node:net';
import type { AlertRouting } from './alert-routing.config';

export interface AllowedHost {
  /** Lower case; `*.example.org` matches any subdomain (not example.org itself). */
  readonly host: string;
  /** null: the scheme's default port (80/443) only; '*': any port. */
  readonly port: number | '*' | null;
}

export interface WebhookAllowList {
  readonly hosts: readonly AllowedHost[];
  /** Send to private and loopback addresses reached through a host name (internal receivers). */
  readonly allowPrivateNetworks: boolean;
}

/** What the shipped config/alert-routing.json uses: the local alert sink of `npm start`. */
export const DEFAULT_WEBHOOK_ALLOWED_HOSTS = '127.0.0.1:3999';

const ENTRY = /^(\*\.)?([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}|\*))?$/;

/** `host[:port]` patterns, comma-separated; returns the problems instead of throwing. */
export function parseWebhookAllowList(text: string): { hosts: AllowedHost[]; problems: string[] } {
  const hosts: AllowedHost[] = [];
  const problems: string[] = [];
  for (const raw of text.split(',').map((s) => s.trim().toLowerCase())) {
    if (raw === '') continue;
    const match = ENTRY.exec(raw);
    const port = match?.[3] === undefined ? null : match[3] === '*' ? '*' : Number(match[3]);
    if (!match || (typeof port === 'number' && (port < 1 || port > 65535))) {
      problems.push(`"${raw}" is not a host[:port] pattern (e.g. hooks.example.org, 10.0.0.5:8443, *.example.org:*)`);
      continue;
    }
    hosts.push({ host: `${match[1] ?? ''}${match[2].replace(/^\[|\]$/g, '')}`, port });
  }
  return { hosts, problems };
}

const hostOf = (url: URL) => url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
const portOf = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

/** The allow-list entry a URL matches, or null. */
export function allowedEntryOf(url: URL, list: WebhookAllowList): AllowedHost | null {
  const host = hostOf(url);
  const port = portOf(url);
  const defaultPort = url.port === '';
  return (
    list.hosts.find((entry) => {
      const hostMatches = entry.host.startsWith('*.') ? host.endsWith(entry.host.slice(1)) : host === entry.host;
      const portMatches = entry.port === '*' || (entry.port === null ? defaultPort : entry.port === port);
      return hostMatches && portMatches;
    }) ?? null
  );
}

/** Never a webhook receiver: link-local (where cloud metadata lives), metadata endpoints, unspecified, multicast, broadcast. */
const FORBIDDEN = new BlockList();
FORBIDDEN.addSubnet('169.254.0.0', 16, 'ipv4');
FORBIDDEN.addSubnet('0.0.0.0', 8, 'ipv4');
FORBIDDEN.addSubnet('224.0.0.0', 4, 'ipv4');
FORBIDDEN.addSubnet('240.0.0.0', 4, 'ipv4');
FORBIDDEN.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
FORBIDDEN.addAddress('::', 'ipv6');
FORBIDDEN.addSubnet('fe80::', 10, 'ipv6');
FORBIDDEN.addSubnet('ff00::', 8, 'ipv6');
FORBIDDEN.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6

/** Private, shared and loopback ranges: allowed only when named or when private networks are allowed. */
const PRIVATE = new BlockList();
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4');
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('198.18.0.0', 15, 'ipv4');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

/** ::ffff:a.b.c.d is a.b.c.d. */
function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  // The URL parser writes ::ffff:169.254.169.254 as ::ffff:a9fe:a9fe.
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  const fromHex = hex
    ? [parseInt(hex[1], 16) >> 8, parseInt(hex[1], 16) & 255, parseInt(hex[2], 16) >> 8, parseInt(hex[2], 16) & 255].join('.')
    : null;
  const plain = mapped ? mapped[1] : (fromHex ?? address);
  const version = isIP(plain);
  return version === 0 ? null : { address: plain, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * Why a webhook must not go to this address, or null when it may. `named`: the allow-list entry
 * that let the URL through is this very address (an operator wrote it down).
 */
export function addressProblem(address: string, list: WebhookAllowList, named: boolean): string | null {
  const ip = normalise(address);
  if (!ip) return `${address} is not an IP address`;
  if (FORBIDDEN.check(ip.address, ip.family)) return `${address} is link-local, a metadata endpoint or not a unicast address`;
  if (PRIVATE.check(ip.address, ip.family) && !named && !list.allowPrivateNetworks) {
    return `${address} is a private or loopback address (name it in ALERT_WEBHOOK_ALLOWED_HOSTS, or set ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true)`;
  }
  return null;
}

/** Why a webhook URL is refused before any DNS lookup, or null. */
export function webhookUrlProblem(webhookUrl: string, list: WebhookAllowList): string | null {
  let url: URL;
  try {
    url = new URL(webhookUrl);
  } catch {
    return `${webhookUrl} is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${webhookUrl}: only http(s) webhooks`;
  if (url.username || url.password) return `${url.origin}: credentials in a webhook URL are not allowed`;
  const entry = allowedEntryOf(url, list);
  if (!entry) return `${url.host} is not in ALERT_WEBHOOK_ALLOWED_HOSTS`;
  const host = hostOf(url);
  return normalise(host) ? addressProblem(host, list, entry.host === host) : null;
}

/** Every recipient webhook of a routing that the allow-list refuses, each named by where it is. */
export function webhookProblemsOf(routing: AlertRouting, list: WebhookAllowList): string[] {
  const intelligence = (routing.intelligenceTeam?.recipients ?? []).flatMap((recipient) => {
    const problem = recipient.webhookUrl === undefined ? null : webhookUrlProblem(recipient.webhookUrl, list);
    return problem === null
      ? []
      : [`ALERT_ROUTING_FILE (${routing.file}) intelligenceTeam, recipient ${recipient.id}: webhook refused: ${problem}`];
  });
  return intelligence.concat(teamWebhookProblems(routing, list));
}

function teamWebhookProblems(routing: AlertRouting, list: WebhookAllowList): string[] {
  return routing.teams.flatMap((team) =>
    team.levels.flatMap((level) =>
      level.recipients.flatMap((recipient) => {
        const problem = recipient.webhookUrl === undefined ? null : webhookUrlProblem(recipient.webhookUrl, list);
        return problem === null
          ? []
          : [
              `ALERT_ROUTING_FILE (${routing.file}) team ${team.id}, level ${level.level}, recipient ${recipient.id}: webhook refused: ${problem}`,
            ];
      }),
    ),
  );
}
