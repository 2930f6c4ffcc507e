/**
 * Funding stages kept between cold analyses: what a stage's records add up to, converted, kept in
 * this process's memory under the versions of the tables the stage reads — so the first analysis
 * after a write reads and converts again only the stages that write could change (a pledge: the
 * pledged and committed stages, not the 220,000 payments of scale 1).
 *
 * Why it is correct:
 * - A stage's rows (storage `sumStageAmounts`) depend on its tables (`STAGE_TABLES`) — or its
 *   audit events (`STAGE_EVENTS`: the newest one's id) — `asOf`, the
 *   summed currency and the grouping. Each versioned table's version (migration 0025) is the
 *   audit event id of the last committed transaction that changed it, read in the analysis's own
 *   snapshot; a kept stage is used only when every version, and everything else, is the same.
 * - Its converted groups depend besides on the reporting basis (`Reporting.cacheKey`: currency,
 *   rate mode and date, last rate day, FX version). The conversions they took are counted again
 *   in the basis of each analysis that uses them (`Reporting.tally`), so the basis is the same.
 * - Groups of the same currency, day and donor are merged once converted (each record was still
 *   converted and rounded on its own; a stage not grouped by day or donor merges across them):
 *   the analyses only add groups up, so every sum is the same to the minor unit
 *   (tests/analytics/stage-memo.test.ts compares with a fresh computation).
 * - A stage read from one table (`STAGE_CHUNKS`: contributions, payments) is also kept per chunk
 *   of ids under the chunk's revision (storage `listTableChunks`), so when its table changed
 *   only the chunks that changed are read and converted again — a pledge, one chunk of 1,024
 *   contributions; a payment, one chunk of 8,192 payments.
 * - Kept values are frozen: no analysis can change another's.
 *
 * Bounded: at most `LIMITS.analyticsStageGroupsMax` groups and `LIMITS.analyticsStagesMax`
 * stages or chunks in all, least recently used out first.
 */
import { assert } from '../../core/errors.js';
import { LIMITS } from '../../core/limits.js';
import {
  listTableChunks,
  readLastEventId,
  readTableVersions,
  STAGE_CHUNKS,
  STAGE_EVENTS,
  STAGE_TABLES,
  type ChunkRevisions,
  type FundingStage,
  type StageAmountRow,
  type TableChunk,
} from '../../storage/analytics-repository.js';
import type { Tx } from '../../storage/transaction.js';
import {
  readStageSums,
  reportGroups,
  type AnalysisContext,
  type ReportedGroup,
} from './figures.js';
import { freezeAndMeasure } from './result-cache.js';
import type { ConversionCounts, Reporting } from './reporting.js';

/**
 * How a stage's groups are read (`byDay`, `byParty`: storage `sumStageAmounts`) and kept:
 * `per` merges the days of a year or a month once converted (`valueDate` becomes the period's
 * first day): an analysis that sums by period keeps and merges a few groups per chunk, not one
 * per day (payments by day: 54,000 groups at scale 1).
 */
type Grouping = { byDay?: boolean; byParty?: boolean; per?: 'year' | 'month' };

/** What the stages take of an analysis's context: its checked options. */
type StageContext = Pick<AnalysisContext, 'options'>;

/** A stage read for an analysis: its all-date totals now, its groups once converted. */
export interface StageRead {
  stage: FundingStage;
  by: Grouping;
  /** One total per currency over every date (`StageAmountRow.total`). */
  totals: readonly StageAmountRow[];
  /** Where the whole stage is kept (null: not kept — no database id in the context). */
  key: string | null;
  /** Where each chunk is kept: `key` without the versions (a chunked stage). */
  slot: string | null;
  /** The stage's rows when read whole by this call. */
  rows: readonly StageAmountRow[] | null;
  /** Its chunks when read by chunk by this call. */
  parts: StagePart[] | null;
}

