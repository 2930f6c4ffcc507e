/**
 * Coverage (PRODUCT.md "Analysis"): per cycle (YYYY-MM) and capability area — requested,
 * approved, packaged, funded and delivered value; % funded = funded / approved, as OCHA FTS
 * reports requirements against funding.
 *
 * Rules:
 * - The cycle is the cycle of the requirement list an item belongs to, for the item and for
 *   every package line made of it (a package may take items of several lists; its funding and
 *   deliveries count against the requirements they meet, as funding counts against an appeal).
 * - Requested: items of lists submitted, validated, approved or closed (not drafts, not
 *   withdrawn): requested quantity × estimated unit cost. Approved: items of lists approved or
 *   closed: approved quantity × estimated unit cost. Packaged: lines of packages not cancelled
 *   (drafts included): quantity × unit price. All three are US dollar values valued on the FIRST
 *   DAY OF THEIR CYCLE (its ECB rate converts them to EUR; in `fixed` mode the fixed date's), and
 *   a cycle that starts after `asOf` is left out.
 * - Funded: the funnel's allocated records (allocations not voided, at what reached the package,
 *   on their value date; minus surpluses returned at closing), each split over its package's
 *   (cycle, capability area) groups by the groups' line value (quantity × unit price) with the
 *   largest remainder — converted whole, then split — so a package's areas add up to exactly what
 *   it received, and the cells add up to the funnel's allocated figure.
 * - Delivered: the funnel's delivered records (each receipt's good-order quantity × unit price,
 *   on its received day), in the cycle and area of its line.
 * - `cycleFrom`/`cycleTo` keep the cycles between them (ends included).
 * - Redaction: item values (requested, approved) reveal an item's estimated cost, line values
 *   (packaged, delivered) and funding shares reveal a package's line values: in a drill-down they
 *   are folded for a reader who may not see them (`figures.ts`).
 *
 * Figure keys: `coverage.<measure>:<cycle>:<area>` (a cell), `coverage.<measure>:<cycle>` (a
 * cycle), `coverage.<measure>` (everything), `coverage.<measure>:<from>_<to>` (cycles in a range;
 * an open end is left empty: `2025-09_`).
 */
import type { Actor } from '../../core/actor.js';
import {
  figureKey,
  percentText,
  type AnalyticsBasis,
  type AnalyticsOptions,
  type DrillDown,
  type DrillRecord,
  type ParsedFigureKey,
} from '../../core/analytics.js';
import { DomainError, assert } from '../../core/errors.js';
import { LIMITS } from '../../core/limits.js';
import {
  CHUNK_BITS,
  listAllocatedAmounts,
  listCapabilityAreaNames,
  listPackageLines,
  listReceiptValues,
  listAllocationAmounts,
  listRequirementItems,
  type AllocationPage,
  type PackageLineValueRow,
} from '../../storage/analytics-repository.js';
import type { Database } from '../../storage/database.js';
import { splitByWeights, weightedSplitter } from '../../core/split.js';
import type { Tx } from '../../storage/transaction.js';
import type { Names } from './burden.js';
import {
  CONTRIBUTION_SIDE_TABLES,
  badFigure,
  drillDown,
  firstDayOf,
  inMonthRange,
  isMonth,
  lazily,
  listedRecord,
  monthRangeText,
  openFor,
  parseMonthRange,
  RedactedFold,
  runAnalysis,
  type AnalysisContext,
  type MonthRange,
  type SourceRecord,
} from './figures.js';
import { visibilityFor } from './visibility.js';
import { allocationRecord, loadStageRecords, receiptRecord } from './funnel.js';
import type { ConversionCounts, Reporting } from './reporting.js';
import {
  chunksToName,
  keepChunkValue,
  keepInBasis,
  keptChunks,
  keptChunkValue,
  keptWhole,
  type KeptChunk,
} from './stage-memo.js';

export const COVERAGE_MEASURES = [
  'requested',
  'approved',
  'packaged',
  'funded',
  'delivered',
] as const;
export type CoverageMeasure = (typeof COVERAGE_MEASURES)[number];

export interface CoverageFigures {
  requestedMinor: bigint;
  approvedMinor: bigint;
  packagedMinor: bigint;
  fundedMinor: bigint;
  deliveredMinor: bigint;
  /** funded / approved, percent, 2 decimals (half to even); null when nothing is approved. */
  percentFunded: string | null;
  figures: Record<CoverageMeasure, string>;
}

export interface CoverageRow extends CoverageFigures {
  cycle: string;
  capabilityArea: string;
  areaNames: Names;
}

export interface Coverage {
  basis: AnalyticsBasis;
  cycleFrom: string | null;
  cycleTo: string | null;
  /** One per cycle and capability area with any figure, by cycle then the areas' order. */
  rows: CoverageRow[];
  totals: CoverageFigures;
}

export type CoverageOptions = AnalyticsOptions & { cycleFrom?: string; cycleTo?: string };

/** A record of a coverage measure, in its cell. */
interface CellRecord {
  measure: CoverageMeasure;
  cycle: string;
  area: string;
  record: SourceRecord;
}

function checkRange(options: CoverageOptions): MonthRange {
  for (const field of ['cycleFrom', 'cycleTo'] as const) {
    const value = options[field];
    if (value !== undefined && (typeof value !== 'string' || !isMonth(value))) {
      throw new DomainError('VALIDATION_FAILED', `${field}: a cycle written YYYY-MM.`, { field });
    }
  }
  const range = { from: options.cycleFrom ?? null, to: options.cycleTo ?? null };
  if (range.from !== null && range.to !== null && range.from > range.to) {
    throw new DomainError('VALIDATION_FAILED', 'cycleTo: a cycle on or after cycleFrom.', {
      field: 'cycleTo',
    });
  }
  return range;
}

