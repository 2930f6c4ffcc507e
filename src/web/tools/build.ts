/**
 * Builds the web application with Vite's programmatic `build()`: used by `npm run web:build`,
 * by `purl serve` when the app is not built yet, and by the browser tests' global setup when the
 * sources changed since the last build.
 *
 * Rules:
 * - The build goes to a fresh temporary folder beside `dist`, then replaces `dist` in two
 *   renames, so a server never serves a half-written build.
 * - Text assets (JS, CSS, SVG, JSON) are also written pre-compressed (`.br`, `.gz`): the
 *   server sends those to clients that accept them (`@fastify/static` `preCompressed`).
 * - `dist/.purl-build.json` records the SHA-256 of every source file (`src/web` without
 *   `dist`, plus `package-lock.json`): `isWebBuildCurrent` tells whether a rebuild is needed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { BUILD_STAMP_FILE, VITE_CONFIG, WEB_DIR, WEB_DIST, isWebBuilt } from './paths.js';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Extensions worth compressing (images other than SVG are compressed already). */
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|txt|map)$/;
/** Folders of `src/web` that are not sources. */
const NOT_SOURCES = new Set(['dist', 'node_modules']);
const LOCK_FILE = join(WEB_DIR, '../../package-lock.json');

export interface WebBuildResult {
  /** Where the app now is. */
  outDir: string;
  /** Wall time of the build, seconds. */
  seconds: number;
  /** The sources' hash stamped into the build. */
  sourcesHash: string;
}

/** Builds the app into `outDir` (default `src/web/dist`), replacing what is there. */
export async function buildWeb(options: { outDir?: string } = {}): Promise<WebBuildResult> {
  const started = performance.now();
  const outDir = options.outDir ?? WEB_DIST;
  const sourcesHash = await webSourcesHash();
  const temporary = `${outDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  // Always the production build of React and its JSX, whatever NODE_ENV the caller runs under
  // (vitest sets `test`, which Vite and the React plugin would follow into a development build).
  const callerNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const { build } = await import('vite');
    await build({
      configFile: VITE_CONFIG,
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: temporary, emptyOutDir: true },
    });
    await precompress(temporary);
    await writeFile(
      join(temporary, BUILD_STAMP_FILE),
      `${JSON.stringify({ sourcesHash, builtAt: new Date().toISOString() })}\n`,
    );
    await replaceFolder(temporary, outDir);
  } finally {
    if (callerNodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = callerNodeEnv;
    await rm(temporary, { recursive: true, force: true });
  }
  return { outDir, seconds: Math.round(performance.now() - started) / 1000, sourcesHash };
}

/** True when `dist` was built from the sources as they are now. */
export async function isWebBuildCurrent(outDir: string = WEB_DIST): Promise<boolean> {
  try {
    const stamp = JSON.parse(await readFile(join(outDir, BUILD_STAMP_FILE), 'utf8')) as {
      sourcesHash?: unknown;
    };
    return stamp.sourcesHash === (await webSourcesHash()) && existsSync(join(outDir, 'index.html'));
  } catch {
    return false;
  }
}

/** SHA-256 over the path and content of every source file of the app, in a stable order. */
export async function webSourcesHash(): Promise<string> {
  const files = (
    await listFiles(WEB_DIR, (name) => !NOT_SOURCES.has(name) && !name.includes('.tmp-'))
  )
    .map((file) => relative(WEB_DIR, file))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(await readFile(join(WEB_DIR, file)));
    hash.update('\0');
  }
  if (existsSync(LOCK_FILE)) hash.update(await readFile(LOCK_FILE));
  return hash.digest('hex');
}

async function listFiles(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!keep(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listFiles(path, () => true)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

async function precompress(dir: string): Promise<void> {
  const files = (await listFiles(dir, () => true)).filter((file) => COMPRESSIBLE.test(file));
  await Promise.all(
    files.map(async (file) => {
      const content = await readFile(file);
      const [br, gz] = await Promise.all([
        brotli(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
        gzipAsync(content, { level: 9 }),
      ]);
      await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
    }),
  );
}

/** Moves `from` to `to`: the old `to` is renamed aside first and removed after. */
async function replaceFolder(from: string, to: string): Promise<void> {
  const old = `${to}.tmp-old-${process.pid}-${randomBytes(4).toString('hex')}`;
  if (existsSync(to)) await rename(to, old).catch(ignoreIfGone);
  try {
    await rename(from, to);
  } catch (error) {
    // Another process finished its build in between: keep that one.
    if (!isWebBuilt(to)) throw error;
  } finally {
    await rm(old, { recursive: true, force: true });
  }
}

function ignoreIfGone(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

/** `npm run web:build`. */
async function main(): Promise<void> {
  const result = await buildWeb();
  console.log(
    `web app built in ${result.seconds.toFixed(1)} s: ${relative(process.cwd(), result.outDir)}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
