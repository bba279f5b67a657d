import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { Mutex } from 'async-mutex';
import { SessionReport } from './session-report';

/** A socket as the report reads it: its address, byte counters and events. */
function aSocket(port: number): Socket {
  return Object.assign(new EventEmitter(), { remoteAddress: '127.0.0.1', remotePort: port, bytesRead: 10, bytesWritten: 20 }) as unknown as Socket;
}

describe('SessionReport', () => {
  it('tells who holds the backend and who waits for it, and forgets closed sessions', async () => {
    const warnings: Record<string, unknown>[] = [];
    const report = new SessionReport((_level, _message, fields) => warnings.push(fields ?? {}), 20);
    const gate = new Mutex();
    const [a, b, c] = [aSocket(1), aSocket(2), aSocket(3)];
    const gateA = report.track(a, gate);
    const gateB = report.track(b, gate);
    report.track(c, gate);

    const releaseA = await gateA.acquire();
    a.emit('data', Buffer.from('Q'));
    const waitingB = gateB.acquire();
    expect(report.snapshot().map((s) => [s.client, s.state])).toEqual([
      ['127.0.0.1:1', 'holding'],
      ['127.0.0.1:2', 'waiting'],
      ['127.0.0.1:3', 'idle'],
    ]);
    expect(report.snapshot()[0]).toMatchObject({ bytesIn: 10, bytesOut: 20, acquisitions: 1 });
    expect(report.snapshot()[0].lastInputMs).not.toBeNull();

    // The waiter logs the report once it has waited longer than the threshold.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => warnings.length > 0 && (clearInterval(poll), resolve()), 5);
    });
    expect(warnings[0]).toMatchObject({ client: '127.0.0.1:2', sessions: [{ state: 'holding' }, { state: 'waiting' }, { state: 'idle' }] });

    releaseA();
    (await waitingB)();
    expect(report.snapshot().map((s) => s.state)).toEqual(['idle', 'idle', 'idle']);
    expect(gate.isLocked()).toBe(false);

    c.emit('close');
    expect(report.snapshot()).toHaveLength(2);
  });
});
