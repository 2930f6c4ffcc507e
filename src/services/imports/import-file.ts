/**
 * What every import shares: where the file comes from (a path for the CLI, or bytes and a file
 * name for an upload), its size limit, its SHA-256, its text, and the progress it reports.
 *
 * Rules: a file over `LIMITS.importBytesMax` is `LIMIT_EXCEEDED` naming the limit; a path that
 * is not a readable regular file (a directory, a device, a link loop) is `VALIDATION_FAILED`
 * naming `file`; text must be UTF-8 (a leading BOM is
 * dropped) or the import is `IMPORT_MALFORMED` at line 0.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DomainError } from '../../core/errors.js';
import { LIMITS } from '../../core/limits.js';

/**
 * A file on disk (the CLI; never a path taken from a request), or its bytes with the name it
 * was uploaded under (the web app; only the name's last segment is kept).
 */
export type ImportSource = { file: string } | { bytes: Uint8Array; fileName: string };

export interface ImportFile {
  /** The file's name without its folder, as recorded in sources and audit events. */
  fileName: string;
  bytes: Uint8Array;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
}

export interface ImportProgress {
  /** `parse`: reading rows; `check`: looking up what the rows name; `write`: writing them. */
  phase: 'parse' | 'check' | 'write';
  done: number;
  total: number;
}

export type ImportProgressListener = (progress: ImportProgress) => void;

/** Reads the source within `LIMITS.importBytesMax` and hashes it. */
export async function loadImportFile(source: ImportSource): Promise<ImportFile> {
  if ('bytes' in source) {
    checkSize(source.bytes.length, source.fileName);
    const fileName = basename(source.fileName.trim());
    if (fileName.length === 0 || fileName.length > 200) {
      throw new DomainError('VALIDATION_FAILED', 'fileName must be 1 to 200 characters.', {
        field: 'fileName',
      });
    }
    return { fileName, bytes: source.bytes, sha256: sha256Hex(source.bytes) };
  }
  const size = await checkImportPath(source.file);
  checkSize(size, source.file);
  const bytes = new Uint8Array(await readFile(source.file));
  checkSize(bytes.length, source.file); // the file may have grown since stat
  return { fileName: basename(source.file), bytes, sha256: sha256Hex(bytes) };
}

/**
 * Checks that `file` names a regular file, following symbolic links, and returns its size: a
 * directory, a device (/dev/zero would never end), a FIFO, a socket, a missing file or a loop of
 * symbolic links is `VALIDATION_FAILED` naming `file`. The CLI calls it before it opens the
 * database, so a mistyped name fails at once.
 */
export async function checkImportPath(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (!info.isFile()) {
      throw new Error(info.isDirectory() ? 'a directory' : 'not a regular file');
    }
    return info.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'ELOOP'
          ? 'a loop of symbolic links'
          : code === 'EACCES'
            ? 'permission denied'
            : error instanceof Error
              ? error.message
              : String(error);
    throw new DomainError('VALIDATION_FAILED', `file: cannot read ${file} (${why}).`, {
      field: 'file',
      file,
    });
  }
}

function checkSize(size: number, name: string): void {
  if (size > LIMITS.importBytesMax) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `file: ${name} has ${size} bytes; an import file has at most ${LIMITS.importBytesMax} (importBytesMax). Split it.`,
      { field: 'file', limit: 'importBytesMax', max: LIMITS.importBytesMax, actual: size },
    );
  }
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The file as UTF-8 text, without a byte-order mark. */
export function importText(file: ImportFile): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file.bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new DomainError(
      'IMPORT_MALFORMED',
      `${file.fileName}: the file is not UTF-8 text; save it as CSV UTF-8.`,
      { field: 'file', line: 0 },
    );
  }
}

/** Refuses more data rows than `LIMITS.importRowsMax`. */
export function checkRowCount(rows: number, fileName: string): void {
  if (rows > LIMITS.importRowsMax) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `${fileName} has ${rows} rows; an import has at most ${LIMITS.importRowsMax} (importRowsMax). Split the file.`,
      { field: 'file', limit: 'importRowsMax', max: LIMITS.importRowsMax, actual: rows },
    );
  }
}

/** A cell as quoted in an error message: at most 40 characters of it. */
export function clip(cell: string): string {
  return cell.length > 40 ? `${cell.slice(0, 40)}…` : cell;
}
