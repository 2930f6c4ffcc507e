/**
 * A blob written to a file gzip-compressed, whole or not at all: compressed on libuv's threads
 * into a temporary name beside the file, hashed as it is written, then renamed into place (a
 * reader sees the old file or the new one, never half of one). Used for PGlite data-folder
 * dumps: the demo's kept copy (demo-template.ts) and `purl db backup` (backup-service.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/** Writes `blob` gzip-compressed to `file`; returns the file's size and SHA-256. */
export async function writeGzipAtomically(
  blob: Blob,
  file: string,
): Promise<{ bytes: number; sha256: string }> {
  await mkdir(dirname(file), { recursive: true });
  const partial = join(dirname(file), `.${basename(file)}.${randomUUID()}.partial`);
  const hash = createHash('sha256');
  let bytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(blob.stream() as Parameters<typeof Readable.fromWeb>[0]),
      createGzip({ level: 6 }),
      measure,
      createWriteStream(partial),
    );
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { bytes, sha256: hash.digest('hex') };
}
