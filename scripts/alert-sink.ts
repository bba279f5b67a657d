/**
 * The local stack's stand-in for officers' mailboxes and webhook receivers (`npm start`, when
 * SMTP_URL is unset): an SMTP server and a webhook endpoint on 127.0.0.1 that keep what they
 * receive under <data>/alert-sink/ (a webhook as its raw body, `<stem>.json`, and its request
 * headers, `<stem>.headers.json`) and say so on the console. Deployments point SMTP_URL and the
 * routing file's webhook URLs at real ones.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../apps/alerter/src/webhook.signature';

export interface AlertSink {
  readonly smtpUrl: string;
  close(): Promise<void>;
}

export async function startAlertSink(options: {
  dir: string;
  smtpPort: number;
  webhookPort: number;
  webhookSecret: string;
  say: (message: string) => void;
}): Promise<AlertSink> {
  mkdirSync(options.dir, { recursive: true });
  let n = 0;
  const keep = (kind: string, content: string, ext: string) =>
    writeFileSync(join(options.dir, `${Date.now()}-${++n}-${kind}.${ext}`), content);

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        // Said, then kept: whoever sees the file can also find the line on the console.
        simpleParser(raw)
          .then(
            (mail) =>
              options.say(
                `alert sink: mail to ${mail.to ? JSON.stringify(mail.to).match(/"address":"([^"]+)"/)?.[1] : '?'}: ${mail.subject ?? ''}`,
              ),
            () => options.say('alert sink: mail received (not parsed)'),
          )
          .finally(() => {
            keep('mail', raw.toString('utf8'), 'eml');
            callback();
          });
      });
    },
  });
  const hooks = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      // The body is kept byte for byte: a receiver's signature check is over the raw body.
      const raw = Buffer.concat(chunks);
      const body = raw.toString('utf8');
      const signature = String(request.headers[SIGNATURE_HEADER] ?? '');
      const signed = verifyWebhookSignature(options.webhookSecret, signature, body, new Date());
      const stem = `${Date.now()}-${++n}-webhook`;
      writeFileSync(join(options.dir, `${stem}.json`), raw);
      // Beside it, the request's headers (X-LineWatch-Signature, X-LineWatch-Delivery, …), so that
      // the signature can be checked again from the files as docs/alerts.md tells a receiver to.
      writeFileSync(
        join(options.dir, `${stem}.headers.json`),
        `${JSON.stringify(
          {
            receivedAt: new Date().toISOString(),
            method: request.method,
            url: request.url,
            headers: request.headers,
            signature: signed ? 'valid' : 'invalid',
            body: `${stem}.json`,
          },
          null,
          2,
        )}\n`,
      );
      let subject = '';
      try {
        subject = (JSON.parse(body) as { subject?: string }).subject ?? '';
      } catch {
        subject = '(not JSON)';
      }
      const delivery = String(request.headers['x-linewatch-delivery'] ?? '-');
      options.say(
        `alert sink: webhook ${request.url} (${signed ? 'signature valid' : 'SIGNATURE INVALID'}, delivery ${delivery}, ${stem}.json): ${subject}`,
      );
      response.writeHead(signed ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort, '127.0.0.1', () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    hooks.once('error', reject);
    hooks.listen(options.webhookPort, '127.0.0.1', () => resolve());
  });
  return {
    smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`,
    async close() {
      hooks.closeAllConnections();
      await new Promise<void>((resolve) => hooks.close(() => resolve()));
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}
