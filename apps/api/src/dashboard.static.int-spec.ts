/**
 * Serving the built dashboard: the page with its Content-Security-Policy and no caching, hashed
 * assets cached for a year, other paths left to the API, and a 503 saying what to do when the
 * bundle is missing. On an express app of its own (mountDashboard only adds middleware).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express from 'express';
import { DASHBOARD_CSP, mountDashboard } from './dashboard.static';

async function serve(dir: string): Promise<{ url: string; server: Server }> {
  const app = express();
  mountDashboard(app as unknown as INestApplication, dir);
  app.get('/v1/ping', (_request, response) => void response.json({ ok: true }));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('mountDashboard', () => {
  const root = mkdtempSync(join(tmpdir(), 'linewatch-dashboard-static-'));
  const built = join(root, 'built');
  let servers: Server[] = [];

  beforeAll(() => {
    mkdirSync(join(built, 'assets'), { recursive: true });
    writeFileSync(join(built, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>');
    writeFileSync(join(built, 'assets', 'index-abc123.js'), 'console.log("dashboard")');
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    servers = [];
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / with the CSP and no-store, assets for a year, and leaves other paths alone', async () => {
    const { url, server } = await serve(built);
    servers.push(server);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('/assets/index-abc123.js');

    const asset = await fetch(`${url}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${url}/assets/nothing-here.js`)).status).toBe(404);
    expect(await (await fetch(`${url}/v1/ping`)).json()).toEqual({ ok: true });
    expect((await fetch(`${url}/`, { method: 'POST' })).status).toBe(404);
  });

  it('answers 503 with what to do when the dashboard has not been built', async () => {
    const { url, server } = await serve(join(root, 'never-built'));
    servers.push(server);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('npm run build');
    expect((await fetch(`${url}/assets/index-abc123.js`)).status).toBe(503);
  });

  it('allows no inline script and connects only to its own origin', () => {
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).toContain("connect-src 'self'");
    expect(DASHBOARD_CSP).toContain("default-src 'none'");
    expect(DASHBOARD_CSP).not.toContain('unsafe');
  });
});