interface StagePart {
  key: string;
  chunk: number;
  /**
   * Its rows when read by this call; null when kept (read again only for a new basis) or when
   * only its totals were read (many chunks to read: their rows are read batch by batch as they
   * are converted, `reportParts`).
   */
  rows: readonly StageAmountRow[] | null;
  /** Its totals when read by this call. */
  totals: readonly StageAmountRow[] | null;
}

/** A stage's (or chunk's) groups converted in one basis, and the conversions they took. */
export interface Converted extends ConversionCounts {
  groups: readonly ReportedGroup[];
  /** The conversions per original currency (a drill-down of one currency counts its own). */
  byCurrency: ReadonlyMap<string, ConversionCounts>;
}

const NO_CONVERSION: ConversionCounts = { conversions: 0, fellBack: 0, afterLastRate: 0 };

interface Kept {
  totals: readonly StageAmountRow[];
  /** Per reporting basis (`Reporting.cacheKey`). */
  converted: Map<string, Converted>;
  groups: number;
}

/** Whole stages (`slot|versions`) and chunks (`slot#chunk|revision`); first: least recent. */
const kept = new Map<string, Kept>();
let keptGroups = 0;
let hits = 0;
let misses = 0;

/** What each analysis's snapshot says of its tables (one statement each, once per analysis). */
const versionsOf = new WeakMap<Tx, Promise<Record<string, string>>>();
const chunksOf = new WeakMap<Tx, Map<ChunkRevisions, Promise<TableChunk[]>>>();

function versions(tx: Tx): Promise<Record<string, string>> {
  let found = versionsOf.get(tx);
  if (!found) versionsOf.set(tx, (found = readTableVersions(tx)));
  return found;
}

/** The versions of these tables in this snapshot, as one string (`''` for none). */
async function versionsOfTables(tx: Tx, tables: readonly string[]): Promise<string> {
  if (tables.length === 0) return '';
  const v = await versions(tx);
  return JSON.stringify(tables.map((t) => v[t] ?? null));
}

/** The table's chunks and their revisions, read once per analysis (one indexed read). */
function chunks(tx: Tx, table: ChunkRevisions): Promise<TableChunk[]> {
  let tables = chunksOf.get(tx);
  if (!tables) chunksOf.set(tx, (tables = new Map()));
  let found = tables.get(table);
  if (!found) tables.set(table, (found = listTableChunks(tx, table)));
  return found;
}

/** Chunks whose rows are read at once up to this many; more: their totals first (`chunkParts`). */
const CHUNKS_READ_APART_MAX = 8;
/**
 * Chunks whose rows are read and converted together when many are (a first computation): so a
 * stage's records are never all held at once (payments at scale 1: 32 of 108 chunks).
 */
const CHUNKS_READ_BATCH = 32;

function touch(key: string): Kept | undefined {
  const entry = kept.get(key);
  if (entry) {
    kept.delete(key);
    kept.set(key, entry);
  }
  return entry;
}

/** A stage's rows for an analysis: kept ones when its tables (or chunks) have not changed. */
export async function readStage(
  tx: Tx,
  context: StageContext,
  stage: FundingStage,
  by: Grouping = {},
): Promise<StageRead> {
  const { databaseId, asOf, currency } = context.options;
  if (databaseId === undefined) {
    const rows = await readStageSums(tx, context, stage, by);
    const totals = combinedTotals([rows]);
    return { stage, by, totals, key: null, slot: null, rows, parts: null };
  }
  const slot = JSON.stringify([
    databaseId,
    stage,
    by.byDay ?? false,
    by.byParty ?? false,
    by.per ?? null,
    asOf,
    currency,
  ]);
  const v = await versions(tx);
  const events = STAGE_EVENTS[stage];
  const key = `${slot}|${JSON.stringify([
    ...STAGE_TABLES[stage].map((t) => v[t] ?? null),
    ...(events ? [await readLastEventId(tx, events)] : []),
  ])}`;
  const whole = touch(key);
  if (whole) return { stage, by, totals: whole.totals, key, slot, rows: null, parts: null };
  let read: StageRead;
  if (STAGE_CHUNKS[stage] !== undefined) {
    const parts = await chunkParts(tx, context, stage, by, slot);
    const totals = combinedTotals(parts.map((p) => p.totals ?? kept.get(p.key)!.totals));
    read = { stage, by, totals, key, slot, rows: null, parts };
  } else {
    const rows = await readStageSums(tx, context, stage, by);
    read = { stage, by, totals: combinedTotals([rows]), key, slot, rows, parts: null };
  }
  remember(key, { totals: Object.freeze(read.totals), converted: new Map(), groups: 0 });
  return read;
}

