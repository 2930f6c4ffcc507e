/**
 * Vite's configuration of the web application (src/web): React, built to `src/web/dist` with
 * hashed file names under `assets/` (served as immutable by `src/http/web.ts`).
 *
 * `html.cspNonce` puts a placeholder nonce on every tag Vite writes and a
 * `<meta property="csp-nonce">`; the server replaces the placeholder with a fresh nonce per
 * request (`CSP_NONCE_PLACEHOLDER` in `tools/paths.ts`, kept equal by a test) so Mantine's
 * `<style>` elements pass the Content-Security-Policy without `'unsafe-inline'`.
 * `npm run web:dev` serves the app with hot reload and proxies `/api` to `purl serve` on 8080.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  publicDir: 'public',
  html: { cspNonce: '__PURL_CSP_NONCE__' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // ECharts and Mantine make a large vendor chunk; it is cached as immutable.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
