/**
 * `purl demo load --scale N`: the demo, then ten years of synthetic history before it for
 * performance work (see `core/scale.ts` for what is generated). The history is generated in
 * memory from the seed and written in bulk in one transaction: a load that fails leaves nothing
 * of it behind. Idempotent: a database that holds the scale history already is left as it is.
 */
import { systemActor } from '../../core/actor.js';
import { DomainError } from '../../core/errors.js';
import { EUR_RATE } from '../../core/fx.js';
import { SUPPLIER_PARTY } from '../../core/packages.js';
import {
  SCALE_MAX,
  SCALE_MIN,
  cyclesEndingAt,
  planScale,
  type ScaleDataset,
  type ScaleDonor,
} from '../../core/scale.js';
import type { Database } from '../../storage/database.js';
import {
  analyzeAll,
  countScaleLists,
  findEarliestCycle,
  insertScaleDataset,
  listAreaCodes,
  listDonorParties,
  listMinorUnits,
  listRatesFrom,
  listSharedAccounts,
  readScaleStart,
} from '../../storage/scale-repository.js';
import { inTransaction } from '../../storage/transaction.js';
import { loadDemo, type DemoProgress } from '../demo-service.js';

export const SCALE_ACTOR = systemActor('scale-demo');
/** Ten years of monthly cycles. */
export const SCALE_CYCLES = 120;
export const DEFAULT_SCALE_SEED = 20_250_801;

export type ScaleProgress =
  | { phase: 'demo'; demo: DemoProgress }
  | { phase: 'generate'; done: number; total: number }
  | { phase: 'write'; table: string; done: number; total: number }
  | { phase: 'analyze' };

export interface ScaleOptions {
  scale: number;
  seed?: number | undefined;
  sharedDataDir?: string | undefined;
  onProgress?: (progress: ScaleProgress) => void;
}

export interface ScaleSummary {
  outcome: 'loaded' | 'already_loaded';
  scale: number;
  seed: number;
  cycles: { first: string; last: string } | null;
  counts: Record<
    | 'requirementLists'
    | 'requirementItems'
    | 'packages'
    | 'packageLines'
    | 'contributions'
    | 'payments'
    | 'allocations'
    | 'transfers'
    | 'accounts'
    | 'shipments'
    | 'receipts'
    | 'discrepancies'
    | 'auditEvents',
    number
  >;
  donors: number;
  seconds: number;
}

export function checkScale(scale: unknown): number {
  if (
    typeof scale !== 'number' ||
    !Number.isFinite(scale) ||
    scale < SCALE_MIN ||
    scale > SCALE_MAX
  ) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `scale: a number from ${SCALE_MIN} to ${SCALE_MAX} (1 = 5,000 packages, 50,000 contributions, about 1,000,000 ledger transfers).`,
      { field: 'scale' },
    );
  }
  return scale;
}

export async function loadScaleDemo(
  database: Database,
  options: ScaleOptions,
): Promise<ScaleSummary> {
  const started = performance.now();
  const scale = checkScale(options.scale);
  const seed = options.seed ?? DEFAULT_SCALE_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new DomainError('VALIDATION_FAILED', 'seed: a whole number from 0.', { field: 'seed' });
  }
  const emptyCounts = (): ScaleSummary['counts'] => ({
    requirementLists: 0,
    requirementItems: 0,
    packages: 0,
    packageLines: 0,
    contributions: 0,
    payments: 0,
    allocations: 0,
    transfers: 0,
    accounts: 0,
    shipments: 0,
    receipts: 0,
    discrepancies: 0,
    auditEvents: 0,
  });
  const db = database.kysely;
  if ((await countScaleLists(db)) > 0) {
    return {
      outcome: 'already_loaded',
      scale,
      seed,
      cycles: null,
      counts: emptyCounts(),
      donors: 0,
      seconds: (performance.now() - started) / 1000,
    };
  }
  await loadDemo(database, {
    sharedDataDir: options.sharedDataDir,
    onProgress: (demo) => options.onProgress?.({ phase: 'demo', demo }),
  });

  // The history ends the month before the first recorded cycle.
  const earliest = (await findEarliestCycle(db)) ?? '2025-08';
  const [y, m] = earliest.split('-').map(Number) as [number, number];
  const last = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const cycles = cyclesEndingAt(last, SCALE_CYCLES);
  const from = `${cycles[0]}-01`;

  const parties = (await listDonorParties(db)).filter((p) => p.id !== SUPPLIER_PARTY);
  const candidates = [...new Set(['USD', ...parties.map((p) => p.currency)])].filter(
    (c) => c !== 'EUR',
  );
  const rows = await listRatesFrom(db, candidates, from);
  const rates = new Map<string, Map<string, { rate: string; source: string }>>();
  for (const r of rows) {
    let byDay = rates.get(r.currency);
    if (!byDay) rates.set(r.currency, (byDay = new Map()));
    byDay.set(r.day, { rate: r.rate, source: r.source });
  }
  const usd = rates.get('USD');
  if (!usd || usd.size === 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `The ECB rates from ${from} are missing: import the ECB file first (purl import fx).`,
      { field: 'fx' },
    );
  }
  const days = [...usd.keys()];
  // A donor whose currency the ECB publishes every one of those days keeps it; others use EUR.
  const daily = (c: string) => c === 'EUR' || days.every((d) => rates.get(c)?.has(d));
  const donors: ScaleDonor[] = parties.map((p) => ({
    id: p.id,
    currency: daily(p.currency) ? p.currency : 'EUR',
  }));

  const generateTotal = cycles.length;
  const data: ScaleDataset = planScale({
    scale,
    seed,
    cycles,
    donors,
    areas: await listAreaCodes(db),
    minorUnits: await listMinorUnits(db),
    rates: {
      days,
      perEur: (currency, day) =>
        currency === 'EUR' ? { rate: EUR_RATE, source: '' } : rates.get(currency)?.get(day),
    },
    start: await readScaleStart(db),
    existingAccounts: new Map((await listSharedAccounts(db)).map((a) => [a.reference, a])),
    actor: SCALE_ACTOR,
    now: new Date(),
    onProgress: (done) => options.onProgress?.({ phase: 'generate', done, total: generateTotal }),
  });

  await inTransaction(database, (tx) =>
    insertScaleDataset(tx, data, SCALE_ACTOR.id, (p) =>
      options.onProgress?.({ phase: 'write', ...p }),
    ),
  );
  options.onProgress?.({ phase: 'analyze' });
  await analyzeAll(db);

  return {
    outcome: 'loaded',
    scale,
    seed,
    cycles: { first: cycles[0]!, last: cycles[cycles.length - 1]! },
    counts: {
      requirementLists: data.lists.length,
      requirementItems: data.items.length,
      packages: data.packages.length,
      packageLines: data.lines.length,
      contributions: data.contributions.length,
      payments: data.payments.length,
      allocations: data.allocations.length,
      transfers: data.transfers.length,
      accounts: data.newAccounts.length,
      shipments: data.shipments.length,
      receipts: data.receipts.length,
      discrepancies: data.discrepancies.length,
      auditEvents: data.audit.length,
    },
    donors: donors.length,
    seconds: (performance.now() - started) / 1000,
  };
}