/** The stage's chunks, those not kept (or kept for no basis yet and pushed out) read now. */
async function chunkParts(
  tx: Tx,
  context: StageContext,
  stage: FundingStage,
  by: Grouping,
  slot: string,
): Promise<StagePart[]> {
  const parts: StagePart[] = (await chunks(tx, STAGE_CHUNKS[stage]!)).map((c) => ({
    key: `${slot}#${c.chunk}|${c.revision}`,
    chunk: c.chunk,
    rows: null,
    totals: null,
  }));
  // A few chunks (after a write): their rows now. Many (a first computation): their totals
  // now, their rows batch by batch as they are converted.
  const missing = parts.filter((p) => touch(p.key) === undefined);
  const totalsOnly = missing.length > CHUNKS_READ_APART_MAX;
  if (missing.length > 0)
    await readParts(tx, context, stage, by, missing, parts.length, totalsOnly);
  // Chunks kept a moment ago and pushed out since by the bounds: read too.
  const lost = parts.filter((p) => p.totals === null && !kept.has(p.key));
  if (lost.length > 0) await readParts(tx, context, stage, by, lost, parts.length, true);
  return parts;
}

/**
 * Reads these chunks' rows (of all the stage, or of these chunks only) — or their totals only —
 * and keeps their totals.
 */
async function readParts(
  tx: Tx,
  context: StageContext,
  stage: FundingStage,
  by: Grouping,
  parts: StagePart[],
  of: number,
  totalsOnly = false,
): Promise<void> {
  const only =
    parts.length <= CHUNKS_READ_BATCH && parts.length < of ? parts.map((p) => p.chunk) : undefined;
  const rows = await readStageSums(tx, context, stage, {
    ...by,
    chunks: only ? { only } : {},
    ...(totalsOnly ? { totalsOnly } : {}),
  });
  const byChunk = new Map<number | null, StageAmountRow[]>();
  for (const r of rows) {
    const list = byChunk.get(r.chunk);
    if (list) list.push(r);
    else byChunk.set(r.chunk, [r]);
  }
  for (const part of parts) {
    const partRows = byChunk.get(part.chunk) ?? [];
    part.totals = Object.freeze(totalsOf(partRows));
    if (!totalsOnly) part.rows = partRows;
    if (!kept.has(part.key)) {
      remember(part.key, { totals: part.totals, converted: new Map(), groups: 0 });
    }
  }
}

function totalsOf(rows: readonly StageAmountRow[]): StageAmountRow[] {
  return rows.filter((r) => r.total);
}

