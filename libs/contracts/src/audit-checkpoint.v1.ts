/**
 * A checkpoint of the s.62 log's hash chain, kept outside the database (issue 19, part 5): on
 * topic `audit.checkpoints.v1` (retained forever) and as one JSON line in the checkpoint file. It
 * names the chain's head when it was taken — its `chainSeq`, entry and hash, and how many chained
 * entries there were — and is signed with HMAC-SHA256 under a key the database never holds
 * (AUDIT_CHECKPOINT_KEY). A database superuser who rewrites the chain from any point, or removes
 * its tail, cannot make it agree with a checkpoint taken before, nor forge a new one.
 */
import { z } from 'zod';

export const AUDIT_CHECKPOINT_SCHEMA = 'audit.checkpoint.v1';
export const AUDIT_CHECKPOINT_SCHEMA_FILE = `${AUDIT_CHECKPOINT_SCHEMA}.json`;

/** Why a checkpoint was taken. */
export const AUDIT_CHECKPOINT_REASONS = ['scheduled', 'erasure', 'on-demand', 'boot'] as const;
export type AuditCheckpointReason = (typeof AUDIT_CHECKPOINT_REASONS)[number];

const decimal = z.string().regex(/^\d+$/, 'a decimal integer');

export const auditCheckpointV1 = z
  .object({
    schema: z.literal(AUDIT_CHECKPOINT_SCHEMA),
    /** Unique per checkpoint (UUID). */
    checkpointId: z.uuid(),
    /** The head's position in the chain; "0" for an empty chain. */
    chainSeq: decimal,
    /** The head entry's id; null for an empty chain. */
    entryId: decimal.nullable(),
    /** The head entry's hash (sha256, hex); "genesis" for an empty chain. */
    hash: z.string().regex(/^([0-9a-f]{64}|genesis)$/),
    /** Chained entries in the log when it was taken (equals chainSeq while nothing was removed). */
    count: decimal,
    /** When it was taken (ISO 8601, UTC). */
    at: z.iso.datetime({ offset: true }),
    reason: z.enum(AUDIT_CHECKPOINT_REASONS),
    /** Who took it: the service (or `cli:<user>`) and its replica. */
    by: z.string().min(1).max(200),
    /** Names the signing key: the first 16 hex digits of sha256(key). */
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    /** HMAC-SHA256 (hex) of the fields above in their canonical form (docs/events.md). */
    signature: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

export type AuditCheckpointV1 = z.infer<typeof auditCheckpointV1>;

export function auditCheckpointJsonSchemas(baseUri: string): Record<string, object> {
  const { $schema, ...rest } = z.toJSONSchema(auditCheckpointV1, {
    target: 'draft-2020-12',
    io: 'output',
    unrepresentable: 'throw',
  }) as Record<string, unknown>;
  return {
    [AUDIT_CHECKPOINT_SCHEMA_FILE]: {
      $schema,
      $id: `${baseUri}${AUDIT_CHECKPOINT_SCHEMA_FILE}`,
      title: AUDIT_CHECKPOINT_SCHEMA,
      description:
        "A signed checkpoint of the s.62 log's hash chain head, on topic audit.checkpoints.v1 (key: the environment's topic prefix or 'linewatch') and in the checkpoint file (JSON lines).",
      $comment: 'Generated from libs/contracts/src/audit-checkpoint.v1.ts by scripts/generate-schemas.ts (npm run schemas); do not edit.',
      ...rest,
    },
  };
}
