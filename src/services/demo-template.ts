/**
 * The demo as a ready data folder (PGlite). Loading the demo through the services takes initdb,
 * the migrations, the ECB and World Bank imports and ≈ 360 audited transactions — about 10 s of
 * one thread. The first `purl serve` on a machine that loads it keeps a copy of the freshly
 * loaded folder (`Database.dumpDataDir`, gzip) in a cache folder; a later start on a fresh
 * folder restores that copy (about 1 s) instead. Nothing else differs: the copy is the demo
 * exactly as the services wrote it, migrated to the same version, with its audit chain intact
 * (its events keep the time the demo was first loaded on this machine).
 *
 * The copy is named by a SHA-256 of everything the loaded demo depends on — every source file
 * under `src/` (the services, rules and migrations the demo passes through), the shared data
 * files it imports (path, size and modification time), PGlite's version and the demo users'
 * password — so any change to one of them builds a new copy on the next start. Copies are
 * written to a temporary name and renamed (a start reads a whole copy or none); the newest
 * `TEMPLATES_KEPT` are kept. `PURL_DEMO_TEMPLATE=off` turns the copy off; `PURL_DEMO_CACHE`
 * names another cache folder.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ECB_FILE_NAME,
  WORLD_BANK_FILES,
  defaultSharedDataDir,
  demoPassword,
} from './demo-service.js';
import { writeGzipAtomically } from './gzip-file.js';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCES = join(PROJECT_ROOT, 'src');
const TEMPLATE_SUFFIX = '.tar.gz';
/** Copies kept in the cache folder (each ≈ 16 MB): the current one and the one before. */
const TEMPLATES_KEPT = 2;

export function demoTemplateEnabled(): boolean {
  return process.env.PURL_DEMO_TEMPLATE !== 'off';
}

function cacheDir(): string {
  const fromEnv = process.env.PURL_DEMO_CACHE;
  return fromEnv ? resolve(fromEnv) : join(PROJECT_ROOT, 'node_modules', '.cache', 'purl-demo');
}

/** The SHA-256 naming the demo these sources, data files, PGlite version and password load. */
export async function demoTemplateKey(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(SOURCES, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && /\.(ts|sql|json)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !relative(SOURCES, file).startsWith('web'))
    .sort();
  for (const file of files) {
    hash.update(`${relative(SOURCES, file)}\0`);
    hash.update(await readFile(file));
  }
  const shared = defaultSharedDataDir();
  for (const name of [ECB_FILE_NAME, ...WORLD_BANK_FILES.map((f) => f.fileName)]) {
    const info = await stat(join(shared, name)).catch(() => undefined);
    hash.update(`${name}\0${info ? `${info.size}:${info.mtimeMs}` : 'absent'}\0`);
  }
  const pglite = JSON.parse(
    await readFile(join(PROJECT_ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  ) as { version: string };
  hash.update(`pglite ${pglite.version}\0password ${demoPassword()}`);
  return hash.digest('hex');
}

/** The kept copy of this demo, if there is one. */
export async function findDemoTemplate(key: string): Promise<Blob | undefined> {
  const file = join(cacheDir(), `${key}${TEMPLATE_SUFFIX}`);
  const bytes = await readFile(file).catch(() => undefined);
  return bytes && new Blob([bytes]);
}

/**
 * Keeps `dump` (a freshly loaded demo's data folder) as the copy named `key`: gzip on libuv's
 * threads, a temporary name, then renamed; older copies beyond `TEMPLATES_KEPT` removed.
 */
export async function saveDemoTemplate(key: string, dump: Blob): Promise<string> {
  const dir = cacheDir();
  const file = join(dir, `${key}${TEMPLATE_SUFFIX}`);
  await writeGzipAtomically(dump, file);
  const kept = await Promise.all(
    (await readdir(dir))
      .filter((name) => name.endsWith(TEMPLATE_SUFFIX))
      .map(async (name) => ({ name, mtimeMs: (await stat(join(dir, name))).mtimeMs })),
  );
  kept.sort((a, b) => b.mtimeMs - a.mtimeMs);
  await Promise.all(
    kept.slice(TEMPLATES_KEPT).map(({ name }) => rm(join(dir, name), { force: true })),
  );
  return file;
}
