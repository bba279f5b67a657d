import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { SingleBar, Presets } from 'cli-progress';
import { accessToken } from './access-token';

export interface ReplayOptions {
  readonly url: string;
  readonly format?: 'ndjson' | 'csv';
  readonly token?: string;
  readonly quiet?: boolean;
  /** A history import (`POST /v1/events?history=true`): its changes raise no pushed alert. */
  readonly history?: boolean;
}

export interface ReplaySummary {
  readonly accepted: number;
  readonly duplicate: number;
  readonly rejected: number;
}

/**
 * Streams an NDJSON or CSV file to `POST /v1/events` as one upload (the
 * service validates and publishes it chunk by chunk), showing progress by
 * bytes sent, then prints the per-event summary and the rate.
 */
export async function replay(file: string, options: ReplayOptions): Promise<{ status: number; body: Record<string, unknown> }> {
  const format = options.format ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson');
  const size = statSync(file).size;
  const bar = options.quiet
    ? null
    : new SingleBar({ format: 'replay {bar} {percentage}% | {value}/{total} bytes | {eta_formatted} left' }, Presets.shades_classic);
  bar?.start(size, 0);
  const source = createReadStream(file);
  let sent = 0;
  source.on('data', (chunk) => {
    sent += chunk.length;
    bar?.update(sent);
  });
  const started = Date.now();
  const token = await accessToken(options.token, ['ingest'], 'linewatch-replay');
  const response = await fetch(`${options.url.replace(/\/$/, '')}/v1/events${options.history ? '?history=true' : ''}`, {
    method: 'POST',
    headers: { 'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson', authorization: `Bearer ${token}` },
    body: Readable.toWeb(source) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const body = (await response.json()) as Record<string, unknown>;
  bar?.update(size);
  bar?.stop();
  const seconds = Math.max((Date.now() - started) / 1000, 0.001);
  const summary = (body.summary ?? { accepted: 0, duplicate: 0, rejected: 0 }) as ReplaySummary;
  const total = summary.accepted + summary.duplicate + summary.rejected;
  if (!options.quiet) {
    console.log(
      `replay: ${summary.accepted} accepted, ${summary.duplicate} duplicate, ${summary.rejected} rejected ` +
        `(${total} events in ${seconds.toFixed(1)} s, ${Math.round(total / seconds)} events/s)`,
    );
    if (typeof body.code === 'string') console.log(`replay: stopped early: ${body.code}: ${String(body.message)}`);
    const rejected = (body.rejected ?? []) as { position: number; code: string; message: string }[];
    for (const r of rejected.slice(0, 20)) console.log(`  ${format === 'csv' ? 'row' : 'line'} ${r.position}: ${r.code} ${r.message}`);
    if (rejected.length > 20 || body.rejectedTruncated) console.log(`  … and ${summary.rejected - 20} more rejected`);
  }
  return { status: response.status, body };
}