/** Requirement items' requested and approved values. */
async function itemRecords(tx: Tx): Promise<CellRecord[]> {
  const cells: CellRecord[] = [];
  for (const item of await listRequirementItems(tx)) {
    const base = {
      kind: 'requirement_item' as const,
      id: item.id,
      label: `Item ${item.id} (priority ${item.priorityRank}) of the ${item.cycle} list`,
      date: firstDayOf(item.cycle),
      partyId: null,
      packageId: null,
      contributionId: null,
      currency: 'USD',
      restricted: { kind: 'requirement_item' as const, itemId: item.id },
    };
    const cell = { cycle: item.cycle, area: item.capabilityArea };
    cells.push({
      measure: 'requested',
      ...cell,
      record: {
        ...base,
        amountMinor: BigInt(item.requestedQuantity) * item.estimatedUnitCostMinor,
        quantity: item.requestedQuantity,
      },
    });
    if (item.approvedQuantity !== null && item.approvedQuantity > 0) {
      cells.push({
        measure: 'approved',
        ...cell,
        record: {
          ...base,
          amountMinor: BigInt(item.approvedQuantity) * item.estimatedUnitCostMinor,
          quantity: item.approvedQuantity,
        },
      });
    }
  }
  return cells;
}

/** An allocated record and the (cycle, area) groups of its package it is split over. */
interface FundedSplit {
  allocation: SourceRecord;
  groups: { cycle: string; area: string }[];
  /** The groups' line values (a package of lines priced 0: 1 each). */
  weights: bigint[];
}

/**
 * Packaged line values, and each allocated record with the (cycle, area) groups of its package
 * it is split over by their line value.
 */
async function packageRecords(tx: Tx): Promise<{ cells: CellRecord[]; splits: FundedSplit[] }> {
  const { cells, groups, weightsOf } = await packageGroups(tx);
  const splits: FundedSplit[] = [];
  for (const allocation of await loadStageRecords(tx, 'allocated')) {
    const list = groups.get(allocation.packageId ?? -1n);
    if (!list) continue; // a package without lines has no area to count against
    splits.push({ allocation, groups: list, weights: weightsOf.get(allocation.packageId!)! });
  }
  return { cells, splits };
}

/** Packaged line values, and each package's (cycle, area) groups with their weights. */
async function packageGroups(tx: Tx): Promise<{
  cells: CellRecord[];
  groups: Map<bigint, { cycle: string; area: string; valueMinor: bigint }[]>;
  weightsOf: Map<bigint, bigint[]>;
}> {
  const lines = await listPackageLines(tx);
  const cells = lines.map((line): CellRecord => ({
    measure: 'packaged',
    cycle: line.cycle,
    area: line.capabilityArea,
    record: {
      kind: 'package_line',
      id: line.id,
      label: `Line ${line.id} of ${line.packageNumber}`,
      date: firstDayOf(line.cycle),
      partyId: null,
      packageId: line.packageId,
      contributionId: null,
      amountMinor: BigInt(line.quantity) * line.unitPriceMinor,
      currency: line.currency,
      quantity: line.quantity,
      restricted: { kind: 'package', packageId: line.packageId },
    },
  }));
  return { cells, ...groupsOfLines(lines) };
}

/**
 * Each package's (cycle, area) groups in order, with their line value (quantity × unit price),
 * and their weights: the groups' line values; a package of lines priced 0 is split evenly.
 */
function groupsOfLines(lines: readonly PackageLineValueRow[]): {
  groups: Map<bigint, { cycle: string; area: string; valueMinor: bigint }[]>;
  weightsOf: Map<bigint, bigint[]>;
} {
  const groups = new Map<bigint, { cycle: string; area: string; valueMinor: bigint }[]>();
  for (const line of lines) {
    const valueMinor = BigInt(line.quantity) * line.unitPriceMinor;
    let list = groups.get(line.packageId);
    if (!list) groups.set(line.packageId, (list = []));
    const group = list.find((g) => g.cycle === line.cycle && g.area === line.capabilityArea);
    if (group) group.valueMinor += valueMinor;
    else list.push({ cycle: line.cycle, area: line.capabilityArea, valueMinor });
  }
  for (const list of groups.values()) {
    list.sort((a, b) => a.cycle.localeCompare(b.cycle) || a.area.localeCompare(b.area));
  }
  const weightsOf = new Map(
    [...groups].map(([id, list]) => [
      id,
      list.some((g) => g.valueMinor > 0n) ? list.map((g) => g.valueMinor) : list.map(() => 1n),
    ]),
  );
  return { groups, weightsOf };
}

/**
 * Each split as one `funded` record per group of non-zero weight (a `share` of the whole), made
 * on the fly each time the result is iterated (half a million at scale: never all held).
 */
function shareCells(splits: readonly FundedSplit[]): Iterable<CellRecord> {
  return lazily(function* () {
    for (const { allocation, groups, weights } of splits) {
      const whole = `${allocation.amountMinor < 0n ? 'surplus' : 'allocation'}:${allocation.id}`;
      // Every share reads the allocation's fields through its prototype (no copy per share).
      const base: SourceRecord = {
        ...allocation,
        restricted: { kind: 'package', packageId: allocation.packageId! },
      };
      for (let index = 0; index < groups.length; index++) {
        if (weights[index] === 0n) continue;
        const group = groups[index]!;
        const record = Object.create(base) as SourceRecord;
        // The label is made only for a listed record (figures.ts drillDown).
        record.share = { whole, weights, index, group: `${group.cycle} ${group.area}` };
        yield { measure: 'funded', cycle: group.cycle, area: group.area, record };
      }
    }
  });
}

async function deliveredRecords(tx: Tx): Promise<CellRecord[]> {
  return (await listReceiptValues(tx)).map((row) => ({
    measure: 'delivered',
    cycle: row.cycle,
    area: row.capabilityArea,
    record: receiptRecord(row),
  }));
}

/**
 * A record of coverage's figures, slim: its amount and day, and the cells it counts in — one
 * cell (an item's requested or approved value, a line's packaged value, a receipt's delivered
 * value), or an allocation's groups, converted whole and split by their weights.
 */
