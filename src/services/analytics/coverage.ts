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
  type ParsedFigureKey,
} from '../../core/analytics.js';
import { DomainError } from '../../core/errors.js';
import { assert } from '../../core/errors.js';
import {
  listAllocatedAmounts,
  listCapabilityAreaNames,
  listPackageLines,
  listReceiptValues,
  listRequirementItems,
  type PackageLineValueRow,
} from '../../storage/analytics-repository.js';
import type { Database } from '../../storage/database.js';
import { splitByWeights } from '../../core/split.js';
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
  monthRangeText,
  openFor,
  parseMonthRange,
  runAnalysis,
  visibilityFor,
  type AnalysisContext,
  type MonthRange,
  type SourceRecord,
} from './figures.js';
import { loadStageRecords, receiptRecord } from './funnel.js';
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
}

/**
 * The cycles a record counts in, as one key: a range of cycles counts the record (in its
 * converter's scope and its basis's conversions) when one of them is in the range.
 */
function cyclesOf(record: FigureRecord): string {
  const cycles = record.cells
    .filter((_, i) => record.weights === null || record.weights[i] !== 0n)
    .map((c) => c.cycle);
  return [...new Set(cycles)].sort().join(',');
}

/** A cell's sums. */
interface CoverageCell {
  cycle: string;
  area: string;
  sums: Record<CoverageMeasure, bigint>;
}

/** A part of coverage's figures (the items, or a chunk of packages), converted in one basis. */
interface PartConverted {
  /** Per cell (`cycle|area`): its sums. */
  cells: ReadonlyMap<string, CoverageCell>;
  /** Per cycles key (`cyclesOf`): the conversions its records took. */
  counts: ReadonlyMap<string, ConversionCounts>;
}

/** What coverage keeps of a part: its records' scopes, and their figures per basis. */
interface CoveragePart {
  /** Per cycles key: the currencies and earliest day of its records. */
  scopes: ReadonlyMap<string, { currencies: ReadonlySet<string>; from: string }>;
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
    }));
}

/**
 * The figure records of the packages of the chunks `only` (all when absent), up to `asOf`, by
 * chunk: their lines' packaged value, receipts' delivered value and allocations' funding split
 * over the package's (cycle, area) groups.
 */
async function packageFigureRecords(
  tx: Tx,
  asOf: string,
  only: readonly number[] | undefined,
): Promise<Map<number, FigureRecord[]>> {
  const byChunk = new Map<number, FigureRecord[]>();
  const add = (chunk: number, record: FigureRecord) => {
    const list = byChunk.get(chunk);
    if (list) list.push(record);
    else byChunk.set(chunk, [record]);
  };
  const lines = await listPackageLines(tx, only);
  const { groups, weightsOf } = groupsOfLines(lines);
  for (const line of lines) {
    const date = firstDayOf(line.cycle);
    if (date > asOf) continue;
    add(line.chunk, {
      measure: 'packaged',
      currency: line.currency,
      date,
      amountMinor: BigInt(line.quantity) * line.unitPriceMinor,
      cells: [{ cycle: line.cycle, area: line.capabilityArea }],
      weights: null,
    });
  }
  for (const row of await listReceiptValues(tx, only)) {
    if (row.valueDate > asOf) continue;
    add(row.chunk, {
      measure: 'delivered',
      currency: row.currency,
      date: row.valueDate,
      amountMinor: BigInt(row.quantity) * row.unitPriceMinor,
      cells: [{ cycle: row.cycle, area: row.capabilityArea }],
      weights: null,
    });
  }
  for (const a of await listAllocatedAmounts(tx, asOf, only)) {
    const list = groups.get(a.packageId);
    if (!list) continue; // a package without lines has no area to count against
    add(a.chunk, {
      measure: 'funded',
      currency: a.currency,
      date: a.valueDate,
      amountMinor: a.amountMinor,
      cells: list,
      weights: weightsOf.get(a.packageId)!,
    });
  }
  return byChunk;
}

/** A part's records' scopes, per cycles key. */
function scopesOf(records: readonly FigureRecord[]): CoveragePart['scopes'] {
  const scopes = new Map<string, { currencies: Set<string>; from: string }>();
  for (const r of records) {
    const key = cyclesOf(r);
    const scope = scopes.get(key);
    if (!scope) scopes.set(key, { currencies: new Set([r.currency]), from: r.date });
    else {
      scope.currencies.add(r.currency);
      if (r.date < scope.from) scope.from = r.date;
    }
  }
  return scopes;
}

