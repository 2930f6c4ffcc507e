/**
 * Where the web application lives and is built, for the server side (no Vite import here, so
 * `src/http/web.ts` can read it at every start cheaply): the sources in `src/web`, the build in
 * `src/web/dist` (git-ignored; `PURL_WEB_DIST` names another folder), and the placeholder nonce Vite writes into the built
 * `index.html` (`vite.config.ts` → `html.cspNonce`), which the server replaces per request.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `src/web`: index.html, vite.config.ts, src/, public/. */
export const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * The built application (`npm run web:build`; `purl serve` builds it when it is missing):
 * `src/web/dist`, or the folder named by `PURL_WEB_DIST` (a read-only install may build the app
 * elsewhere).
 */
export const WEB_DIST = process.env.PURL_WEB_DIST
  ? resolve(process.env.PURL_WEB_DIST)
  : join(WEB_DIR, 'dist');

/** Vite's configuration file of the app. */
export const VITE_CONFIG = join(WEB_DIR, 'vite.config.ts');

/** Must equal `html.cspNonce` in `vite.config.ts` (a test reads both). */
export const CSP_NONCE_PLACEHOLDER = '__PURL_CSP_NONCE__';

/** What `buildWeb` writes beside the app: the hash of the sources it was built from. */
export const BUILD_STAMP_FILE = '.purl-build.json';

/** True when `dist` holds a built app (its `index.html`). */
export function isWebBuilt(dist: string = WEB_DIST): boolean {
  return existsSync(join(dist, 'index.html'));
}