interface FigureRecord {
  measure: CoverageMeasure;
  currency: string;
  date: string;
  amountMinor: bigint;
  cells: readonly { cycle: string; area: string }[];
  /** A funded record's groups' weights (null: one cell). */
  weights: readonly bigint[] | null;
  /** A funded record's package (its shares fold for a reader who may not see it). */
  packageId: bigint | null;
  /** Its key (`keyOf`), once made; the records of one package's funding share theirs. */
  key?: string;
}

/**
 * A record's measure and the cells it counts in (those of non-zero weight), as one key: a
 * figure or drill-down of some cycles (and an area) counts the record — in its converter's scope
 * and its basis's conversions — when one of them is among them (`keyMatches`).
 */
function keyOf(record: FigureRecord): string {
  if (record.key !== undefined) return record.key;
  const cells = record.cells
    .filter((_, i) => record.weights === null || record.weights[i] !== 0n)
    .map((c) => `${c.cycle}:${c.area}`);
  return (record.key = `${record.measure}|${[...new Set(cells)].sort().join(';')}`);
}

/** Which records a figure or drill-down counts: of these measures, cycles and area. */
interface Selection {
  measures: ReadonlySet<CoverageMeasure>;
  range: MonthRange;
  area?: string | undefined;
}

function cellMatches(cell: { cycle: string; area: string }, selection: Selection): boolean {
  return (
    inMonthRange(cell.cycle, selection.range) &&
    (selection.area === undefined || cell.area === selection.area)
  );
}

/** Whether a record of this key (`keyOf`) counts in the selection. */
function keyMatches(key: string, selection: Selection): boolean {
  const bar = key.indexOf('|');
  if (!selection.measures.has(key.slice(0, bar) as CoverageMeasure)) return false;
  const cells = key.slice(bar + 1);
  if (cells === '') return false;
  return cells.split(';').some((c) => {
    const [cycle, area] = c.split(':') as [string, string];
    return cellMatches({ cycle, area }, selection);
  });
}

/** A cell's sums and record counts (a funded share counts as one record). */
interface CoverageCell {
  cycle: string;
  area: string;
  sums: Record<CoverageMeasure, bigint>;
  records: Record<CoverageMeasure, number>;
}

/** Funding shares of one package in one cell, folded as a drill-down folds them. */
interface ShareFold {
  currency: string;
  originalMinor: bigint;
  amountMinor: bigint;
  /** The rate they share; '' when converted at different rates. */
  rate: string;
  count: number;
}

/** A part of coverage's figures (the items, or a chunk of packages), converted in one basis. */
interface PartConverted {
  /** Per cell (`cycle|area`): its sums. */
  cells: ReadonlyMap<string, CoverageCell>;
  /** Per record key (`keyOf`): the conversions its records took. */
  counts: ReadonlyMap<string, ConversionCounts>;
  /** Per measure: the conversions its records took (a figure of every cell counts them all). */
  countsByMeasure: ReadonlyMap<CoverageMeasure, ConversionCounts>;
  /** Per package, per cell (`cycle|area`): its funding shares folded. */
  shares: ReadonlyMap<bigint, ReadonlyMap<string, ShareFold>>;
  /** Per package funded: the groups its funding is split over, and their weights. */
  groups: ReadonlyMap<bigint, PackageGroups>;
}

/** A package's (cycle, area) groups and their weights (`groupsOfLines`). */
interface PackageGroups {
  cells: readonly { cycle: string; area: string }[];
  weights: readonly bigint[];
}

/** The currencies and earliest day of some records. */
interface Scope {
  currencies: ReadonlySet<string>;
  from: string;
}

/** What coverage keeps of a part: its records' scopes, and their figures per basis. */
interface CoveragePart {
  /** Per record key: the currencies and earliest day of its records. */
  scopes: ReadonlyMap<string, Scope>;
  /** Per measure: the currencies and earliest day of its records. */
  scopeByMeasure: ReadonlyMap<CoverageMeasure, Scope>;
  /** Per reporting basis (`Reporting.cacheKey`). */
  converted: Map<string, PartConverted>;
}

/** Requirement items' requested and approved values, as figure records, up to `asOf`. */
async function itemFigureRecords(tx: Tx, asOf: string): Promise<FigureRecord[]> {
  return (await itemRecords(tx))
    .filter((c) => c.record.date <= asOf)
    .map((c) => ({
      measure: c.measure,
      currency: c.record.currency,
      date: c.record.date,
      amountMinor: c.record.amountMinor,
      cells: [{ cycle: c.cycle, area: c.area }],
      weights: null,
      packageId: null,
    }));
}

/** A chunk of packages' lines and receipts as figure records, and each package's groups. */
interface LineRecords {
  records: FigureRecord[];
  /** Per package with lines: the groups its funding is split over (`groupsOfLines`). */
  groups: Map<bigint, PackageGroups>;
}

/**
 * The lines' packaged value and the receipts' delivered value of the packages of the chunks
 * `only` (all when absent), up to `asOf`, by chunk — with each package's (cycle, area) groups
 * and weights, which its funding shares are split by.
 */
async function lineFigureRecords(
  tx: Tx,
  asOf: string,
  only: readonly number[] | undefined,
): Promise<Map<number, LineRecords>> {
  const byChunk = new Map<number, LineRecords>();
  const chunkOf = (chunk: number) => {
    let found = byChunk.get(chunk);
    if (!found) byChunk.set(chunk, (found = { records: [], groups: new Map() }));
    return found;
  };
  const lines = await listPackageLines(tx, only);
  const { groups, weightsOf } = groupsOfLines(lines);
  for (const line of lines) {
    const part = chunkOf(line.chunk);
    if (!part.groups.has(line.packageId)) {
      part.groups.set(line.packageId, {
        cells: groups.get(line.packageId)!,
        weights: weightsOf.get(line.packageId)!,
      });
    }
    const date = firstDayOf(line.cycle);
    if (date > asOf) continue;
    part.records.push({
      measure: 'packaged',
      currency: line.currency,
      date,
      amountMinor: BigInt(line.quantity) * line.unitPriceMinor,
      cells: [{ cycle: line.cycle, area: line.capabilityArea }],
      weights: null,
      packageId: null,
    });
  }
  for (const row of await listReceiptValues(tx, only)) {
    if (row.valueDate > asOf) continue;
    chunkOf(row.chunk).records.push({
      measure: 'delivered',
      currency: row.currency,
      date: row.valueDate,
      amountMinor: BigInt(row.quantity) * row.unitPriceMinor,
      cells: [{ cycle: row.cycle, area: row.capabilityArea }],
      weights: null,
      packageId: null,
    });
  }
  return byChunk;
}

