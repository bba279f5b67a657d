import { StatementProfile, statementTexts } from './statement-profile';
import { queryMessage } from './wire-protocol';

/** A Parse message as node-postgres sends it (unnamed statement, no parameter types). */
function parseMessage(sql: string, name = ''): Buffer {
  const body = Buffer.concat([Buffer.from(`${name}\0${sql}\0`, 'utf8'), Buffer.from([0, 0])]);
  const header = Buffer.alloc(5);
  header.write('P', 0, 'ascii');
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

describe('statement profile', () => {
  it('reads the statement text of Parse and simple Query messages, whitespace collapsed', () => {
    const batch = Buffer.concat([parseMessage('SELECT *\n   FROM lines\n WHERE line_id = $1', 's1'), SYNC, queryMessage('COMMIT')]);
    expect(statementTexts(batch)).toEqual(['SELECT * FROM lines WHERE line_id = $1', 'COMMIT']);
  });

  it('charges a call to its first statement and lists the costliest first', () => {
    const profile = new StatementProfile();
    profile.record(Buffer.concat([parseMessage('SELECT 1'), SYNC]), 2);
    profile.record(Buffer.concat([parseMessage('SELECT 1'), SYNC]), 5);
    profile.record(queryMessage('BEGIN'), 1);
    profile.record(SYNC, 9);
    expect(profile.snapshot()).toEqual([
      { sql: '(bind/execute of an earlier statement)', calls: 1, totalMs: 9, maxMs: 9 },
      { sql: 'SELECT 1', calls: 2, totalMs: 7, maxMs: 5 },
      { sql: 'BEGIN', calls: 1, totalMs: 1, maxMs: 1 },
    ]);
  });
});
