// The dashboard's bundle: `npm run build` writes it to dist/dashboard, which the api serves at /
// (apps/api/src/dashboard.static.ts). Paths are relative to `root` so the config needs no Node
// APIs. `npm run dashboard:dev` serves it with hot reload and passes /v1 to an api on :3000.
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'apps/api/dashboard',
  base: '/',
  plugins: [preact({ prerender: { enabled: false } })],
  build: {
    outDir: '../../../dist/dashboard',
    emptyOutDir: true,
    // No inline polyfill script: the page's Content-Security-Policy allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: {
    port: 5173,
    proxy: { '/v1': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
