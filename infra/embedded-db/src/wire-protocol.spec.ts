import { frameTypedMessages, lastTransactionStatus, queryMessage, readStartupFrame } from './wire-protocol';

function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return Buffer.from([0x5a, 0, 0, 0, 5, status.charCodeAt(0)]);
}

describe('wire protocol framing', () => {
  it('keeps a message split across chunks until it is whole', () => {
    const message = queryMessage('SELECT 1');
    const first = frameTypedMessages(message.subarray(0, 7));
    expect(first.types).toEqual([]);
    expect(first.rest.length).toBe(7);
    const whole = frameTypedMessages(Buffer.concat([message, message.subarray(0, 3)]));
    expect(whole.types).toEqual(['Q']);
    expect(whole.complete.equals(message)).toBe(true);
    expect(whole.rest.length).toBe(3);
  });

  it('reads the startup message and SSL requests', () => {
    const ssl = Buffer.alloc(8);
    ssl.writeInt32BE(8, 0);
    ssl.writeInt32BE(80877103, 4);
    expect(readStartupFrame(ssl)?.code).toBe(80877103);
    expect(readStartupFrame(ssl.subarray(0, 6))).toBeNull();
  });

  it('finds the last transaction status in a response', () => {
    expect(lastTransactionStatus(Buffer.concat([readyForQuery('T'), readyForQuery('I')]))).toBe('I');
    expect(lastTransactionStatus(readyForQuery('E'))).toBe('E');
    expect(lastTransactionStatus(Buffer.from([0x31, 0, 0, 0, 4]))).toBeNull();
  });

  it('refuses a nonsense length rather than waiting forever', () => {
    expect(() => frameTypedMessages(Buffer.from([0x51, 0, 0, 0, 1]))).toThrow(/invalid message length/);
  });
});
