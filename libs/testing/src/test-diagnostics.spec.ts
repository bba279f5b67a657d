import { DIAGNOSTICS_HEADER, diagnostics, formatDiagnostics, waitFor, type WatchedService } from '@linewatch/testing';

describe('formatDiagnostics', () => {
  it('names each service with its status and last lines, each database session and each consumer group', () => {
    const text = formatDiagnostics({
      services: [{ name: 'tracker', url: 'http://127.0.0.1:1', status: 'running (pid 7)', lines: ['{"msg":"batch tracked"}', 'x'.repeat(500)] }],
      databases: [
        {
          label: 'embedded TimescaleDB (its session report)',
          sessions: [{ who: '127.0.0.1:5001', state: 'holding', forMs: 61_000, detail: 'last input 60000 ms ago' }],
        },
        { label: 'PostgreSQL linewatch_test (pg_stat_activity)', sessions: [], error: 'no answer within 3000 ms' },
      ],
      groups: [{ groupId: 'e2e-tracker', state: 'PreparingRebalance', members: 1, lag: 32, behind: [{ topic: 'intel.events.v1', partition: 3, committed: '10', end: '42' }] }],
    });
    expect(text.split('\n')).toEqual([
      DIAGNOSTICS_HEADER,
      'service tracker at http://127.0.0.1:1: running (pid 7); last 2 log line(s):',
      '  | {"msg":"batch tracked"}',
      `  | ${'x'.repeat(400)}…`,
      'database: embedded TimescaleDB (its session report): 1 session(s)',
      '  127.0.0.1:5001: holding for 61000 ms; last input 60000 ms ago',
      'database: PostgreSQL linewatch_test (pg_stat_activity): unavailable: no answer within 3000 ms',
      'consumer group e2e-tracker: PreparingRebalance, 1 member(s), lag 32',
      '  intel.events.v1[3] committed 10 of 42',
    ]);
  });
});

describe('waitFor', () => {
  const service: WatchedService = {
    name: 'api',
    url: 'http://127.0.0.1:2',
    process: { pid: 9, exitCode: null, signalCode: null },
    output: [...Array.from({ length: 50 }, (_, i) => `line ${i}`), '{"service":"api","context":"RouterExplorer","msg":"Mapped {/v1/lines, GET} route"}'],
  };
  afterEach(() => diagnostics.unwatch(service));

  it('says on a timeout what each watched service logged last', async () => {
    diagnostics.watch(service);
    const failure = await waitFor(() => false, { what: 'never', timeoutMs: 10, intervalMs: 5 }).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    const lines = (failure as Error).message.split('\n');
    expect(lines[0]).toBe('timed out after 10 ms waiting for never');
    expect(lines).toContain('service api at http://127.0.0.1:2: running (pid 9); last 30 log line(s):');
    expect(lines).toContain('  | line 49');
    expect(lines).not.toContain('  | line 19');
    expect(lines.some((line) => line.includes('RouterExplorer'))).toBe(false);
  });

  it('keeps the newest services, dropping exited ones first', async () => {
    const many: WatchedService[] = Array.from({ length: 14 }, (_, i) => ({
      ...service,
      name: `s${i}`,
      process: { pid: i, exitCode: i === 5 || i === 6 ? 137 : null, signalCode: null },
    }));
    many.forEach((s) => diagnostics.watch(s));
    const names = (await diagnostics.collect()).services.map((s) => s.name);
    many.forEach((s) => diagnostics.unwatch(s));
    expect(names).toEqual(['s0', 's1', 's2', 's3', 's4', 's7', 's8', 's9', 's10', 's11', 's12', 's13']);
  });

  it('adds nothing when nothing is watched, or when told not to', async () => {
    const bare = await waitFor(() => false, { what: 'never', timeoutMs: 10, intervalMs: 5 }).catch((error: Error) => error);
    expect((bare as Error).message).toBe('timed out after 10 ms waiting for never');
    diagnostics.watch(service);
    const quiet = await waitFor(() => false, { what: 'never', timeoutMs: 10, intervalMs: 5, diagnose: false }).catch((error: Error) => error);
    expect((quiet as Error).message).toBe('timed out after 10 ms waiting for never');
  });
});