/**
 * A part's records converted by `converter` and summed per cell (each allocation converted
 * whole and split once over its groups), with the conversions each cycles key took.
 */
function convertPart(converter: Reporting, records: readonly FigureRecord[]): PartConverted {
  const cells = new Map<string, CoverageCell>();
  const cellOf = (cell: { cycle: string; area: string }) => {
    const id = `${cell.cycle}|${cell.area}`;
    let found = cells.get(id);
    if (!found) cells.set(id, (found = { cycle: cell.cycle, area: cell.area, sums: zeroSums() }));
    return found;
  };
  const byCycles = new Map<string, FigureRecord[]>();
  for (const r of records) {
    const key = cyclesOf(r);
    const list = byCycles.get(key);
    if (list) list.push(r);
    else byCycles.set(key, [r]);
  }
  const counts = new Map<string, ConversionCounts>();
  for (const [key, list] of byCycles) {
    const before = conversionsOf(converter);
    for (const r of list) {
      const whole = converter.convert(r.amountMinor, r.currency, r.date).amountMinor;
      if (r.weights === null) {
        cellOf(r.cells[0]!).sums[r.measure] += whole;
        continue;
      }
      const parts = splitByWeights(whole, [...r.weights]);
      r.cells.forEach((cell, index) => {
        if (r.weights![index] === 0n) return;
        cellOf(cell).sums.funded += parts[index]!;
      });
    }
    const after = conversionsOf(converter);
    counts.set(key, {
      conversions: after.conversions - before.conversions,
      fellBack: after.fellBack - before.fellBack,
      afterLastRate: after.afterLastRate - before.afterLastRate,
    });
  }
  return { cells, counts };
}

function conversionsOf(reporting: Reporting): ConversionCounts {
  const { conversions, fellBack, afterLastRate } = reporting.basis();
  return { conversions, fellBack, afterLastRate };
}

/** A cycles key with a cycle in the range. */
function cyclesInRange(key: string, range: MonthRange): boolean {
  return key !== '' && key.split(',').some((cycle) => inMonthRange(cycle, range));
}

/**
 * The tables coverage's parts read besides `package` (by chunk) and `allocation` (whose every
 * write updates its package's row: migration 0027): lines and their items' lists, receipts and
 * their discrepancies. The surplus returns' ledger transfers are posted by the transaction that
 * closes their package.
 */
const COVERAGE_ITEM_TABLES = ['requirement_item', 'requirement_list'] as const;
const COVERAGE_PACKAGE_TABLES = [
  'package_line',
  'requirement_item',
  'requirement_list',
  'receipt',
  'discrepancy',
] as const;

/**
 * Coverage's cells up to `asOf` within `range`, converted by the analysis's `reporting` — from
 * parts kept per chunk of packages (and the items as one part) under their revisions and
 * tables' versions, per basis: after an allocation only its chunk of 32 packages is read and
 * converted again. Every part is converted by a converter of the same basis and its
 * conversions counted in the analysis's basis only for the cycles of `range`, so a kept figure
 * and a fresh one are the same, conversions counted the same (tests/analytics/stage-memo).
 */
