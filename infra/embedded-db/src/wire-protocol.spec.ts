import { PGLITE_READ_BLOCK, frameTypedMessages, lastTransactionStatus, pgliteCalls, queryMessage, readStartupFrame } from './wire-protocol';

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

/** A simple-protocol Query padded with a comment to exactly `bytes` bytes on the wire. */
function queryOfSize(sql: string, bytes: number): Buffer {
  const message = queryMessage(`${sql} --${'x'.repeat(bytes - queryMessage(`${sql} --`).length)}`);
  expect(message.length).toBe(bytes);
  return message;
}

describe('PGlite call inputs', () => {
  const sizes = (calls: Buffer[]) => calls.map((call) => call.length);

  it('keeps a batch whole when no message ends on a read block boundary', () => {
    const batch = Buffer.concat([queryOfSize('SELECT 1', 8191), queryMessage('SELECT 2'), queryOfSize('SELECT 3', 9000)]);
    expect(pgliteCalls(batch)).toEqual([batch]);
  });

  it('closes a call after a message that ends exactly on a block boundary (PGlite drops the rest)', () => {
    const tail = queryMessage('SELECT 3');
    expect(sizes(pgliteCalls(Buffer.concat([queryOfSize('SELECT 1', PGLITE_READ_BLOCK), tail])))).toEqual([PGLITE_READ_BLOCK, tail.length]);
    const parts = [queryOfSize('SELECT 1', 5000), queryOfSize('SELECT 2', 3192 + PGLITE_READ_BLOCK), tail];
    expect(sizes(pgliteCalls(Buffer.concat(parts)))).toEqual([2 * PGLITE_READ_BLOCK, tail.length]);
  });

  it('counts blocks from the start of each call', () => {
    const parts = [
      queryOfSize('SELECT 1', PGLITE_READ_BLOCK),
      queryOfSize('SELECT 2', 100),
      queryOfSize('SELECT 3', PGLITE_READ_BLOCK - 100),
      queryMessage('SELECT 4'),
    ];
    expect(sizes(pgliteCalls(Buffer.concat(parts)))).toEqual([PGLITE_READ_BLOCK, PGLITE_READ_BLOCK, parts[3].length]);
  });

  it('leaves a batch that ends on a boundary as one call', () => {
    const batch = Buffer.concat([queryOfSize('SELECT 1', 4096), queryOfSize('SELECT 2', 4096)]);
    expect(pgliteCalls(batch)).toEqual([batch]);
  });
});

describe('transaction status of a response', () => {
  it('is the ReadyForQuery that ends it, or none when other messages follow', () => {
    expect(lastTransactionStatus(Buffer.concat([readyForQuery('I'), Buffer.from([0x31, 0, 0, 0, 4])]))).toBeNull();
  });
});
