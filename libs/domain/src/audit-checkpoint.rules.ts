/**
 * Checkpoints of the s.62 log's hash chain (issue 19, part 5; docs/operations.md): how one is
 * signed (HMAC-SHA256 under a key the database never holds), and how the chain in the database is
 * compared with every checkpoint to find the first entry where they disagree. Pure: the head, the
 * chain's entries at the checkpointed positions and the key are handed in.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditCheckpointV1 } from '@linewatch/contracts';

export type UnsignedCheckpoint = Omit<AuditCheckpointV1, 'keyId' | 'signature'>;

/** The first 16 hex digits of sha256(key): names the key in a checkpoint without revealing it. */
export function checkpointKeyId(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 16);
}

/** What is signed: every field but the signature, in a fixed order, joined by `|` (docs/events.md). */
export function canonicalCheckpoint(c: Omit<AuditCheckpointV1, 'signature'>): string {
  return [c.schema, c.checkpointId, c.chainSeq, c.entryId ?? '', c.hash, c.count, c.at, c.reason, c.by, c.keyId].join('|');
}

export function signCheckpoint(unsigned: UnsignedCheckpoint, key: string): AuditCheckpointV1 {
  const withKey = { ...unsigned, keyId: checkpointKeyId(key) };
  return { ...withKey, signature: createHmac('sha256', key).update(canonicalCheckpoint(withKey), 'utf8').digest('hex') };
}

/** Null when the signature holds under `key`; else why not. */
export function checkpointForgery(checkpoint: AuditCheckpointV1, key: string): string | null {
  if (checkpoint.keyId !== checkpointKeyId(key)) return `signed with another key (${checkpoint.keyId}), not the configured one`;
  const expected = Buffer.from(createHmac('sha256', key).update(canonicalCheckpoint(checkpoint), 'utf8').digest('hex'), 'utf8');
  const given = Buffer.from(checkpoint.signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : 'its signature does not match its content';
}

/** An entry of the chain as the database has it now, at a position a checkpoint names. */
export interface ChainPosition {
  readonly entryId: string;
  readonly hash: string;
}

export interface ChainNow {
  /** The highest chain_seq in the database ("0" when empty). */
  readonly tailSeq: string;
  /** The entries at the checkpointed positions (absent: no entry there any more). */
  readonly at: ReadonlyMap<string, ChainPosition>;
}

export interface CheckpointDisagreement {
  readonly kind: 'rewritten' | 'truncated';
  /** The entry named: the checkpointed one whose hash differs, or the first one missing from the tail. */
  readonly chainSeq: string;
  readonly entryId: string | null;
  /** The last checkpointed position that still agrees ("0": none); the change lies after it. */
  readonly agreesUpTo: string;
  readonly checkpointId: string;
  readonly checkpointAt: string;
  readonly reason: string;
}

const bySeqThenTime = (a: AuditCheckpointV1, b: AuditCheckpointV1) => {
  const d = BigInt(a.chainSeq) - BigInt(b.chainSeq);
  return d < 0n ? -1 : d > 0n ? 1 : a.at.localeCompare(b.at);
};

export interface CheckpointComparison {
  /** The first entry, in chain order, where the database and a checkpoint disagree (a rewrite before any truncation). */
  readonly firstDisagreement: CheckpointDisagreement | null;
  /** A truncated tail, reported even when a rewrite comes first: a checkpoint names entries beyond the chain's end. */
  readonly truncation: CheckpointDisagreement | null;
}

/**
 * Walks the (signature-checked) checkpoints in chain order up to the chain's tail and finds the
 * first that the database no longer agrees with: the entry at its position is gone or differs in
 * id or hash (`rewritten`: that entry, or one after the last agreeing checkpoint, was changed and
 * the hashes after it recomputed). A checkpoint beyond the tail is a `truncated` tail.
 */
export function compareWithCheckpoints(checkpoints: readonly AuditCheckpointV1[], chain: ChainNow): CheckpointComparison {
  const tail = BigInt(chain.tailSeq);
  const sorted = [...checkpoints].sort(bySeqThenTime);
  let agreesUpTo = 0n;
  let rewrite: CheckpointDisagreement | null = null;
  for (const c of sorted) {
    const seq = BigInt(c.chainSeq);
    if (seq === 0n || seq > tail) continue;
    const now = chain.at.get(c.chainSeq);
    if (!now || now.entryId !== c.entryId || now.hash !== c.hash) {
      const what = !now
        ? 'there is no entry there now'
        : now.entryId !== c.entryId
          ? `entry ${now.entryId} stands there now`
          : 'its hash differs now';
      const range = agreesUpTo + 1n === seq ? `entry #${c.chainSeq}` : `an entry in #${agreesUpTo + 1n} to #${c.chainSeq}`;
      rewrite = {
        kind: 'rewritten',
        chainSeq: c.chainSeq,
        entryId: c.entryId,
        agreesUpTo: String(agreesUpTo),
        checkpointId: c.checkpointId,
        checkpointAt: c.at,
        reason: `the checkpoint of ${c.at} names entry ${c.entryId} at #${c.chainSeq} with hash ${c.hash.slice(0, 12)}…, but ${what}: ${range} was rewritten (or removed) and the chain recomputed after it`,
      };
      break;
    }
    agreesUpTo = seq;
  }
  const furthest = sorted.at(-1);
  let truncation: CheckpointDisagreement | null = null;
  if (furthest && BigInt(furthest.chainSeq) > tail) {
    const first = tail + 1n;
    truncation = {
      kind: 'truncated',
      chainSeq: String(first),
      // Known when a checkpoint was taken with the first missing entry as its head.
      entryId: sorted.find((c) => BigInt(c.chainSeq) === first)?.entryId ?? null,
      agreesUpTo: rewrite ? rewrite.agreesUpTo : String(agreesUpTo),
      checkpointId: furthest.checkpointId,
      checkpointAt: furthest.at,
      reason: `the checkpoint of ${furthest.at} names entry ${furthest.entryId} at #${furthest.chainSeq}, but the chain now ends at #${tail}: entries #${first} to #${furthest.chainSeq} were removed`,
    };
  }
  return { firstDisagreement: rewrite ?? truncation, truncation };
}

/** The first disagreement alone (see compareWithCheckpoints). */
export function firstDisagreement(checkpoints: readonly AuditCheckpointV1[], chain: ChainNow): CheckpointDisagreement | null {
  return compareWithCheckpoints(checkpoints, chain).firstDisagreement;
}
