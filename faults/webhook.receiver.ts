/**
 * The neighbourhood teams' webhook endpoint as the fault scenarios see it: records every alert it
 * answered 2xx for (by alert id, with how often), and can be told to fail with 500s or to hang
 * (hold requests unanswered) until told otherwise.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type ReceiverMode = 'ok' | 'fail500' | 'hang';

export class WebhookReceiver {
  /** Alert id → times it was answered 2xx. */
  readonly delivered = new Map<string, number>();
  /** Requests answered 500 or left hanging (the alerter counts them failed and retries). */
  refused = 0;
  mode: ReceiverMode = 'ok';
  private readonly held: ServerResponse[] = [];
  private server: Server | null = null;

  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.server = createServer((request, response) => this.handle(request, response));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  setMode(mode: ReceiverMode): void {
    this.mode = mode;
    if (mode !== 'hang') {
      // Held requests were given up on by the alerter (its timeout); close them as failures.
      for (const response of this.held.splice(0)) response.destroy();
    }
  }

  /** Alerts delivered more than once (at-least-once delivery: the delivery id lets receivers drop them). */
  get duplicates(): number {
    return [...this.delivered.values()].reduce((sum, n) => sum + n - 1, 0);
  }

  async stop(): Promise<void> {
    for (const response of this.held.splice(0)) response.destroy();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (this.mode === 'hang') {
        this.refused += 1;
        this.held.push(response);
        return;
      }
      if (this.mode === 'fail500') {
        this.refused += 1;
        response.writeHead(500).end('receiver failing on purpose');
        return;
      }
      for (const alertId of alertIdsOf(Buffer.concat(chunks).toString('utf8'))) {
        this.delivered.set(alertId, (this.delivered.get(alertId) ?? 0) + 1);
      }
      response.writeHead(204).end();
    });
  }
}

/** The alert ids one webhook message carries (contentVersion 2: each alert in `alerts`, one or several). */
function alertIdsOf(body: string): string[] {
  try {
    const message = JSON.parse(body) as { alerts?: { alertId: string }[] };
    return (message.alerts ?? []).map((a) => a.alertId);
  } catch {
    return [];
  }
}
