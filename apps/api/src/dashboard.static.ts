import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';

/**
 * The web dashboard (apps/api/dashboard, built by Vite into dist/dashboard) served at `/`.
 * The files hold no data, so they are public; every data request the page makes goes to /v1
 * with the user's bearer token, through the guards like any other caller.
 */

/** dist/apps/api/src (this file, compiled) → dist/dashboard. */
export const DASHBOARD_DIR = join(__dirname, '..', '..', '..', 'dashboard');

/** No inline script or style, nothing from elsewhere; data only from this origin. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': DASHBOARD_CSP,
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

const NOT_BUILT = 'The LineWatch dashboard has not been built: run `npm run build` (the API itself is at /v1, OpenAPI at /docs).\n';

export function mountDashboard(app: INestApplication, dir: string = DASHBOARD_DIR): void {
  const index = join(dir, 'index.html');
  // Asset names carry a content hash (Vite), so they never change: cache them for a year.
  const assets = express.static(join(dir, 'assets'), {
    index: false,
    immutable: true,
    maxAge: '365d',
    fallthrough: false,
    setHeaders: (response) => response.setHeader('x-content-type-options', 'nosniff'),
  });
  app.use('/assets', (request: Request, response: Response, next: NextFunction) => {
    if (!existsSync(dir)) return void response.status(503).type('text/plain').send(NOT_BUILT);
    assets(request, response, (error?: unknown) => {
      // A missing asset is a plain 404, not an error page.
      if (error && (error as { status?: number }).status === 404) return void response.status(404).type('text/plain').send('not found\n');
      next(error);
    });
  });
  app.use(async (request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || (request.path !== '/' && request.path !== '/index.html')) return next();
    try {
      const page = await readFile(index);
      response.status(200).set(PAGE_HEADERS).type('html').send(page);
    } catch {
      response.status(503).set({ 'cache-control': 'no-store' }).type('text/plain').send(NOT_BUILT);
    }
  });
}