/**
 * The allocations' funding of the packages of the chunks `only` (all when absent), up to
 * `asOf`, by chunk: each allocation split over its package's groups (`groupsOf`; a package
 * without lines has none, and no area to count against).
 */
async function fundedFigureRecords(
  tx: Tx,
  asOf: string,
  only: readonly number[] | undefined,
  groupsOf: (packageId: bigint) => PackageGroups | undefined,
): Promise<Map<number, FigureRecord[]>> {
  const byChunk = new Map<number, FigureRecord[]>();
  const fundedKeys = new Map<bigint, string>();
  for (const a of await listAllocatedAmounts(tx, asOf, only)) {
    const groups = groupsOf(a.packageId);
    if (!groups) continue;
    const record: FigureRecord = {
      measure: 'funded',
      currency: a.currency,
      date: a.valueDate,
      amountMinor: a.amountMinor,
      cells: groups.cells,
      weights: groups.weights,
      packageId: a.packageId,
    };
    // One key for a package's records (the same cells and weights).
    record.key = fundedKeys.get(a.packageId) ?? keyOf(record);
    fundedKeys.set(a.packageId, record.key);
    const list = byChunk.get(a.chunk);
    if (list) list.push(record);
    else byChunk.set(a.chunk, [record]);
  }
  return byChunk;
}

/** A part's records' scopes, per record key and per measure. */
function scopesOf(
  records: readonly FigureRecord[],
): Pick<CoveragePart, 'scopes' | 'scopeByMeasure'> {
  const scopes = new Map<string, { currencies: Set<string>; from: string }>();
  const byMeasure = new Map<string, { currencies: Set<string>; from: string }>();
  const widen = (map: typeof scopes, key: string, r: FigureRecord) => {
    const scope = map.get(key);
    if (!scope) {
      map.set(key, { currencies: new Set([r.currency]), from: r.date });
      return;
    }
    scope.currencies.add(r.currency);
    if (r.date < scope.from) scope.from = r.date;
  };
  for (const r of records) {
    widen(scopes, keyOf(r), r);
    widen(byMeasure, r.measure, r);
  }
  return { scopes, scopeByMeasure: byMeasure as Map<CoverageMeasure, Scope> };
}

/**
 * A part's records converted by `converter` and summed per cell (each allocation converted
 * whole and split once over its groups), with the conversions each record key took and the
 * funding shares folded per package and cell.
 */
function convertPart(converter: Reporting, records: readonly FigureRecord[]): PartConverted {
  const cells = new Map<string, CoverageCell>();
  const cellOf = (cell: { cycle: string; area: string }, id = `${cell.cycle}|${cell.area}`) => {
    let found = cells.get(id);
    if (!found) {
      cells.set(
        id,
        (found = { cycle: cell.cycle, area: cell.area, sums: zeroSums(), records: zeroCounts() }),
      );
    }
    return found;
  };
  const shares = new Map<bigint, Map<string, ShareFold>>();
  const groups = new Map<bigint, PackageGroups>();
  const prepared = new Map<
    readonly bigint[],
    { split: (totalMinor: bigint) => bigint[]; ids: string[] }
  >();
  const byKey = new Map<string, FigureRecord[]>();
  for (const r of records) {
    const key = keyOf(r);
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  }
  const counts = new Map<string, ConversionCounts>();
  for (const [key, list] of byKey) {
    const before = conversionsOf(converter);
    for (const r of list) {
      const whole = converter.convert(r.amountMinor, r.currency, r.date);
      if (r.weights === null) {
        const cell = cellOf(r.cells[0]!);
        cell.sums[r.measure] += whole.amountMinor;
        cell.records[r.measure] += 1;
        continue;
      }
      // A package's records share their cells and weights: split and named once per package.
      let group = prepared.get(r.weights);
      if (!group) {
        group = {
          split: weightedSplitter(r.weights),
          ids: r.cells.map((c) => `${c.cycle}|${c.area}`),
        };
        prepared.set(r.weights, group);
      }
      const parts = group.split(whole.amountMinor);
      const originals = group.split(r.amountMinor);
      let folds = shares.get(r.packageId!);
      if (!folds) {
        shares.set(r.packageId!, (folds = new Map()));
        groups.set(r.packageId!, { cells: r.cells, weights: r.weights });
      }
      for (let index = 0; index < r.cells.length; index++) {
        if (r.weights[index] === 0n) continue;
        const id = group.ids[index]!;
        const cell = cellOf(r.cells[index]!, id);
        cell.sums.funded += parts[index]!;
        cell.records.funded += 1;
        const fold = folds.get(id);
        if (!fold) {
          folds.set(id, {
            currency: r.currency,
            originalMinor: originals[index]!,
            amountMinor: parts[index]!,
            rate: whole.rate,
            count: 1,
          });
          continue;
        }
        assert(fold.currency === r.currency, 'a package is funded in its own currency');
        fold.originalMinor += originals[index]!;
        fold.amountMinor += parts[index]!;
        fold.count += 1;
        if (fold.rate !== whole.rate) fold.rate = '';
      }
    }
    const after = conversionsOf(converter);
    counts.set(key, {
      conversions: after.conversions - before.conversions,
      fellBack: after.fellBack - before.fellBack,
      afterLastRate: after.afterLastRate - before.afterLastRate,
    });
  }
  const countsByMeasure = new Map<CoverageMeasure, ConversionCounts>();
  for (const [key, c] of counts) {
    const measure = key.slice(0, key.indexOf('|')) as CoverageMeasure;
    const sum = countsByMeasure.get(measure) ?? { conversions: 0, fellBack: 0, afterLastRate: 0 };
    countsByMeasure.set(measure, {
      conversions: sum.conversions + c.conversions,
      fellBack: sum.fellBack + c.fellBack,
      afterLastRate: sum.afterLastRate + c.afterLastRate,
    });
  }
  return { cells, counts, countsByMeasure, shares, groups };
}

