import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, parseEnv, type Env } from './load-config';

/**
 * Where the s.62 log's chain is checkpointed outside the database, and the key that signs the
 * checkpoints (docs/operations.md, "s.62 log checkpoints"). The key never goes to the database:
 * give it as AUDIT_CHECKPOINT_KEY, or as a file (AUDIT_CHECKPOINT_KEY_FILE, e.g. a mounted secret).
 * `npm start` makes one under <data>/auth when neither is set.
 */
export const auditCheckpointEnvShape = {
  /** HMAC-SHA256 key, at least 32 characters. */
  AUDIT_CHECKPOINT_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** A file holding the key (first line, at least 32 characters); used when AUDIT_CHECKPOINT_KEY is unset. */
  AUDIT_CHECKPOINT_KEY_FILE: z.string().min(1).optional(),
  /** The checkpoint file (JSON lines, appended to). */
  AUDIT_CHECKPOINT_FILE: z.string().min(1).default('data/audit/checkpoints.jsonl'),
};

export interface AuditCheckpointConfig {
  /** Null: no key configured, no checkpoint is written and verification checks the database alone. */
  readonly key: string | null;
  readonly file: string;
}

type AuditCheckpointEnv = z.infer<z.ZodObject<typeof auditCheckpointEnvShape>>;

/** Reads the key file when one is named; refines `ctx` (or throws) when it is unreadable or short. */
export function auditCheckpointConfigFrom(env: AuditCheckpointEnv, ctx?: z.RefinementCtx): AuditCheckpointConfig {
  let key = env.AUDIT_CHECKPOINT_KEY ?? null;
  if (key === null && env.AUDIT_CHECKPOINT_KEY_FILE) {
    const problem = (message: string) => {
      if (ctx) ctx.addIssue({ code: 'custom', path: ['AUDIT_CHECKPOINT_KEY_FILE'], message });
      else throw new ConfigError([`AUDIT_CHECKPOINT_KEY_FILE: ${message}`]);
    };
    try {
      key = readFileSync(env.AUDIT_CHECKPOINT_KEY_FILE, 'utf8').split('\n')[0]?.trim() ?? '';
      if (key.length < 32) {
        problem('the key in the file must be at least 32 characters');
        key = null;
      }
    } catch {
      problem('file cannot be read');
      key = null;
    }
  }
  return { key, file: env.AUDIT_CHECKPOINT_FILE };
}

/** The checkpoint settings alone (the CLI). */
export function loadAuditCheckpointConfig(env: Env): AuditCheckpointConfig {
  let config: AuditCheckpointConfig | null = null;
  parseEnv(
    z.object(auditCheckpointEnvShape).superRefine((value, ctx) => {
      config = auditCheckpointConfigFrom(value, ctx);
    }),
    env,
  );
  return Object.freeze(config as unknown as AuditCheckpointConfig);
}
