import { consoleMode, routeLine } from './log-console.formatter';

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ level: 'info', time: '2026-12-06T12:41:07.123Z', pid: 4242, hostname: 'box', service: 'tracker', ...fields });
const plain = { color: false };

describe('consoleMode', () => {
  it.each([
    [{}, true, 'pretty'],
    [{}, false, 'json'],
    [{ NODE_ENV: 'production' }, true, 'json'],
    [{ LINEWATCH_CONSOLE: 'auto' }, true, 'pretty'],
    [{ LINEWATCH_CONSOLE: 'json' }, true, 'json'],
    [{ LINEWATCH_CONSOLE: 'pretty' }, false, 'pretty'],
    [{ LINEWATCH_CONSOLE: 'pretty', NODE_ENV: 'production' }, false, 'pretty'],
  ] as const)('env %j, stdout a terminal: %s → %s', (env, terminal, mode) => {
    expect(consoleMode(env, terminal)).toBe(mode);
  });

  it('refuses a value it does not know', () => {
    expect(() => consoleMode({ LINEWATCH_CONSOLE: 'fancy' }, true)).toThrow(/LINEWATCH_CONSOLE/);
  });
});

describe('routeLine', () => {
  it('sends an ordinary info line to its service file only', () => {
    expect(routeLine(line({ context: 'RoutesResolver', msg: 'Mapped {/v1/lines, GET} route' }), plain)).toEqual({ service: 'tracker' });
  });

  it('shows a warning on one line, with the error and a few fields, and files it', () => {
    const routed = routeLine(
      line({
        level: 'warn',
        msg: 'kafka: Connection error',
        err: { type: 'Error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED', stack: 'Error…' },
        broker: '127.0.0.1:9092',
        retryCount: 3,
      }),
      plain,
    );
    expect(routed).toEqual({
      service: 'tracker',
      show: '12:41:07  tracker   WARN   kafka: Connection error  connect ECONNREFUSED (ECONNREFUSED)  broker=127.0.0.1:9092  retryCount=3',
    });
  });

  it('highlights errors in red and warnings in yellow when colour is on', () => {
    expect(routeLine(line({ level: 'error', msg: 'relay failed' }), { color: true }).show).toContain('\u001b[31m');
    expect(routeLine(line({ level: 'warn', msg: 'slow' }), { color: true }).show).toContain('\u001b[33m');
    expect(routeLine(line({ level: 'warn', msg: 'slow' }), plain).show).not.toContain('\u001b[');
  });

  it('reads pino level numbers too', () => {
    expect(routeLine(line({ level: 50, msg: 'boom' }), plain).show).toContain('ERROR  boom');
    expect(routeLine(line({ level: 30, msg: 'fine' }), plain).show).toBeUndefined();
  });

  it('shows the info events worth reading, such as Redis coming back', () => {
    expect(routeLine(line({ service: 'api', msg: 'redis reachable again', attempts: 3 }), plain)).toEqual({
      service: 'api',
      show: '12:41:07  api       Redis reachable again  attempts=3',
    });
    // start.ts says when a service has stopped; its own "shutdown complete" goes to the file only.
    expect(routeLine(line({ msg: 'shutdown complete', signal: 'SIGTERM' }), plain)).toEqual({ service: 'tracker' });
  });

  it('shows kafkajs-style errors given as a string', () => {
    expect(
      routeLine(line({ level: 'error', msg: 'kafka: Response GroupCoordinator', error: 'The coordinator is loading' }), plain).show,
    ).toContain('kafka: Response GroupCoordinator  The coordinator is loading');
  });

  it('files a line without a plain service name under other', () => {
    expect(routeLine(line({ service: '../../etc/passwd', level: 'info', msg: 'x' }), plain)).toEqual({ service: 'other' });
    expect(routeLine(JSON.stringify({ level: 'info', msg: 'x' }), plain)).toEqual({ service: 'other' });
  });

  it('shows text lines as they are, the orchestrator’s warnings and errors highlighted', () => {
    expect(routeLine('LineWatch is running:', plain)).toEqual({ show: 'LineWatch is running:' });
    expect(routeLine('    at Object.<anonymous> (/x.js:1:1)', plain)).toEqual({ show: '    at Object.<anonymous> (/x.js:1:1)' });
    expect(routeLine('{not json', plain)).toEqual({ show: '{not json' });
    expect(routeLine('linewatch: error: tracker exited unexpectedly', { color: true }).show).toContain('\u001b[31m');
    expect(routeLine('linewatch: warning: api is not ready', { color: true }).show).toContain('\u001b[33m');
  });
});