function conversionsOf(reporting: Reporting): ConversionCounts {
  const { conversions, fellBack, afterLastRate } = reporting.basis();
  return { conversions, fellBack, afterLastRate };
}

/**
 * The tables coverage's parts read besides the chunks' revisions. The items: their lists. A
 * chunk's lines and receipts (kept under its packages' shape, `package_shape`: migration 0028):
 * the lines and their items' lists, receipts and their discrepancies. A chunk's funding shares
 * (kept under its packages' revision, and so its allocations', whose every write updates its
 * package's row: migration 0027): the lines and items' lists that weigh them. The surplus
 * returns' ledger transfers are posted by the transaction that closes their package.
 */
const COVERAGE_ITEM_TABLES = ['requirement_item', 'requirement_list'] as const;
const COVERAGE_LINE_TABLES = [
  'package_line',
  'requirement_item',
  'requirement_list',
  'receipt',
  'discrepancy',
] as const;
const COVERAGE_FUNDED_TABLES = ['package_line', 'requirement_item', 'requirement_list'] as const;

/** What coverage keeps of a chunk's lines and receipts: the part, and its packages' groups. */
interface LinesPart extends CoveragePart {
  groups: ReadonlyMap<bigint, PackageGroups>;
}

/**
 * Coverage's records up to `asOf`, converted and summed per part — the items as one part, and
 * per chunk of packages its lines and receipts as one and its funding shares as another, kept
 * under their revisions and tables' versions, per basis: after an allocation only its chunk's
 * allocations are read and converted again — and the reporting basis of the records
 * `selection` selects (only the parts of the measures selected are read). Every part is
 * converted by a converter of the same basis, and its conversions counted in the returned basis
 * only for the records selected, so a kept figure and a fresh one are the same, conversions
 * counted the same (tests/analytics/stage-memo).
 */
