/**
 * Serves the built web application (`src/web/dist`, built by `npm run web:build` or by
 * `purl serve` at start) from `/`, beside the API.
 *
 * Rules:
 * - Every GET outside `/api` that names a file of the build gets that file; any other path gets
 *   `index.html`, so every URL of the app can be shared and reloaded. A path under `/assets/`
 *   or ending in a file extension that names no file is 404 (never HTML for a missing script).
 * - Hashed assets (`/assets/…`) are cached for a year as `immutable`; `index.html` and the
 *   other files are `no-cache` (revalidated every time), so a new build is picked up at once.
 * - `index.html` carries a fresh nonce per response (the placeholder Vite wrote is replaced)
 *   and its own Content-Security-Policy (`webAppCsp` in `security.ts`).
 * - Pre-compressed `.br` / `.gz` files of the build are sent to clients that accept them.
 * - Only files inside the build folder are served: no `..`, no dot-files, no directory listing.
 * - Not built (no `index.html`): the app's URLs answer 503 with a page saying how to build it;
 *   the API is unaffected.
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CSP_NONCE_PLACEHOLDER, WEB_DIST } from '../web/tools/paths.js';
import { cspHeader, webAppCsp } from './security.js';

export interface WebAppOptions {
  /** The built app (default `src/web/dist`). */
  root?: string;
}

/** One year: hashed file names change with their content. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const ASSETS_PREFIX = '/assets/';

const NOT_BUILT_PAGE =
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>PURL Ledger</title>' +
  '<h1>The web application is not built</h1>' +
  '<p>Run <code>npm run web:build</code> (or restart with <code>npm start</code>, which builds ' +
  'it), then reload. The API is available at <a href="/api/docs">/api/docs</a>.</p></html>';

export async function webApp(app: FastifyInstance, options: WebAppOptions = {}): Promise<void> {
  const root = resolve(options.root ?? WEB_DIST);
  const index = resolve(root, 'index.html');
  await app.register(fastifyStatic, {
    root,
    serve: false,
    preCompressed: true,
    cacheControl: false,
    dotfiles: 'deny',
    suppressWarning: true,
  });
  const readIndex = indexReader(index);

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const pathname = decodedPathname(request.url);
    if (pathname === undefined) return reply.callNotFound();
    if (pathname === '/api' || pathname.startsWith('/api/')) return reply.callNotFound();
    const file = await fileOf(root, pathname);
    if (file === index || (file === undefined && !looksLikeFile(pathname))) {
      const html = await readIndex();
      if (html === undefined) return sendNotBuilt(reply);
      return sendIndex(reply, html);
    }
    if (file === undefined) return reply.callNotFound();
    reply.header('cache-control', pathname.startsWith(ASSETS_PREFIX) ? IMMUTABLE : REVALIDATE);
    return reply.sendFile(file.slice(root.length + 1), root);
  });
}

/** The page with a fresh nonce on every tag Vite wrote, and the policy naming it. */
function sendIndex(reply: FastifyReply, html: string): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', REVALIDATE)
    .header('content-security-policy', cspHeader(webAppCsp(nonce)))
    .send(html.replaceAll(CSP_NONCE_PLACEHOLDER, nonce));
}

function sendNotBuilt(reply: FastifyReply): FastifyReply {
  return reply
    .code(503)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('retry-after', '10')
    .send(NOT_BUILT_PAGE);
}

/** Reads `index.html` once per build (by its modification time); undefined when not built. */
function indexReader(path: string): () => Promise<string | undefined> {
  let cached: { mtimeMs: number; html: string } | undefined;
  return async () => {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    if (cached?.mtimeMs !== info.mtimeMs) {
      cached = { mtimeMs: info.mtimeMs, html: await readFile(path, 'utf8') };
    }
    return cached.html;
  };
}

/** The URL's path, percent-decoded; undefined when malformed or holding a NUL. */
function decodedPathname(url: string): string | undefined {
  const raw = url.split(/[?#]/, 1)[0] ?? '/';
  try {
    const decoded = decodeURIComponent(raw);
    return decoded.includes('\0') ? undefined : decoded;
  } catch {
    return undefined;
  }
}

/** The absolute path of the build's file this URL path names, if it names one. */
async function fileOf(root: string, pathname: string): Promise<string | undefined> {
  const segments = pathname.split('/').filter((segment) => segment !== '');
  // No parent segments, no dot-files (the build stamp), nothing but plain names.
  if (segments.some((segment) => segment.startsWith('.') || segment.includes('\\'))) {
    return undefined;
  }
  const path = resolve(root, ...segments);
  if (path === root || !path.startsWith(root + sep)) {
    return segments.length === 0 ? resolve(root, 'index.html') : undefined;
  }
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? path : undefined;
}

function looksLikeFile(pathname: string): boolean {
  return pathname.startsWith(ASSETS_PREFIX) || extname(pathname) !== '';
}
