/**
 * The analyses' result cache: what `runAnalysis` (figures.ts) computed, kept in this process's
 * memory and answered again while the database has not changed.
 *
 * Why it is correct:
 * - An entry is valid for ONE data version of ONE database: the key starts with the database
 *   (an id per `Database` object of this process) and its data version — `audit_head.last_id`,
 *   read in the same snapshot the result was computed from. Every write the analyses read from
 *   (every command, the FX, indicator, Kiel and contribution imports, the demo and scale loads)
 *   appends an audit event in its own transaction, so any committed write moves the version and
 *   no later reader can find an entry made before it. Several server processes stay correct:
 *   each keeps its own entries, and the version is the database's.
 * - The key names the analysis, its checked options (with `asOf` resolved, so "today" changes
 *   at midnight UTC) and whatever else the analysis takes, and the reader's scope — role and
 *   party — because redaction in drill-downs depends on them (`core/redaction.ts` decides by
 *   role and party only). Two readers of different parties never share an entry.
 * - Values are deep-frozen when stored: a caller that tried to change a shared result would
 *   fail loudly instead of changing another reader's answer. Per-response fields
 *   (`basis.generatedAt`) are stamped again for each reader by `runAnalysis`.
 *
 * Bounded: at most `LIMITS.analyticsCacheEntriesMax` entries and about
 * `LIMITS.analyticsCacheBytesMax` bytes (estimated), least recently used out first; entries of
 * an older version of a database are dropped as soon as a newer version is seen.
 */
import { LIMITS } from '../../core/limits.js';

interface Entry {
  database: number | string;
  version: bigint;
  value: unknown;
  bytes: number;
}

export interface ResultCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

export class ResultCache {
  /** In use order: the first is the least recently used. */
  readonly #entries = new Map<string, Entry>();
  /** Per database, the newest data version seen. */
  readonly #latest = new Map<number | string, bigint>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  constructor(
    readonly entriesMax: number,
    readonly bytesMax: number,
  ) {}

  /** The value kept for this database, version and key, if any (it becomes the most recent). */
  get(database: number | string, version: bigint, key: string): unknown {
    this.#observe(database, version);
    const id = entryId(database, version, key);
    const entry = this.#entries.get(id);
    if (!entry) {
      this.#misses++;
      return undefined;
    }
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    this.#hits++;
    return entry.value;
  }

  /**
   * Keeps `value` (deep-frozen here) for this database, version and key, and returns it. A
   * value of an older version than one already seen, or larger than the whole bound, is not
   * kept.
   */
  set<T>(database: number | string, version: bigint, key: string, value: T): T {
    const bytes = freezeAndMeasure(value);
    this.#observe(database, version);
    if (version < (this.#latest.get(database) ?? version) || bytes > this.bytesMax) return value;
    const id = entryId(database, version, key);
    const previous = this.#entries.get(id);
    if (previous) this.#remove(id, previous);
    this.#entries.set(id, { database, version, value, bytes });
    this.#bytes += bytes;
    while (this.#entries.size > this.entriesMax || this.#bytes > this.bytesMax) {
      const [oldest, entry] = this.#entries.entries().next().value as [string, Entry];
      this.#remove(oldest, entry);
      this.#evictions++;
    }
    return value;
  }

  stats(): ResultCacheStats {
    return {
      entries: this.#entries.size,
      bytes: this.#bytes,
      hits: this.#hits,
      misses: this.#misses,
      evictions: this.#evictions,
    };
  }

  clear(): void {
    this.#entries.clear();
    this.#latest.clear();
    this.#bytes = 0;
  }

  /** A newer version of a database makes its older entries unreachable: drop them now. */
  #observe(database: number | string, version: bigint): void {
    const latest = this.#latest.get(database);
    if (latest !== undefined && version <= latest) return;
    this.#latest.set(database, version);
    if (latest === undefined) return;
    for (const [id, entry] of this.#entries) {
      if (entry.database === database && entry.version < version) this.#remove(id, entry);
    }
  }

  #remove(id: string, entry: Entry): void {
    this.#entries.delete(id);
    this.#bytes -= entry.bytes;
  }
}

function entryId(database: number | string, version: bigint, key: string): string {
  return `${database}|${version}|${key}`;
}

/**
 * Deep-freezes a result (plain objects, arrays, Dates) and estimates its size in bytes: 8 per
 * number, boolean or slot, 2 per string character, 16 + 8 per digit word of a bigint, 32 per
 * object or array. An estimate for the bound, not a measurement.
 */
const SMALL_BIGINT = 2n ** 60n;

export function freezeAndMeasure(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return 16 + 2 * value.length;
    case 'bigint':
      // One word for most (no text made: a drill-down holds thousands).
      return value > -SMALL_BIGINT && value < SMALL_BIGINT
        ? 24
        : 16 + 8 * Math.ceil(value.toString(16).length / 16);
    case 'object': {
      if (value === null) return 8;
      let bytes = 32;
      if (value instanceof Date) return bytes + 8;
      if (Array.isArray(value)) {
        for (const item of value) bytes += 8 + freezeAndMeasure(item);
      } else {
        for (const [key, item] of Object.entries(value)) {
          bytes += 8 + 2 * key.length + freezeAndMeasure(item);
        }
      }
      Object.freeze(value);
      return bytes;
    }
    default:
      return 8;
  }
}

/** The cache of this process (every `Database` it opens shares it; keys tell them apart). */
export const analysisResults = new ResultCache(
  LIMITS.analyticsCacheEntriesMax,
  LIMITS.analyticsCacheBytesMax,
);

const databaseIds = new WeakMap<object, number>();
let nextDatabaseId = 1;

/** A number naming this database object for the life of the process. */
export function databaseIdOf(database: object): number {
  let id = databaseIds.get(database);
  if (id === undefined) databaseIds.set(database, (id = nextDatabaseId++));
  return id;
}