async function selectParts(
  tx: Tx,
  context: AnalysisContext,
  selection: Selection,
): Promise<{ reporting: Reporting; parts: PartConverted[] }> {
  const { asOf } = context.options;
  /** A part: where it is kept (null: not kept), what is kept of it, its records when read. */
  interface Part {
    kind: 'items' | 'lines' | 'funded';
    keyed: KeptChunk | null;
    kept: CoveragePart | undefined;
    records: FigureRecord[] | null;
    scoped: Pick<CoveragePart, 'scopes' | 'scopeByMeasure'>;
  }
  const parts: Part[] = [];
  /** A part kept, or read now (and kept at once, converted in no basis yet). */
  const partOf = (
    kind: Part['kind'],
    keyed: KeptChunk | null,
    read: FigureRecord[] | null,
    extra: object = {},
  ): Part => {
    const found = keyed === null ? undefined : keptChunkValue<CoveragePart>(keyed);
    if (found || read === null) {
      return { kind, keyed, kept: found, records: read, scoped: found ?? scopesOf([]) };
    }
    const scoped = scopesOf(read);
    const kept = keyed === null ? undefined : { ...scoped, converted: new Map(), ...extra };
    if (keyed !== null) keepChunkValue(keyed, kept);
    return { kind, keyed, kept, records: read, scoped };
  };
  const { measures } = selection;
  // The items (requested and approved values, when selected): one part, kept under their
  // tables' versions.
  if (measures.has('requested') || measures.has('approved')) {
    const items = await keptWhole(tx, context, `coverage-items:${asOf}`, COVERAGE_ITEM_TABLES);
    parts.push(
      items !== null && keptChunkValue(items) !== undefined
        ? partOf('items', items, null)
        : partOf('items', items, await itemFigureRecords(tx, asOf)),
    );
  }
  // The packages, per chunk: lines and receipts (packaged and delivered values) under the
  // chunk's shape; funding shares under its revision, split by the groups of its lines.
  const withLines = measures.has('packaged') || measures.has('delivered');
  const withFunded = measures.has('funded');
  /** Per chunk: its packages' groups, from its lines part kept or read. */
  const groupsByChunk = new Map<number, ReadonlyMap<bigint, PackageGroups>>();
  /** The groups of these chunks, those not known yet read (not kept: only their groups used). */
  const groupsOf = async (chunks: readonly number[]) => {
    const lacking = chunks.filter((c) => !groupsByChunk.has(c));
    if (lacking.length > 0) {
      const read = await lineFigureRecords(
        tx,
        asOf,
        chunksToName(lacking.map((chunk) => ({ chunk }))),
      );
      for (const c of lacking) groupsByChunk.set(c, read.get(c)?.groups ?? new Map());
    }
    return (packageId: bigint) =>
      groupsByChunk.get(Number(packageId >> BigInt(CHUNK_BITS.package)))?.get(packageId);
  };
  const lineChunks =
    withLines || withFunded
      ? await keptChunks(
          tx,
          context,
          `coverage-lines:${asOf}`,
          'package_shape',
          COVERAGE_LINE_TABLES,
        )
      : [];
  const fundedChunks = withFunded
    ? await keptChunks(tx, context, `coverage-funded:${asOf}`, 'package', COVERAGE_FUNDED_TABLES)
    : [];
  if (lineChunks === null || fundedChunks === null) {
    // Nothing kept (no database id): every chunk read.
    const lines = await lineFigureRecords(tx, asOf, undefined);
    for (const [chunk, l] of lines) {
      groupsByChunk.set(chunk, l.groups);
      if (withLines) parts.push(partOf('lines', null, l.records));
    }
    if (withFunded) {
      const funded = await fundedFigureRecords(tx, asOf, undefined, await groupsOf([]));
      for (const records of funded.values()) parts.push(partOf('funded', null, records));
    }
  } else {
    const fundedMissing = fundedChunks.filter((c) => keptChunkValue(c) === undefined);
    const fundedMissingChunks = new Set(fundedMissing.map((c) => c.chunk));
    // Lines not kept: of every chunk when selected, else of the chunks whose funding is read.
    const linesMissing = lineChunks.filter(
      (c) => keptChunkValue(c) === undefined && (withLines || fundedMissingChunks.has(c.chunk)),
    );
    const linesRead =
      linesMissing.length === 0
        ? new Map<number, LineRecords>()
        : await lineFigureRecords(tx, asOf, chunksToName(linesMissing, lineChunks.length));
    const missing = new Set(linesMissing);
    for (const c of lineChunks) {
      const kept = keptChunkValue<LinesPart>(c);
      if (kept === undefined && !missing.has(c)) continue;
      const read = kept
        ? undefined
        : (linesRead.get(c.chunk) ?? { records: [], groups: new Map() });
      groupsByChunk.set(c.chunk, kept?.groups ?? read!.groups);
      const part = partOf('lines', c, read?.records ?? null, read && { groups: read.groups });
      if (withLines) parts.push(part);
    }
    const fundedRead =
      fundedMissing.length === 0
        ? new Map<number, FigureRecord[]>()
        : await fundedFigureRecords(
            tx,
            asOf,
            chunksToName(fundedMissing, fundedChunks.length),
            await groupsOf([...fundedMissingChunks]),
          );
    for (const c of fundedChunks) {
      parts.push(
        keptChunkValue(c) !== undefined
          ? partOf('funded', c, null)
          : partOf('funded', c, fundedRead.get(c.chunk) ?? []),
      );
    }
  }
  // Whether a record key is selected, worked out once per key (the parts share most keys).
  const decided = new Map<string, boolean>();
  const selected = (key: string) => {
    let yes = decided.get(key);
    if (yes === undefined) decided.set(key, (yes = keyMatches(key, selection)));
    return yes;
  };
  // Every cell (a whole figure, or the whole of a measure): each part's records per measure.
  const everyCell =
    selection.range.from === null && selection.range.to === null && selection.area === undefined;
  // The analysis's basis: the currencies and days of the records it selects.
  const scope: { currency: string; date: string }[] = [];
  const addScope = (s: Scope) => {
    for (const currency of s.currencies) scope.push({ currency, date: s.from });
  };
  for (const part of parts) {
    if (everyCell) {
      for (const m of selection.measures) {
        const s = part.scoped.scopeByMeasure.get(m);
        if (s) addScope(s);
      }
      continue;
    }
    for (const [key, s] of part.scoped.scopes) if (selected(key)) addScope(s);
  }
  const reporting = await openFor(tx, context, scope);
  const basis = reporting.cacheKey;
  // Parts not converted in this basis yet: their records (read again for a part kept in another
  // basis only), converted by one converter of the same basis over all their records — whose
  // conversions are counted below, for the records selected only.
  const toConvert = parts.filter((p) => p.kept?.converted.get(basis) === undefined);
  const unread = toConvert.filter((p) => p.records === null);
  const unreadOf = (kind: Part['kind']) => unread.filter((p) => p.kind === kind);
  const chunksOf = (list: readonly Part[]) => chunksToName(list.map((p) => p.keyed!));
  for (const p of unreadOf('items')) p.records = await itemFigureRecords(tx, asOf);
  const unreadLines = unreadOf('lines');
  if (unreadLines.length > 0) {
    const read = await lineFigureRecords(tx, asOf, chunksOf(unreadLines));
    for (const p of unreadLines) p.records = read.get(p.keyed!.chunk)?.records ?? [];
  }
  const unreadFunded = unreadOf('funded');
  if (unreadFunded.length > 0) {
    const only = chunksOf(unreadFunded);
    const read = await fundedFigureRecords(
      tx,
      asOf,
      only,
      await groupsOf(unreadFunded.map((p) => p.keyed!.chunk)),
    );
    for (const p of unreadFunded) p.records = read.get(p.keyed!.chunk) ?? [];
  }
  const converted = new Map<Part, PartConverted>();
  // Every record selected (a whole figure): they are converted by the analysis's converter,
  // whose scope is theirs, and so counted as they are converted.
  const direct = everyCell && selection.measures.size === COVERAGE_MEASURES.length;
  if (toConvert.length > 0) {
    const converter = direct
      ? reporting
      : await openFor(
          tx,
          context,
          toConvert.flatMap((p) => p.records!),
        );
    assert(converter.cacheKey === basis, 'the converter is in the basis of the analysis');
    for (const part of toConvert) {
      const done = convertPart(converter, part.records!);
      converted.set(part, done);
      if (part.kept) keepInBasis(part.kept.converted, basis, done);
    }
  }
  // The conversions of the records selected counted in the basis.
  const all = parts.map((part) => converted.get(part) ?? part.kept!.converted.get(basis)!);
  for (const [index, done] of all.entries()) {
    if (direct && converted.has(parts[index]!)) continue; // counted as converted
    if (everyCell) {
      for (const m of selection.measures) {
        const counts = done.countsByMeasure.get(m);
        if (counts) reporting.tally(counts);
      }
      continue;
    }
    for (const [key, counts] of done.counts) {
      if (selected(key)) reporting.tally(counts);
    }
  }
  return { reporting, parts: all };
}

/** Coverage's cells of the range's cycles, added up over the parts (`selectParts`). */
async function coverageCells(
  tx: Tx,
  context: AnalysisContext,
  range: MonthRange,
): Promise<{ reporting: Reporting; cells: Map<string, CoverageCell> }> {
  const selection = { measures: new Set(COVERAGE_MEASURES), range };
  const { reporting, parts } = await selectParts(tx, context, selection);
  const cells = new Map<string, CoverageCell>();
  for (const done of parts) {
    for (const [id, cell] of done.cells) {
      if (!cellMatches(cell, selection)) continue;
      const sum = cells.get(id);
      if (!sum) {
        cells.set(id, { ...cell, sums: { ...cell.sums }, records: { ...cell.records } });
        continue;
      }
      for (const m of COVERAGE_MEASURES) {
        sum.sums[m] += cell.sums[m];
        sum.records[m] += cell.records[m];
      }
    }
  }
  return { reporting, cells };
}

