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
import {
  listAllocatedAmounts,
  listCapabilityAreaNames,
  listPackageLines,
  listReceiptValues,
  listRequirementItems,
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
  sumReported,
  visibilityFor,
  type AnalysisContext,
  type MonthRange,
  type SourceRecord,
} from './figures.js';
import { loadStageRecords, receiptRecord } from './funnel.js';

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
  const cells: CellRecord[] = [];
  // package → its (cycle, area) groups in order, with their line value
  const groups = new Map<bigint, { cycle: string; area: string; valueMinor: bigint }[]>();
  for (const line of await listPackageLines(tx)) {
    const valueMinor = BigInt(line.quantity) * line.unitPriceMinor;
    cells.push({
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
        amountMinor: valueMinor,
        currency: line.currency,
        quantity: line.quantity,
        restricted: { kind: 'package', packageId: line.packageId },
      },
    });
    let list = groups.get(line.packageId);
    if (!list) groups.set(line.packageId, (list = []));
    const group = list.find((g) => g.cycle === line.cycle && g.area === line.capabilityArea);
    if (group) group.valueMinor += valueMinor;
    else list.push({ cycle: line.cycle, area: line.capabilityArea, valueMinor });
  }
  for (const list of groups.values()) {
    list.sort((a, b) => a.cycle.localeCompare(b.cycle) || a.area.localeCompare(b.area));
  }
  // Weights: the groups' line values; a package of lines priced 0 is split evenly.
  const weightsOf = new Map(
    [...groups].map(([id, list]) => [
      id,
      list.some((g) => g.valueMinor > 0n) ? list.map((g) => g.valueMinor) : list.map(() => 1n),
    ]),
  );
  return { cells, groups, weightsOf };
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

/** An allocated amount (slim: figures only) and the groups of its package it is split over. */
interface FundedSlice {
  allocation: { currency: string; amountMinor: bigint; date: string };
  groups: { cycle: string; area: string }[];
  weights: bigint[];
}

/**
 * Every coverage record up to `asOf` within `range`, for the figures: the funded records left
 * whole (slim rows) with their groups, so each allocation is converted and split once.
 */
async function loadCells(
  tx: Tx,
  asOf: string,
  range: MonthRange,
): Promise<{ cells: CellRecord[]; splits: FundedSlice[] }> {
  const { cells: packaged, groups, weightsOf } = await packageGroups(tx);
  const cells = [...(await itemRecords(tx)), ...packaged, ...(await deliveredRecords(tx))];
  const keep = (c: { cycle: string; record: SourceRecord }) =>
    c.record.date <= asOf && inMonthRange(c.cycle, range);
  const splits: FundedSlice[] = [];
  for (const a of await listAllocatedAmounts(tx, asOf)) {
    const list = groups.get(a.packageId);
    if (!list) continue; // a package without lines has no area to count against
    const weights = weightsOf.get(a.packageId)!;
    if (!list.some((g, i) => weights[i] !== 0n && inMonthRange(g.cycle, range))) continue;
    splits.push({
      allocation: { currency: a.currency, amountMinor: a.amountMinor, date: a.valueDate },
      groups: list,
      weights,
    });
  }
  return { cells: cells.filter(keep), splits };
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
      const { cells, splits } = await loadCells(tx, context.options.asOf, range);
      const reporting = await openFor(tx, context, [
        ...cells.map((c) => c.record),
        ...splits.map((s) => s.allocation),
      ]);
      const byCell = new Map<
        string,
        { cycle: string; area: string; sums: Record<CoverageMeasure, bigint> }
      >();
      const totals = zeroSums();
      for (const c of cells) {
        const id = `${c.cycle}|${c.area}`;
        let cell = byCell.get(id);
        if (!cell) byCell.set(id, (cell = { cycle: c.cycle, area: c.area, sums: zeroSums() }));
        const amount = sumReported(reporting, [c.record]);
        cell.sums[c.measure] += amount;
        totals[c.measure] += amount;
      }
      // Each allocation converted whole and split once over its groups (the parts `reported`
      // gives each share of it).
      for (const { allocation, groups, weights } of splits) {
        const whole = reporting.convert(
          allocation.amountMinor,
          allocation.currency,
          allocation.date,
        ).amountMinor;
        const parts = splitByWeights(whole, weights);
        groups.forEach((group, index) => {
          if (weights[index] === 0n || !inMonthRange(group.cycle, range)) return;
          const id = `${group.cycle}|${group.area}`;
          let cell = byCell.get(id);
          if (!cell) {
            byCell.set(id, (cell = { cycle: group.cycle, area: group.area, sums: zeroSums() }));
          }
          cell.sums.funded += parts[index]!;
          totals.funded += parts[index]!;
        });
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
