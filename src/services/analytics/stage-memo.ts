/**
 * Funding stages kept between cold analyses: what a stage's records add up to, converted, kept in
 * this process's memory under the versions of the tables the stage reads — so the first analysis
 * after a write reads and converts again only the stages that write could change (a pledge: the
 * pledged and committed stages, not the 220,000 payments of scale 1).
 *
 * Why it is correct:
 * - A stage's rows (storage `sumStageAmounts`) depend on its tables (`STAGE_TABLES`), `asOf`, the
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
 * - The contribution stages (`CHUNKED_STAGES`) are kept per chunk of 1,024 contribution ids,
 *   each under its fingerprint (row count and sum of row versions: storage
 *   `listContributionChunks`), so a pledge re-reads and converts one chunk, not 50,000 rows.
 * - Kept values are frozen: no analysis can change another's.
 *
 * Bounded: at most `LIMITS.analyticsStageGroupsMax` groups and `LIMITS.analyticsStagesMax`
 * stages in all, least recently used stage out first.
 */
import { LIMITS } from '../../core/limits.js';
import {
  CHUNKED_STAGES,
  listContributionChunks,
  readTableVersions,
  STAGE_TABLES,
  sumStageAmounts,
  type ContributionChunk,
  type FundingStage,
  type StageAmountRow,
} from '../../storage/analytics-repository.js';
import type { Tx } from '../../storage/transaction.js';
import { reportGroups, type AnalysisContext, type ReportedGroup } from './figures.js';
import type { ConversionCounts, Reporting } from './reporting.js';

type Grouping = { byDay?: boolean; byParty?: boolean };

/** A stage read for an analysis: its all-date totals now, its groups once converted. */
export interface StageRead {
  stage: FundingStage;
  by: Grouping;
  /** One total per currency over every date (`StageAmountRow.total`). */
  totals: readonly StageAmountRow[];
  /** The whole stage, or (`CHUNKED_STAGES`) one part per chunk of contributions. */
  parts: StagePart[];
}

interface StagePart {
  /** Where it is kept (null: not kept — no database id in the context). */
  key: string | null;
  /** The chunk of contributions (a chunked stage), else null. */
  chunk: number | null;
  /** Its rows when read by this call; null when kept (read again only for a new basis). */
  rows: readonly StageAmountRow[] | null;
}

interface Converted extends ConversionCounts {
  groups: readonly ReportedGroup[];
}

interface Kept {
  totals: readonly StageAmountRow[];
  /** Per reporting basis (`Reporting.cacheKey`). */
  converted: Map<string, Converted>;
  groups: number;
}

/** In use order: the first is the least recently used. */
const kept = new Map<string, Kept>();
let keptGroups = 0;
let hits = 0;
let misses = 0;

/** What each analysis's snapshot says of its tables (one statement each, once per analysis). */
const versionsOf = new WeakMap<Tx, Promise<Record<string, string>>>();
const chunksOf = new WeakMap<Tx, Promise<ContributionChunk[]>>();

function once<T>(map: WeakMap<Tx, Promise<T>>, tx: Tx, read: (tx: Tx) => Promise<T>): Promise<T> {
  let found = map.get(tx);
  if (!found) map.set(tx, (found = read(tx)));
  return found;
}

/** Chunks read one by one up to this many; more: the whole stage in one statement. */
const CHUNKS_READ_APART_MAX = 8;

/** A stage's rows for an analysis: kept ones when its tables (or chunks) have not changed. */
export async function readStage(
  tx: Tx,
  context: AnalysisContext,
  stage: FundingStage,
  by: Grouping = {},
): Promise<StageRead> {
  const { databaseId, asOf, currency } = context.options;
  if (databaseId === undefined) {
    const rows = await sumStage(tx, context, stage, by);
    return { stage, by, totals: combinedTotals([rows]), parts: [{ key: null, chunk: null, rows }] };
  }
  const slot = JSON.stringify([
    databaseId,
    stage,
    by.byDay ?? false,
    by.byParty ?? false,
    asOf,
    currency,
  ]);
  let parts: StagePart[];
  if (CHUNKED_STAGES.has(stage)) {
    // Each chunk of contributions kept under its own fingerprint: a write re-reads its chunk.
    parts = (await once(chunksOf, tx, listContributionChunks)).map((c) => ({
      key: `${slot}#${c.chunk}|${c.fingerprint}`,
      chunk: c.chunk,
      rows: null,
    }));
  } else {
    const v = await once(versionsOf, tx, readTableVersions);
    const versions = STAGE_TABLES[stage].map((t) => v[t] ?? null);
    parts = [{ key: `${slot}|${JSON.stringify(versions)}`, chunk: null, rows: null }];
  }
  const missing = parts.filter((p) => !kept.has(p.key!));
  if (missing.length > 0) await readParts(tx, context, stage, by, missing, parts.length);
  // Parts kept a moment ago and pushed out since by the bounds: read too.
  const lost = parts.filter((p) => p.rows === null && !kept.has(p.key!));
  if (lost.length > 0) await readParts(tx, context, stage, by, lost, parts.length);
  const totals: (readonly StageAmountRow[])[] = [];
  for (const part of parts) {
    const entry = kept.get(part.key!);
    if (entry) {
      kept.delete(part.key!);
      kept.set(part.key!, entry);
      totals.push(entry.totals);
    } else {
      totals.push(part.rows!.filter((r) => r.total)); // read now, not kept (bounds)
    }
  }
  return { stage, by, totals: combinedTotals(totals), parts };
}