/** The records of one measure up to `asOf` within `range` (a drill-down: funded as shares). */
async function loadMeasureCells(
  tx: Tx,
  measure: CoverageMeasure,
  asOf: string,
  range: MonthRange,
  area: string | undefined,
): Promise<{ cells: Iterable<CellRecord>; scope: Iterable<{ currency: string; date: string }> }> {
  const keep = (c: { cycle: string; area: string; record: { date: string } }) =>
    c.record.date <= asOf &&
    inMonthRange(c.cycle, range) &&
    (area === undefined || c.area === area);
  const listed = (cells: CellRecord[]) => {
    const kept = cells.filter(keep);
    return { cells: kept, scope: kept.map((c) => c.record) };
  };
  switch (measure) {
    case 'requested':
    case 'approved':
      return listed((await itemRecords(tx)).filter((c) => c.measure === measure));
    case 'delivered':
      return listed(await deliveredRecords(tx));
    case 'packaged':
      return listed((await packageGroups(tx)).cells);
    case 'funded': {
      const { splits } = await packageRecords(tx);
      const shares = shareCells(splits);
      // The converter's scope: each allocation with a kept share (its currency and day), read
      // from the splits without making the shares.
      const scope = splits
        .filter((s) =>
          s.groups.some(
            (group, i) =>
              s.weights[i] !== 0n && keep({ ...group, record: { date: s.allocation.date } }),
          ),
        )
        .map((s) => s.allocation);
      return {
        cells: lazily(function* () {
          for (const c of shares) if (keep(c)) yield c;
        }),
        scope,
      };
    }
  }
}

function figuresOf(
  sums: Record<CoverageMeasure, bigint>,
  keyOf: (measure: CoverageMeasure) => string,
): CoverageFigures {
  return {
    requestedMinor: sums.requested,
    approvedMinor: sums.approved,
    packagedMinor: sums.packaged,
    fundedMinor: sums.funded,
    deliveredMinor: sums.delivered,
    percentFunded: percentText(sums.funded, sums.approved),
    figures: Object.fromEntries(COVERAGE_MEASURES.map((m) => [m, keyOf(m)])) as Record<
      CoverageMeasure,
      string
    >,
  };
}

const zeroCounts = (): Record<CoverageMeasure, number> => ({
  requested: 0,
  approved: 0,
  packaged: 0,
  funded: 0,
  delivered: 0,
});

const zeroSums = (): Record<CoverageMeasure, bigint> => ({
  requested: 0n,
  approved: 0n,
  packaged: 0n,
  funded: 0n,
  delivered: 0n,
});

export async function getCoverage(
  database: Database,
  actor: Actor,
  options: CoverageOptions,
): Promise<Coverage> {
  return runAnalysis(
    database,
    actor,
    options,
    async (tx, context) => {
      const range = checkRange(options);
      const { reporting, cells: byCell } = await coverageCells(tx, context, range);
      const totals = zeroSums();
      for (const cell of byCell.values()) {
        for (const m of COVERAGE_MEASURES) totals[m] += cell.sums[m];
      }
      const areas = await listCapabilityAreaNames(tx);
      const order = new Map(areas.map((a, i) => [a.id, i]));
      const names = new Map(areas.map((a) => [a.id, a]));
      const rows = [...byCell.values()]
        .sort(
          (a, b) =>
            a.cycle.localeCompare(b.cycle) ||
            (order.get(a.area) ?? 0) - (order.get(b.area) ?? 0) ||
            a.area.localeCompare(b.area),
        )
        .map((cell): CoverageRow => {
          const area = names.get(cell.area);
          return {
            cycle: cell.cycle,
            capabilityArea: cell.area,
            areaNames: {
              en: area?.en ?? cell.area,
              fr: area?.fr ?? cell.area,
              uk: area?.uk ?? cell.area,
            },
            ...figuresOf(cell.sums, (m) => figureKey('coverage', m, cell.cycle, cell.area)),
          };
        });
      const rangeDims = range.from === null && range.to === null ? [] : [monthRangeText(range)];
      return {
        basis: reporting.basis(),
        cycleFrom: range.from,
        cycleTo: range.to,
        rows,
        totals: figuresOf(totals, (m) => figureKey('coverage', m, ...rangeDims)),
      };
    },
    {
      analysis: 'coverage',
      inputs: [options.cycleFrom, options.cycleTo],
      unaffectedBy: CONTRIBUTION_SIDE_TABLES,
    },
  );
}

/** `coverage.<measure>[:<cycle>[:<area>] | :<from>_<to>]`. */
export async function drillCoverage(
  tx: Tx,
  context: AnalysisContext,
  key: ParsedFigureKey,
): Promise<DrillDown> {
  const { measure, range, area } = parseCoverageKey(key);
  if (measure === 'funded') {
    return drillFunded(tx, context, figureKey('coverage', measure, ...key.dimensions), {
      measures: new Set(['funded']),
      range,
      area,
    });
  }
  return drillCoverageRecords(tx, context, key);
}

/**
 * A coverage drill-down made record by record: every record of the figure made, converted and
 * listed by `drillDown` — the definition the funding shares' drill-down (`drillFunded`) is
 * tested against.
 */
export async function drillCoverageRecords(
  tx: Tx,
  context: AnalysisContext,
  key: ParsedFigureKey,
): Promise<DrillDown> {
  const { measure, range, area } = parseCoverageKey(key);
  const { cells, scope } = await loadMeasureCells(tx, measure, context.options.asOf, range, area);
  const records = lazily(function* () {
    for (const c of cells) yield c.record;
  });
  const reporting = await openFor(tx, context, scope);
  const visibility = await visibilityFor(tx, context);
  return drillDown(
    reporting,
    figureKey('coverage', measure, ...key.dimensions),
    records,
    visibility,
  );
}

