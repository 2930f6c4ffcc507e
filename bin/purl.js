#!/usr/bin/env node
// Entry point of the `purl` command, so `npx purl …` and `npm start` work straight after
// `npm ci` with no build step done by hand.
//
// It runs the CLI (src/cli/main.ts) from a bundle: the TypeScript sources compiled by esbuild
// into plain JavaScript on the first run, kept in node_modules/.cache/purl-cli/, and reused
// while every source file it was built from is unchanged (size and modification time, checked
// at each start: a few milliseconds). Running the sources through tsx instead costs every start
// a module loader that resolves (and, without its cache, transforms) ~200 files through hooks on
// a helper thread: measured, `purl serve` on a loaded data folder took 5.6 s of CPU to its first
// 200 through tsx and 3.5 s from the bundle. The build takes 0.5–0.8 s, paid by the first start
// after a change (so by a fresh clone's first `npm start`). When the bundle cannot be built
// (esbuild missing, a build error) or PURL_NO_BUNDLE=1, the sources run through tsx as before,
// and tsx reports any error in them. From the bundle, stack traces name the bundle's files, not
// the sources: PURL_NO_BUNDLE=1 to debug.
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'src/cli/main.ts');
/**
 * Where bundles are kept; PURL_BUNDLE_CACHE names another folder (the start-up benchmark's
 * "fresh machine"), which must be inside the project: the bundle imports packages from there.
 */
const CACHE = process.env.PURL_BUNDLE_CACHE
  ? resolve(process.env.PURL_BUNDLE_CACHE)
  : join(ROOT, 'node_modules/.cache/purl-cli');
/** Bumped when the build options below change, so an older bundle is not reused. */
const BUNDLE_FORMAT = 1;
/** Builds kept besides the current one (a server started from an older build may still run). */
const BUILDS_KEPT = 4;
/** …and none younger than this. */
const BUILD_KEPT_MS = 10 * 60_000;

async function runFromSources() {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(ENTRY).href);
}

/** The bundle's inputs are all unchanged: it may be reused. */
async function isCurrent(manifest) {
  if (manifest?.format !== BUNDLE_FORMAT || manifest.node !== process.versions.node) return false;
  const checks = await Promise.all(
    manifest.inputs.map(async ({ path, size, mtimeMs }) => {
      const info = await stat(join(ROOT, path)).catch(() => undefined);
      return info !== undefined && info.size === size && info.mtimeMs === mtimeMs;
    }),
  );
  return checks.every(Boolean);
}

/**
 * Builds the bundle into a folder of its own and points `current.json` at it (written whole,
 * then renamed: a start reads the old manifest or the new one, never half of one). ESM with code
 * splitting, so what the sources import lazily (`await import(…)`: the web build, report
 * printing) stays lazy; packages stay external (loaded from node_modules as before). Each
 * `import.meta.url` is replaced by its source file's URL, so paths resolved against it
 * (migrations, package.json) are the same as when the sources run. Older builds are removed,
 * but the last few are kept: a server still running from one loads its lazy chunks from there.
 */
async function build() {
  const { build: esbuild } = await import('esbuild');
  const started = performance.now();
  const dir = `build-${Date.now()}-${process.pid}`;
  const seen = new Map();
  const result = await esbuild({
    entryPoints: { main: ENTRY },
    outdir: join(CACHE, dir),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'source-import-meta',
        setup(builder) {
          builder.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
            // Stated before it is read: a file edited during the build makes the bundle stale.
            seen.set(args.path, await stat(args.path));
            let contents = await readFile(args.path, 'utf8');
            if (contents.includes('import.meta.')) {
              contents = contents
                .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
                .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
                .replaceAll('import.meta.filename', JSON.stringify(args.path));
            }
            return { contents, loader: 'ts' };
          });
        },
      },
    ],
  });
  const inputs = await Promise.all(
    Object.keys(result.metafile.inputs).map(async (input) => {
      const file = resolve(process.cwd(), input);
      const info = seen.get(file) ?? (await stat(file));
      return { path: relative(ROOT, file), size: info.size, mtimeMs: info.mtimeMs };
    }),
  );
  const manifest = {
    format: BUNDLE_FORMAT,
    node: process.versions.node,
    dir,
    builtMs: Math.round(performance.now() - started),
    inputs,
  };
  const pointer = join(CACHE, `current.json.${process.pid}`);
  await writeFile(pointer, JSON.stringify(manifest));
  await rename(pointer, join(CACHE, 'current.json'));
  // Older builds go, but never the last few nor a recent one (a start racing this one may be
  // about to load it).
  const builds = (await readdir(CACHE)).filter((name) => name.startsWith('build-')).sort();
  const stale = builds
    .slice(0, -BUILDS_KEPT)
    .filter((name) => Date.now() - Number(name.split('-')[1]) > BUILD_KEPT_MS);
  await Promise.all(stale.map((name) => rm(join(CACHE, name), { recursive: true, force: true })));
  return manifest;
}

/** The bundle's entry (built first when missing or stale), or undefined to run the sources. */
async function bundleEntry() {
  if (process.env.PURL_NO_BUNDLE === '1') return undefined;
  try {
    let manifest = JSON.parse(
      await readFile(join(CACHE, 'current.json'), 'utf8').catch(() => 'null'),
    );
    if (!(await isCurrent(manifest))) {
      await mkdir(CACHE, { recursive: true });
      manifest = await build();
    }
    return pathToFileURL(join(CACHE, manifest.dir, 'main.js')).href;
  } catch {
    return undefined; // no esbuild, or the build failed: tsx then reports any error in the sources
  }
}

const entry = await bundleEntry();
if (entry) await import(entry);
else await runFromSources();
