import { AUDIT_CHECKPOINT_SCHEMA, auditCheckpointV1, type AuditCheckpointV1 } from '@linewatch/contracts';
import {
  checkpointForgery,
  checkpointKeyId,
  compareWithCheckpoints,
  firstDisagreement,
  signCheckpoint,
  type ChainPosition,
} from './audit-checkpoint.rules';

const KEY = 'a-checkpoint-key-for-the-unit-tests-0123456789';
const hashOf = (n: number) => n.toString(16).padStart(64, '0');

function checkpointAt(seq: number, at: string, hash = hashOf(seq)): AuditCheckpointV1 {
  return signCheckpoint(
    {
      schema: AUDIT_CHECKPOINT_SCHEMA,
      checkpointId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      chainSeq: String(seq),
      entryId: String(100 + seq),
      hash,
      count: String(seq),
      at,
      reason: 'scheduled',
      by: 'api:test',
    },
    KEY,
  );
}

/** The chain as it is now: entries 1..tail, entry id 100 + seq, hash of seq unless overridden. */
function chainOf(tail: number, overrides: Record<number, Partial<ChainPosition>> = {}) {
  const at = new Map<string, ChainPosition>();
  for (let s = 1; s <= tail; s += 1) at.set(String(s), { entryId: String(100 + s), hash: hashOf(s), ...overrides[s] });
  return { tailSeq: String(tail), at };
}

describe('audit checkpoints: signature', () => {
  it('signs a checkpoint that the contract accepts and that verifies under the same key only', () => {
    const c = checkpointAt(3, '2026-12-06T10:00:00.000Z');
    expect(auditCheckpointV1.parse(c)).toEqual(c);
    expect(c.keyId).toBe(checkpointKeyId(KEY));
    expect(checkpointForgery(c, KEY)).toBeNull();
    expect(checkpointForgery(c, `${KEY}-other`)).toContain('another key');
  });

  it('finds a checkpoint whose content was changed after signing (a forged head)', () => {
    const c = checkpointAt(3, '2026-12-06T10:00:00.000Z');
    for (const forged of [
      { ...c, hash: hashOf(99) },
      { ...c, chainSeq: '2' },
      { ...c, entryId: null },
      { ...c, at: '2026-12-06T11:00:00.000Z' },
    ]) {
      expect(checkpointForgery(forged, KEY)).toBe('its signature does not match its content');
    }
  });
});

describe('audit checkpoints: the chain against them', () => {
  const cps = [
    checkpointAt(2, '2026-12-06T09:00:00.000Z'),
    checkpointAt(5, '2026-12-06T10:00:00.000Z'),
    checkpointAt(6, '2026-12-06T11:00:00.000Z'),
  ];

  it('agrees when the chain still holds every checkpointed entry, and beyond', () => {
    expect(firstDisagreement(cps, chainOf(9))).toBeNull();
    expect(firstDisagreement([], chainOf(0))).toBeNull();
  });

  it('names the rewritten entry when checkpoints sit either side of it, and the range when they do not', () => {
    // Entry 6 rewritten and every hash after it recomputed: 6.. differ, 5 still agrees.
    const six = firstDisagreement(cps, chainOf(9, { 6: { hash: hashOf(600) }, 7: { hash: hashOf(700) } }));
    expect(six).toMatchObject({ kind: 'rewritten', chainSeq: '6', entryId: '106', agreesUpTo: '5', checkpointId: cps[2]!.checkpointId });
    expect(six?.reason).toContain('entry #6 was rewritten');
    // Entry 4 rewritten: the first checkpoint after it (5) disagrees; the change lies in 3..5.
    const four = firstDisagreement(cps, chainOf(9, { 4: { hash: hashOf(400) }, 5: { hash: hashOf(500) }, 6: { hash: hashOf(600) } }));
    expect(four).toMatchObject({ kind: 'rewritten', chainSeq: '5', agreesUpTo: '2' });
    expect(four?.reason).toContain('an entry in #3 to #5');
  });

  it('finds a renumbered chain (another entry at a checkpointed position)', () => {
    expect(firstDisagreement(cps, chainOf(9, { 5: { entryId: '999' } }))).toMatchObject({ kind: 'rewritten', chainSeq: '5' });
  });

  it('finds a truncated tail: a checkpoint beyond the chain names the first missing entry', () => {
    expect(firstDisagreement(cps, chainOf(4))).toMatchObject({ kind: 'truncated', chainSeq: '5', entryId: '105', agreesUpTo: '2' });
    const three = firstDisagreement(cps, chainOf(3));
    expect(three).toMatchObject({ kind: 'truncated', chainSeq: '4', entryId: null, agreesUpTo: '2' });
    expect(three?.reason).toContain('entries #4 to #6 were removed');
  });

  it('reports the first disagreement in chain order (a rewrite before a truncation), and the truncation beside it', () => {
    const both = compareWithCheckpoints(cps, chainOf(4, { 2: { hash: hashOf(200) } }));
    expect(both.firstDisagreement).toMatchObject({ kind: 'rewritten', chainSeq: '2', agreesUpTo: '0' });
    expect(both.truncation).toMatchObject({ kind: 'truncated', chainSeq: '5', checkpointId: cps[2]!.checkpointId });
    const tailOnly = compareWithCheckpoints(cps, chainOf(5));
    expect(tailOnly.firstDisagreement).toBe(tailOnly.truncation);
    expect(tailOnly.truncation).toMatchObject({ kind: 'truncated', chainSeq: '6', entryId: '106', agreesUpTo: '5' });
  });
});