/** `coverage.<measure>[:<cycle>[:<area>] | :<from>_<to>]`, checked. */
function parseCoverageKey(key: ParsedFigureKey): {
  measure: CoverageMeasure;
  range: MonthRange;
  area: string | undefined;
} {
  const measure = COVERAGE_MEASURES.find((m) => m === key.measure);
  if (!measure) {
    throw badFigure(
      key,
      `is not a coverage figure: the measures are ${COVERAGE_MEASURES.join(', ')}.`,
    );
  }
  const [first, area, ...rest] = key.dimensions;
  const range: MonthRange | undefined =
    first === undefined ? { from: null, to: null } : parseMonthRange(first);
  const oneCycle = range !== undefined && range.from !== null && range.from === range.to;
  if (
    !range ||
    rest.length > 0 ||
    (area !== undefined && (!oneCycle || !/^[a-z_]{1,64}$/.test(area)))
  ) {
    throw badFigure(
      key,
      'takes a cycle and a capability area (coverage.funded:2025-08:air_defence), a cycle, or a range of cycles (2025-06_2025-09).',
    );
  }
  return { measure, range, area };
}

/** Allocations read per page when listing a drill-down's funding shares. */
const SHARES_PAGE_ALLOCATIONS = 2_000;

/**
 * The drill-down of funding shares without making every share: the total, the records counted
 * and the shares of packages the reader may not see (folded per currency) from the kept parts
 * (`selectParts`: each allocation converted whole and split, as `drillDown` converts a share);
 * only the shares listed made — the first `LIMITS.drillRecordsMax` by date, then allocation
 * (the allocation before its surplus), then group, as `drillDown` orders them — from the
 * allocations of the packages the reader may see, read page by page in that order. The basis
 * counts each allocation with a share in the figure once, as `drillDown`'s does.
 */
async function drillFunded(
  tx: Tx,
  context: AnalysisContext,
  figure: string,
  selection: Selection,
): Promise<DrillDown> {
  const { reporting, parts } = await selectParts(tx, context, selection);
  const visibility = await visibilityFor(tx, context);
  let totalMinor = 0n;
  let shares = 0;
  const hidden = new RedactedFold();
  let hiddenShares = 0;
  /** The packages with funding shares. */
  const funded: bigint[] = [];
  for (const part of parts) {
    for (const cell of part.cells.values()) {
      if (!cellMatches(cell, selection)) continue;
      totalMinor += cell.sums.funded;
      shares += cell.records.funded;
    }
    for (const [packageId, folds] of part.shares) {
      funded.push(packageId);
      if (visibility.seesPackage(packageId)) continue;
      for (const [id, fold] of folds) {
        const [cycle, area] = id.split('|') as [string, string];
        if (!cellMatches({ cycle, area }, selection)) continue;
        hidden.add(fold.currency, fold.originalMinor, fold.amountMinor, fold.rate, fold.count);
        hiddenShares += fold.count;
      }
    }
  }
  const folded = hidden.records();
  const max = LIMITS.drillRecordsMax;
  // The packages whose shares are listed: those seen, or all but those hidden when fewer.
  const seen = visibility.packagesSeen();
  const hiddenPackages =
    seen === null ? [] : [...funded].filter((id) => !visibility.seesPackage(id));
  const packages =
    seen === null || hiddenPackages.length < seen.length
      ? { exceptPackageIds: hiddenPackages }
      : { packageIds: seen };
  const groupsOf = new Map<bigint, PackageGroups>();
  for (const part of parts) for (const [id, g] of part.groups) groupsOf.set(id, g);
  const listed = await listShares(
    tx,
    context.options.asOf,
    reporting,
    packages,
    groupsOf,
    selection,
    Math.max(0, max - folded.length),
  );
  return {
    basis: reporting.basis(),
    figure,
    totalMinor,
    truncated: folded.length + (shares - hiddenShares) > max,
    records: [...folded, ...listed].slice(0, max),
  };
}

/** The first `room` funding shares selected of these packages, in the drill-down's order. */
async function listShares(
  tx: Tx,
  asOf: string,
  reporting: Reporting,
  packages: Pick<AllocationPage, 'packageIds' | 'exceptPackageIds'>,
  /** Each funded package's groups (those of the figure's parts: its records up to `asOf`). */
  groupsOf: ReadonlyMap<bigint, PackageGroups>,
  selection: Selection,
  room: number,
): Promise<DrillRecord[]> {
  const listed: DrillRecord[] = [];
  let after: AllocationPage['after'];
  // Each allocation selected gives at least one share: a page need not be longer than the room.
  const limit = Math.max(1, Math.min(SHARES_PAGE_ALLOCATIONS, room));
  while (listed.length < room) {
    const page = await listAllocationAmounts(tx, {
      to: asOf,
      ...packages,
      after,
      limit,
    });
    if (page.length === 0) break;
    for (const a of page) {
      const funded = groupsOf.get(a.packageId);
      if (!funded) continue; // a package without lines has no area to count against
      const { cells: list, weights } = funded;
      const selected = list.filter((g, i) => weights[i] !== 0n && cellMatches(g, selection));
      if (selected.length === 0) continue; // not in the figure: not in its basis's scope
      // Converted again, counted once with the whole figure (`selectParts`).
      const whole = reporting.convert(a.amountMinor, a.currency, a.valueDate, 0);
      const parts = splitByWeights(whole.amountMinor, weights);
      const originals = splitByWeights(a.amountMinor, weights);
      const base = allocationRecord(a);
      list.forEach((group, index) => {
        if (weights[index] === 0n || !cellMatches(group, selection) || listed.length >= room) {
          return;
        }
        const share: SourceRecord = {
          ...base,
          restricted: { kind: 'package', packageId: a.packageId },
          share: {
            whole: `${a.amountMinor < 0n ? 'surplus' : 'allocation'}:${a.id}`,
            weights,
            index,
            group: `${group.cycle} ${group.area}`,
          },
        };
        listed.push(
          listedRecord(share, {
            originalAmountMinor: originals[index]!,
            amountMinor: parts[index]!,
            rate: whole.rate,
            rateDate: whole.rateDate,
          }),
        );
      });
      if (listed.length >= room) break;
    }
    if (page.length < limit) break;
    after = page.at(-1);
  }
  return listed;
}