async function coverageCells(
  tx: Tx,
  context: AnalysisContext,
  range: MonthRange,
): Promise<{ reporting: Reporting; cells: Map<string, CoverageCell> }> {
  const { asOf } = context.options;
  /** A part: where it is kept (null: not kept), what is kept of it, its records when read. */
  interface Part {
    keyed: KeptChunk | null;
    kept: CoveragePart | undefined;
    records: FigureRecord[] | null;
    scopes: CoveragePart['scopes'];
  }
  const parts: Part[] = [];
  const partOf = (keyed: KeptChunk | null, records: FigureRecord[] | null): Part => {
    const kept = keyed === null ? undefined : keptChunkValue<CoveragePart>(keyed);
    return { keyed, kept, records, scopes: kept?.scopes ?? scopesOf(records ?? []) };
  };
  // The items: one part, kept under their tables' versions.
  const items = await keptWhole(tx, context, `coverage-items:${asOf}`, COVERAGE_ITEM_TABLES);
  parts.push(
    items !== null && keptChunkValue(items) !== undefined
      ? partOf(items, null)
      : partOf(items, await itemFigureRecords(tx, asOf)),
  );
  // The packages: a part per chunk, those not kept read now (a few by name).
  const chunks = await keptChunks(
    tx,
    context,
    `coverage:${asOf}`,
    'package',
    COVERAGE_PACKAGE_TABLES,
  );
  if (chunks === null) {
    for (const records of (await packageFigureRecords(tx, asOf, undefined)).values()) {
      parts.push(partOf(null, records));
    }
  } else {
    const missing = chunks.filter((c) => keptChunkValue(c) === undefined);
    const read =
      missing.length === 0
        ? new Map<number, FigureRecord[]>()
        : await packageFigureRecords(tx, asOf, chunksToName(missing, chunks.length));
    for (const c of chunks) {
      parts.push(
        keptChunkValue(c) !== undefined ? partOf(c, null) : partOf(c, read.get(c.chunk) ?? []),
      );
    }
  }
  // The analysis's basis: the currencies and days of the records in the range's cycles.
  const scope: { currency: string; date: string }[] = [];
  for (const part of parts) {
    for (const [cycles, s] of part.scopes) {
      if (!cyclesInRange(cycles, range)) continue;
      for (const currency of s.currencies) scope.push({ currency, date: s.from });
    }
  }
  const reporting = await openFor(tx, context, scope);
  const basis = reporting.cacheKey;
  // Parts not converted in this basis yet: their records (read again for a part kept in another
  // basis only), converted by one converter of the same basis over all their records — whose
  // conversions are counted below, for the range's cycles only.
  const toConvert = parts.filter((p) => p.kept?.converted.get(basis) === undefined);
  const unread = toConvert.filter((p) => p.records === null);
  if (unread.some((p) => p.keyed?.chunk === -1)) {
    unread.find((p) => p.keyed?.chunk === -1)!.records = await itemFigureRecords(tx, asOf);
  }
  const unreadChunks = unread.filter((p) => p.keyed !== null && p.keyed.chunk !== -1);
  if (unreadChunks.length > 0 && chunks !== null) {
    const read = await packageFigureRecords(
      tx,
      asOf,
      chunksToName(
        unreadChunks.map((p) => p.keyed!),
        chunks.length,
      ),
    );
    for (const p of unreadChunks) p.records = read.get(p.keyed!.chunk) ?? [];
  }
  const converted = new Map<Part, PartConverted>();
  if (toConvert.length > 0) {
    const converter = await openFor(
      tx,
      context,
      toConvert.flatMap((p) => p.records!),
    );
    assert(converter.cacheKey === basis, 'the converter is in the basis of the analysis');
    for (const part of toConvert) {
      const done = convertPart(converter, part.records!);
      converted.set(part, done);
      if (part.keyed === null) continue;
      if (part.kept) keepInBasis(part.kept.converted, basis, done);
      else keepChunkValue(part.keyed, { scopes: part.scopes, converted: new Map([[basis, done]]) });
    }
  }
  // The cells of the range's cycles, added up over the parts; their conversions counted.
  const cells = new Map<string, CoverageCell>();
  for (const part of parts) {
    const done = converted.get(part) ?? part.kept!.converted.get(basis)!;
    for (const [cycles, counts] of done.counts) {
      if (cyclesInRange(cycles, range)) reporting.tally(counts);
    }
    for (const [id, cell] of done.cells) {
      if (!inMonthRange(cell.cycle, range)) continue;
      const sum = cells.get(id);
      if (!sum) {
        cells.set(id, { cycle: cell.cycle, area: cell.area, sums: { ...cell.sums } });
        continue;
      }
      for (const m of COVERAGE_MEASURES) sum.sums[m] += cell.sums[m];
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
    case 'funded': {
      const { cells, splits } = await packageRecords(tx);
      if (measure === 'packaged') return listed(cells);
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
  const { cells, scope } = await loadMeasureCells(tx, measure, context.options.asOf, range, area);
  const records = lazily(function* () {
    for (const c of cells) yield c.record;
  });
  const reporting = await openFor(tx, context, scope);
  const visibility = await visibilityFor(tx, context.actor);
  return drillDown(
    reporting,
    figureKey('coverage', measure, ...key.dimensions),
    records,
    visibility,
  );
}
