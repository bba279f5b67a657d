import { join } from 'node:path';
import { developmentSecret } from './development-secret';

/**
 * The local stack's s.62 checkpoint settings (docs/operations.md): when neither
 * AUDIT_CHECKPOINT_KEY nor AUDIT_CHECKPOINT_KEY_FILE is set, the key made once in
 * <data>/auth/audit-checkpoint-key (owner-only, never in the database); the checkpoint file in
 * <data>/audit/checkpoints.jsonl unless AUDIT_CHECKPOINT_FILE says otherwise. Shared by `npm start`
 * and the CLI (on the embedded database only: against a configured database the CLI uses what
 * the environment gives, as the services do).
 */
export function withLocalAuditCheckpoints(env: NodeJS.ProcessEnv, dataDir: string): NodeJS.ProcessEnv {
  const out = { ...env };
  if (!out.AUDIT_CHECKPOINT_KEY && !out.AUDIT_CHECKPOINT_KEY_FILE)
    out.AUDIT_CHECKPOINT_KEY = developmentSecret(dataDir, 'audit-checkpoint-key');
  out.AUDIT_CHECKPOINT_FILE ||= join(dataDir, 'audit', 'checkpoints.jsonl');
  return out;
}