/** Reads these parts' rows (all of them, or only their chunks) and keeps their totals. */
async function readParts(
  tx: Tx,
  context: AnalysisContext,
  stage: FundingStage,
  by: Grouping,
  parts: StagePart[],
  of: number,
): Promise<void> {
  const chunked = parts[0]!.chunk !== null;
  const only =
    chunked && parts.length <= CHUNKS_READ_APART_MAX && parts.length < of
      ? parts.map((p) => p.chunk!)
      : undefined;
  const rows = await sumStage(tx, context, stage, by, chunked ? (only ? { only } : {}) : undefined);
  const byChunk = new Map<number | null, StageAmountRow[]>();
  for (const r of rows) {
    const list = byChunk.get(r.chunk);
    if (list) list.push(r);
    else byChunk.set(r.chunk, [r]);
  }
  for (const part of parts) {
    part.rows = byChunk.get(part.chunk) ?? [];
    if (part.key !== null && !kept.has(part.key)) {
      const totals = Object.freeze(part.rows.filter((r) => r.total));
      remember(part.key, { totals, converted: new Map(), groups: 0 });
    }
  }
}

function sumStage(
  tx: Tx,
  context: AnalysisContext,
  stage: FundingStage,
  by: Grouping,
  chunks?: { only?: readonly number[] },
): Promise<StageAmountRow[]> {
  return sumStageAmounts(tx, stage, {
    asOf: context.options.asOf,
    summedCurrency: context.options.currency,
    byDay: by.byDay ?? false,
    byParty: by.byParty ?? false,
    ...(chunks ? { chunks } : {}),
  });
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
 * groups of the same currency, day and donor merged: kept ones for every part kept with this
 * basis, their conversions counted in `reporting`'s basis.
 */
export async function reportStage(
  tx: Tx,
  context: AnalysisContext,
  reporting: Reporting,
  read: StageRead,
): Promise<readonly ReportedGroup[]> {
  const lists: (readonly ReportedGroup[])[] = [];
  const toConvert: StagePart[] = [];
  for (const part of read.parts) {
    const done =
      part.key === null ? undefined : kept.get(part.key)?.converted.get(reporting.cacheKey);
    if (done) {
      hits++;
      reporting.tally(done);
      lists.push(done.groups);
    } else {
      misses++;
      toConvert.push(part);
    }
  }
  // Parts kept for another basis only: their rows again, in one statement.
  const unread = toConvert.filter((p) => p.rows === null);
  if (unread.length > 0) {
    await readParts(tx, context, read.stage, read.by, unread, read.parts.length);
  }
  for (const part of toConvert) {
    const before = countsOf(reporting);
    const groups = merged([reportGroups(reporting, part.rows!)], read.by);
    const after = countsOf(reporting);
    lists.push(groups);
    const entry = part.key === null ? undefined : kept.get(part.key);
    if (entry && !entry.converted.has(reporting.cacheKey)) {
      entry.converted.set(reporting.cacheKey, {
        groups,
        conversions: after.conversions - before.conversions,
        fellBack: after.fellBack - before.fellBack,
        afterLastRate: after.afterLastRate - before.afterLastRate,
      });
      entry.groups += groups.length;
      keptGroups += groups.length;
    }
    if (part.key !== null) part.rows = null; // converted and kept: not held twice
  }
  trim();
  return lists.length === 1 ? lists[0]! : merged(lists, read.by);
}

export interface StageMemoStats {
  stages: number;
  groups: number;
  hits: number;
  misses: number;
}

export function stageMemoStats(): StageMemoStats {
  return { stages: kept.size, groups: keptGroups, hits, misses };
}

/** Forgets every kept stage (tests compare with a fresh computation). */
export function clearStageMemo(): void {
  kept.clear();
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
 * its day only to be converted) or by donor.
 */
function merged(
  lists: readonly (readonly ReportedGroup[])[],
  by: Grouping,
): readonly ReportedGroup[] {
  const byKey = new Map<string, ReportedGroup>();
  for (const groups of lists)
    for (const g of groups) {
      const valueDate = by.byDay ? g.valueDate : null;
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
