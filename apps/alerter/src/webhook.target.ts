import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressProblem, webhookUrlProblem, type WebhookAllowList } from '@linewatch/config';

/** A webhook the allow-list refuses (before or after DNS resolution). */
export class WebhookRefusedError extends Error {}

/**
 * DNS resolution that refuses forbidden addresses, used as the connection's own lookup: the
 * address checked is the address connected to, so a name that resolves to a public address at
 * load time and to 169.254.169.254 at send time (DNS rebinding) is still refused.
 */
export function guardedLookup(list: WebhookAllowList): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { family: options.family, hints: options.hints, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      // Every address must pass: a name that also resolves to a metadata address is not trusted.
      const problem = addresses.map((a) => addressProblem(a.address, list, false)).find((p) => p !== null);
      if (problem || addresses.length === 0) {
        return callback(new WebhookRefusedError(`webhook refused: ${hostname} resolves to ${problem ?? 'nothing'}`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * POSTs a webhook to an allow-listed target. Redirects are not followed (a 3xx is the answer):
 * a receiver cannot bounce the alerter to an internal address.
 */
export function postWebhook(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  list: WebhookAllowList,
  timeoutMs: number,
): Promise<number> {
  const problem = webhookUrlProblem(url, list);
  if (problem) return Promise.reject(new WebhookRefusedError(`webhook refused: ${problem}`));
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const request = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(list),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response: IncomingMessage) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
