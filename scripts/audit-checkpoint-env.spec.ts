import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAuditCheckpointConfig } from '@linewatch/config';
import { withLocalAuditCheckpoints } from './audit-checkpoint-env';

describe("the local stack's s.62 checkpoint key and file", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'linewatch-checkpoint-env-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('makes the key once under <data>/auth (owner-only), the same for npm start and the CLI, and the file under <data>/audit', () => {
    const first = loadAuditCheckpointConfig(withLocalAuditCheckpoints({}, dataDir));
    const again = loadAuditCheckpointConfig(withLocalAuditCheckpoints({}, dataDir));
    expect(first.key).toHaveLength(64);
    expect(again).toEqual(first);
    expect(first.file).toBe(join(dataDir, 'audit', 'checkpoints.jsonl'));
    const keyFile = join(dataDir, 'auth', 'audit-checkpoint-key');
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(first.key);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  });

  it('leaves a configured key, key file and checkpoint file alone', () => {
    const keyFile = join(dataDir, 'auth', 'audit-checkpoint-key');
    const given = withLocalAuditCheckpoints(
      { AUDIT_CHECKPOINT_KEY_FILE: keyFile, AUDIT_CHECKPOINT_FILE: '/srv/checkpoints.jsonl' },
      dataDir,
    );
    expect(given.AUDIT_CHECKPOINT_KEY).toBeUndefined();
    expect(loadAuditCheckpointConfig(given).file).toBe('/srv/checkpoints.jsonl');
    const key = 'k'.repeat(40);
    expect(loadAuditCheckpointConfig(withLocalAuditCheckpoints({ AUDIT_CHECKPOINT_KEY: key }, dataDir)).key).toBe(key);
  });

  it('refuses a short key, and a key file that cannot be read', () => {
    expect(() => loadAuditCheckpointConfig({ AUDIT_CHECKPOINT_KEY: 'short' })).toThrow(
      /AUDIT_CHECKPOINT_KEY: must be at least 32 characters/,
    );
    expect(() => loadAuditCheckpointConfig({ AUDIT_CHECKPOINT_KEY_FILE: join(dataDir, 'missing') })).toThrow(
      /AUDIT_CHECKPOINT_KEY_FILE: file cannot be read/,
    );
    expect(loadAuditCheckpointConfig({})).toEqual({ key: null, file: 'data/audit/checkpoints.jsonl' });
  });
});