/** One total per currency: the parts' totals added up (the earliest first date). */
function combinedTotals(parts: readonly (readonly StageAmountRow[])[]): StageAmountRow[] {
  const byCurrency = new Map<string, StageAmountRow>();
  for (const rows of parts) {
    for (const r of rows) {
      if (!r.total) continue;
      const same = byCurrency.get(r.currency);
      if (!same) {
        byCurrency.set(r.currency, { ...r, chunk: null });
        continue;
      }
      same.amountMinor += r.amountMinor;
      same.records += r.records;
      if (r.firstDate !== null && (same.firstDate === null || r.firstDate < same.firstDate)) {
        same.firstDate = r.firstDate;
      }
    }
  }
  return [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}

/**
 * The stage's groups dated up to `asOf`, converted by `reporting` (figures.ts `reportGroups`),
 * groups of the same currency, day and donor merged: kept ones when the stage (or each of its
 * chunks) was kept with this basis, their conversions counted in `reporting`'s basis.
 */
export async function reportStage(
  tx: Tx,
  context: StageContext,
  reporting: Reporting,
  read: StageRead,
): Promise<readonly ReportedGroup[]> {
  return (await reportStageCounted(tx, context, reporting, read)).groups;
}

/** `reportStage`, with the conversions per original currency. */
export async function reportStageCounted(
  tx: Tx,
  context: StageContext,
  reporting: Reporting,
  read: StageRead,
): Promise<Converted> {
  const whole = read.key === null ? undefined : kept.get(read.key);
  const done = whole?.converted.get(reporting.cacheKey);
  if (done) {
    hits++;
    reporting.tally(done);
    return done;
  }
  misses++;
  let converted: Converted;
  if (read.slot !== null && STAGE_CHUNKS[read.stage] !== undefined) {
    const parts = read.parts ?? (await chunkParts(tx, context, read.stage, read.by, read.slot));
    converted = await reportParts(tx, context, reporting, read, parts);
  } else {
    const rows = read.rows ?? (await readStageSums(tx, context, read.stage, read.by));
    converted = convertRows(reporting, rows, read.by);
  }
  if (whole && read.key !== null && kept.get(read.key) === whole) {
    keep(whole, reporting.cacheKey, converted);
  }
  read.rows = null; // converted (and kept): not held twice
  trim();
  return converted;
}

/** The chunks' groups, each chunk's kept for this basis or converted now (and kept), merged. */
async function reportParts(
  tx: Tx,
  context: StageContext,
  reporting: Reporting,
  read: StageRead,
  parts: StagePart[],
): Promise<Converted> {
  const all: Converted[] = [];
  const toConvert: StagePart[] = [];
  for (const part of parts) {
    const done = kept.get(part.key)?.converted.get(reporting.cacheKey);
    if (done) {
      reporting.tally(done);
      all.push(done);
    } else {
      toConvert.push(part);
    }
  }
  // Chunks whose rows are not read yet (only their totals), kept for another basis only, or
  // pushed out since: read batch by batch, each converted before the next is read.
  for (let start = 0; start < toConvert.length; start += CHUNKS_READ_BATCH) {
    const batch = toConvert.slice(start, start + CHUNKS_READ_BATCH);
    const unread = batch.filter((p) => p.rows === null);
    if (unread.length > 0) {
      await readParts(tx, context, read.stage, read.by, unread, parts.length);
    }
    for (const part of batch) {
      const converted = convertRows(reporting, part.rows!, read.by);
      all.push(converted);
      const entry = kept.get(part.key);
      if (entry) keep(entry, reporting.cacheKey, converted);
      part.rows = null;
    }
  }
  return combined(all, read.by, `${read.slot}|${reporting.cacheKey}`);
}

/** The rows converted (each currency apart, to count its conversions) and merged. */
function convertRows(
  reporting: Reporting,
  rows: readonly StageAmountRow[],
  by: Grouping,
): Converted {
  const byCurrencyRows = new Map<string, StageAmountRow[]>();
  for (const r of rows) {
    if (r.total) continue;
    const list = byCurrencyRows.get(r.currency);
    if (list) list.push(r);
    else byCurrencyRows.set(r.currency, [r]);
  }
  const lists: (readonly ReportedGroup[])[] = [];
  const byCurrency = new Map<string, ConversionCounts>();
  for (const [currency, list] of byCurrencyRows) {
    const before = countsOf(reporting);
    lists.push(reportGroups(reporting, list));
    const after = countsOf(reporting);
    byCurrency.set(currency, {
      conversions: after.conversions - before.conversions,
      fellBack: after.fellBack - before.fellBack,
      afterLastRate: after.afterLastRate - before.afterLastRate,
    });
  }
  return { groups: merged(lists, by), byCurrency, ...sumCounts(byCurrency.values()) };
}

/**
 * Several conversions as one: groups merged, counts added per currency. With `slot` (the
 * stage, grouping, date and basis the parts belong to), the merge is kept and the next one of the
 * same slot starts from it: only the parts no longer there are taken out and the new ones added
 * (after a write, one chunk of fifty), which gives the same groups as merging every part anew.
 */
function combined(all: readonly Converted[], by: Grouping, slot?: string): Converted {
  if (all.length === 1) return all[0]!;
  const byCurrency = new Map<string, ConversionCounts>();
  for (const c of all) {
    for (const [currency, counts] of c.byCurrency) {
      byCurrency.set(currency, sumCounts([byCurrency.get(currency) ?? NO_CONVERSION, counts]));
    }
  }
  return {
    groups:
      slot === undefined
        ? merged(
            all.map((c) => c.groups),
            by,
          )
        : mergedFrom(slot, all, by),
    byCurrency,
    ...sumCounts(byCurrency.values()),
  };
}

function sumCounts(counts: Iterable<ConversionCounts>): ConversionCounts {
  const sum = { conversions: 0, fellBack: 0, afterLastRate: 0 };
  for (const c of counts) {
    sum.conversions += c.conversions;
    sum.fellBack += c.fellBack;
    sum.afterLastRate += c.afterLastRate;
  }
  return sum;
}

/** Conversions of one original currency in a stage's conversion (none: zero). */
export function countsIn(converted: Converted, currency: string): ConversionCounts {
  return converted.byCurrency.get(currency) ?? NO_CONVERSION;
}

/** Keeps converted groups in an entry. */
function keep(entry: Kept, basis: string, converted: Converted): void {
  if (entry.converted.has(basis)) return;
  entry.converted.set(basis, converted);
  entry.groups += converted.groups.length;
  keptGroups += converted.groups.length;
}

/**
 * Values kept per chunk of a chunked table (`readKeptChunkValues`, coverage's parts): under
 * `[database, name, chunk]|revision…`, only the newest revision of a chunk kept.
 */
const chunkValues = new Map<string, unknown>();
/** Per `[database, name, chunk]`: the key of its newest kept revision. */
const newestChunkValue = new Map<string, string>();
const CHUNK_VALUES_KEPT_MAX = 4_096;
/** Per name: how many chunk values were read and kept (tests count what a write re-read). */
const chunksKept = new Map<string, number>();

/** A chunk of a chunked table as an analysis keeps what it read of it. */
export interface KeptChunk {
  /** What is read of the chunk (and its inputs). */
  name: string;
  chunk: number;
  /** `[database, name, chunk]`: the same chunk whatever its revision. */
  slot: string;
  /** `slot`, the chunk's revision and the versions of the other tables read. */
  key: string;
}

/**
 * The chunks of `table` in this snapshot, keyed for what `name` reads of them — by each chunk's
 * revision and the versions of `tables`, the other tables that read reads. Null when nothing is
 * kept (no database id in the context).
 */
export async function keptChunks(
  tx: Tx,
  context: StageContext,
  name: string,
  table: ChunkRevisions,
  tables: readonly string[] = [],
): Promise<KeptChunk[] | null> {
  const { databaseId } = context.options;
  if (databaseId === undefined) return null;
  const listed = await chunks(tx, table);
  const others = await versionsOfTables(tx, tables);
  return listed.map((c) => {
    const slot = JSON.stringify([databaseId, name, c.chunk]);
    return { name, chunk: c.chunk, slot, key: `${slot}|${c.revision}${others}` };
  });
}

/**
 * A read kept whole (as one chunk, -1), keyed for what `name` reads by the versions of `tables`,
 * the tables it reads. Null when nothing is kept (no database id in the context).
 */
export async function keptWhole(
  tx: Tx,
  context: StageContext,
  name: string,
  tables: readonly string[],
): Promise<KeptChunk | null> {
  const { databaseId } = context.options;
  if (databaseId === undefined) return null;
  const slot = JSON.stringify([databaseId, name, null]);
  return { name, chunk: -1, slot, key: `${slot}|${await versionsOfTables(tx, tables)}` };
}

/** What is kept for this chunk (and revision), if anything. */
export function keptChunkValue<T>(chunk: Pick<KeptChunk, 'key'>): T | undefined {
  return chunkValues.get(chunk.key) as T | undefined;
}

/** Keeps a value for a chunk; what was kept for an older revision of it is dropped. */
export function keepChunkValue(
  chunk: Pick<KeptChunk, 'name' | 'slot' | 'key'>,
  value: unknown,
): void {
  chunksKept.set(chunk.name, (chunksKept.get(chunk.name) ?? 0) + 1);
  const previous = newestChunkValue.get(chunk.slot);
  if (previous !== undefined) chunkValues.delete(previous);
  newestChunkValue.set(chunk.slot, chunk.key);
  chunkValues.delete(chunk.key);
  chunkValues.set(chunk.key, value);
  while (chunkValues.size > CHUNK_VALUES_KEPT_MAX) {
    chunkValues.delete(chunkValues.keys().next().value as string);
  }
}

/**
 * Which of these chunks to read by naming them (a few, after a write): `undefined` when all
 * should be read at once (a first computation: too many, or every one of the `of` chunks).
 */
export function chunksToName(
  missing: readonly Pick<KeptChunk, 'chunk'>[],
  of = Number.POSITIVE_INFINITY,
): number[] | undefined {
  return missing.length <= CHUNKS_READ_APART_MAX && missing.length < of
    ? missing.map((c) => c.chunk)
    : undefined;
}

/**
 * `read(tx, only)`'s rows of every chunk of a chunked table (each row names its chunk), chunk by
 * chunk in chunk order, kept per chunk under the chunk's revision in this snapshot — and the
 * versions of `tables`, the other tables `read` reads — so after a write only the chunks it
 * changed are read again: the funnel's ledger balances after a payment, the few accounts it
 * posted to instead of all 103,000 of scale 1; lead times' milestones after an allocation, the
 * 32 packages of its chunk. `name` names the read and its inputs. Each chunk's rows are one
 * frozen array, the same array while the chunk is unchanged — so what is made of it can be kept
 * with it (a `WeakMap` keyed by the array: lead times' measures).
 */
export async function readKeptChunkParts<T extends { chunk: number }>(
  tx: Tx,
  context: StageContext,
  name: string,
  table: ChunkRevisions,
  read: (tx: Tx, only?: readonly number[]) => Promise<T[]>,
  tables: readonly string[] = [],
): Promise<(readonly T[])[]> {
  return readKeptChunkValues(
    tx,
    context,
    name,
    table,
    read,
    (rows) => {
      freezeAndMeasure(rows);
      return rows as readonly T[];
    },
    tables,
  );
}

/**
 * What `make` makes of each chunk's rows of `read(tx, only)` (in chunk order), kept per chunk
 * under its revision and the versions of `tables` — the rows themselves are not kept: a chunk's
 * packages by funding party, not its 560 funder rows.
 */
export async function readKeptChunkValues<T extends { chunk: number }, V>(
  tx: Tx,
  context: StageContext,
  name: string,
  table: ChunkRevisions,
  read: (tx: Tx, only?: readonly number[]) => Promise<T[]>,
  make: (rows: T[]) => V,
  tables: readonly string[] = [],
): Promise<V[]> {
  const listed = await keptChunks(tx, context, name, table, tables);
  if (listed === null) return [...groupByChunk(await read(tx)).values()].map(make);
  const values = new Map<number, V>();
  const missing: KeptChunk[] = [];
  for (const c of listed) {
    const found = keptChunkValue<{ value: V }>(c);
    if (found) values.set(c.chunk, found.value);
    else missing.push(c);
  }
  if (missing.length > 0) {
    const byChunk = groupByChunk(await read(tx, chunksToName(missing, listed.length)));
    for (const c of missing) {
      const value = make(byChunk.get(c.chunk) ?? []);
      values.set(c.chunk, value);
      keepChunkValue(c, { value });
    }
  }
  return listed.map((c) => values.get(c.chunk)!);
}

/**
 * Reporting bases kept per chunk value (coverage's parts, lead times' records): a few — the
 * bases readers use side by side (USD and EUR, by value date or fixed) — the oldest dropped.
 */
const BASES_KEPT_PER_CHUNK_MAX = 4;

/** Keeps `value` under `basis` in a chunk value's map of bases, within the bound. */
export function keepInBasis<V>(byBasis: Map<string, V>, basis: string, value: V): void {
  byBasis.delete(basis);
  byBasis.set(basis, value);
  while (byBasis.size > BASES_KEPT_PER_CHUNK_MAX) {
    byBasis.delete(byBasis.keys().next().value as string);
  }
}

/** Rows by their chunk. */
function groupByChunk<T extends { chunk: number }>(rows: Iterable<T>): Map<number, T[]> {
  const byChunk = new Map<number, T[]>();
  for (const row of rows) {
    const list = byChunk.get(row.chunk);
    if (list) list.push(row);
    else byChunk.set(row.chunk, [row]);
  }
  return byChunk;
}

export interface StageMemoStats {
  stages: number;
  groups: number;
  hits: number;
  misses: number;
  /** Per name of a chunked read: the chunks read and kept so far. */
  chunksKept: Readonly<Record<string, number>>;
  /** Merges of a chunked stage made from a kept merge (`combined`), and the parts they changed. */
  mergesFrom: number;
  partsChanged: number;
}

export function stageMemoStats(): StageMemoStats {
  return {
    stages: kept.size,
    groups: keptGroups,
    hits,
    misses,
    chunksKept: Object.fromEntries(chunksKept),
    mergesFrom,
    partsChanged,
  };
}

/** Forgets every kept stage (tests compare with a fresh computation). */
export function clearStageMemo(): void {
  kept.clear();
  merges.clear();
  chunkValues.clear();
  newestChunkValue.clear();
  newest.clear();
  keptGroups = 0;
}

function countsOf(reporting: Reporting): ConversionCounts {
  const basis = reporting.basis();
  return {
    conversions: basis.conversions,
    fellBack: basis.fellBack,
    afterLastRate: basis.afterLastRate,
  };
}

/**
 * Groups of the same currency, day and donor as one (sums and record counts added), frozen —
 * by currency alone where the stage is not grouped by day (a record in another currency kept
 * its day only to be converted) or by donor, by year where asked.
 */
function merged(
  lists: readonly (readonly ReportedGroup[])[],
  by: Grouping,
): readonly ReportedGroup[] {
  const byKey = new Map<string, ReportedGroup>();
  for (const groups of lists)
    for (const g of groups) {
      const valueDate = !by.byDay
        ? null
        : by.per === undefined || g.valueDate === null
          ? g.valueDate
          : by.per === 'year'
            ? `${g.valueDate.slice(0, 4)}-01-01`
            : `${g.valueDate.slice(0, 7)}-01`;
      const partyId = by.byParty ? g.partyId : null;
      const key = `${g.currency}|${valueDate ?? ''}|${partyId ?? ''}`;
      const same = byKey.get(key);
      if (same) {
        same.originalMinor += g.originalMinor;
        same.reportedMinor += g.reportedMinor;
        same.records += g.records;
      } else {
        byKey.set(key, { ...g, valueDate, partyId });
      }
    }
  const result = [...byKey.values()];
  for (const g of result) Object.freeze(g);
  return Object.freeze(result);
}

/** A kept merge: the parts it was made of, and its groups by `groupKey`. */
interface Merge {
  parts: ReadonlySet<Converted>;
  byKey: Map<string, ReportedGroup>;
}

/** Per slot (see `combined`), least recently used first. */
const merges = new Map<string, Merge>();
let mergesFrom = 0;
let partsChanged = 0;

/** The groups of `all` merged, from the slot's kept merge when few parts changed since. */
function mergedFrom(
  slot: string,
  all: readonly Converted[],
  by: Grouping,
): readonly ReportedGroup[] {
  const previous = merges.get(slot);
  merges.delete(slot);
  const parts = new Set(all);
  let merge: Merge | undefined;
  if (previous) {
    const gone = [...previous.parts].filter((p) => !parts.has(p));
    const added = all.filter((p) => !previous.parts.has(p));
    const changed = [...gone, ...added].reduce((n, p) => n + p.groups.length, 0);
    // Worth it while the changed groups are fewer than the groups kept.
    if (changed < previous.byKey.size) {
      const { byKey } = previous;
      for (const p of gone) for (const g of p.groups) addTo(byKey, g, -1n);
      for (const p of added) for (const g of p.groups) addTo(byKey, g, 1n);
      merge = { parts, byKey };
      mergesFrom++;
      partsChanged += gone.length + added.length;
    }
  }
  if (!merge) {
    const byKey = new Map<string, ReportedGroup>();
    for (const g of merged(
      all.map((c) => c.groups),
      by,
    ))
      byKey.set(groupKey(g), g);
    merge = { parts, byKey };
  }
  merges.set(slot, merge);
  while (merges.size > LIMITS.analyticsStageMergesMax) {
    merges.delete(merges.keys().next().value!);
  }
  return Object.freeze([...merge.byKey.values()]);
}

/** A merged group's key: its currency, date and party as the grouping left them. */
function groupKey(g: ReportedGroup): string {
  return `${g.currency}|${g.valueDate ?? ''}|${g.partyId ?? ''}`;
}

/**
 * Adds a part's group (already merged by the same grouping) to a merge, or takes it out
 * (`sign` −1); a group left without records is gone. Kept groups are frozen: a new one replaces.
 */
function addTo(byKey: Map<string, ReportedGroup>, g: ReportedGroup, sign: 1n | -1n): void {
  const key = groupKey(g);
  const same = byKey.get(key);
  const records = (same?.records ?? 0) + (sign > 0n ? g.records : -g.records);
  assert(records >= 0, 'a merge only loses the groups of parts it was made of');
  if (records === 0) {
    byKey.delete(key);
    return;
  }
  byKey.set(
    key,
    Object.freeze({
      currency: g.currency,
      valueDate: g.valueDate,
      partyId: g.partyId,
      originalMinor: (same?.originalMinor ?? 0n) + sign * g.originalMinor,
      reportedMinor: (same?.reportedMinor ?? 0n) + sign * g.reportedMinor,
      records,
    }),
  );
}

/** Per stage, grouping, `asOf` and currency of a database: the key of its newest kept version. */
const newest = new Map<string, string>();

/** Keeps a stage; the same stage kept under older versions can no longer be read: dropped. */
function remember(key: string, entry: Kept): void {
  const slot = key.slice(0, key.lastIndexOf('|'));
  for (const old of [key, newest.get(slot)]) {
    const previous = old === undefined ? undefined : kept.get(old);
    if (old !== undefined && previous) {
      kept.delete(old);
      keptGroups -= previous.groups;
    }
  }
  newest.set(slot, key);
  kept.set(key, entry);
  trim();
}

function trim(): void {
  while (
    (keptGroups > LIMITS.analyticsStageGroupsMax || kept.size > LIMITS.analyticsStagesMax) &&
    kept.size > 0
  ) {
    const [oldest, entry] = kept.entries().next().value as [string, Kept];
    kept.delete(oldest);
    keptGroups -= entry.groups;
    const slot = oldest.slice(0, oldest.lastIndexOf('|'));
    if (newest.get(slot) === oldest) newest.delete(slot);
  }
}
