/**
 * The demo: the publicly announced PURL contributions, UDCG meetings and their announcements,
 * with synthetic requirement lists, packages, payments and deliveries around them — built
 * through the same services users call, so every rule, ledger transfer and audit event is real.
 * The data and what is public or synthetic in it: `demo/data.ts`.
 *
 * Loads into an empty database only. Idempotent: on a database where the demo is already
 * loaded (its tagged records are all there) it changes nothing and says so; on a database that
 * holds other data, or a demo load that was interrupted, it refuses (`DUPLICATE`) naming what
 * is there — the demo never mixes with real records. Two loads started together (two servers
 * on one empty PostgreSQL): the first write is the 2025-08 requirement list, unique per cycle,
 * so the second load stops there with nothing of its own written (the ECB import and the demo
 * users, created meanwhile, are idempotent: each user is created by one of the two loads).
 * The World Bank GDP and population files beside the ECB file are imported too when present
 * (burden sharing per GDP and per capita needs them; the imports are idempotent as well).
 */
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemActor, type Actor } from '../core/actor.js';
import { DomainError, assert, isDomainError } from '../core/errors.js';
import type { Page } from '../core/pagination.js';
import type { ApprovalRole } from '../core/requirements.js';
import { splitByWeights } from '../core/split.js';
import type { Database } from '../storage/database.js';
import { countDemoRecords } from '../storage/demo-repository.js';
import {
  commitContribution,
  createContribution,
  getContribution,
  listContributions,
  recordPayment,
} from './contributions-service.js';
import { addDeliveries } from './demo/deliveries.js';
import { createMissingUsers, type UserSpec } from './identity-service.js';
import {
  DEMO_CONTRIBUTIONS,
  DEMO_LISTS,
  DEMO_MEETINGS,
  DEMO_PACKAGES,
  DEMO_TAG,
  PACKAGE_CONTENTS_NOTE,
  REQUIREMENTS_NOTE,
  SYNTHETIC_PAYMENT_REFERENCE,
  minor,
  tagged,
  type DemoPackage,
} from './demo/data.js';
import {
  convert,
  importFxRates,
  type FxImportProgress,
  type FxImportResult,
} from './fx-service.js';
import { importCountryIndicators } from './imports/indicators-import.js';
import {
  addAnnouncement,
  createMeeting,
  getMeeting,
  linkAnnouncementToContribution,
  listMeetings,
} from './meetings-service.js';
import {
  addPackageLine,
  allocateToPackage,
  authorizePackage,
  createPackage,
  disbursePackage,
  listPackages,
  openPackage,
  type PackageDetail,
  type PackageSummary,
} from './packages-service.js';
import { publishPublicSnapshot } from './public-service.js';
import {
  addRequirementItem,
  approveRequirementList,
  closeRequirementList,
  createRequirementList,
  listRequirementLists,
  setApprovedQuantity,
  submitRequirementList,
  validateRequirementList,
} from './requirements-service.js';

export { DEMO_TAG } from './demo/data.js';

/** Everything the demo writes is audited under this actor. */
export const DEMO_ACTOR: Actor = systemActor('demo');

/** The ECB history file the demo imports. */
export const ECB_FILE_NAME = 'eurofxref-hist.zip';

/** The World Bank files the demo imports from the same folder, when they are there. */
export const WORLD_BANK_FILES = [
  { indicator: 'gdp_usd', fileName: 'gdp.csv', what: 'GDP (current US$)' },
  { indicator: 'population', fileName: 'population.csv', what: 'population' },
] as const;

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `PURL_SHARED_DATA`, else `../shared/data` beside the project root. */
export function defaultSharedDataDir(): string {
  const fromEnv = process.env.PURL_SHARED_DATA;
  return fromEnv ? resolve(fromEnv) : resolve(PROJECT_ROOT, '../shared/data');
}

export type DemoStep =
  | 'check'
  | 'fx'
  | 'indicators'
  | 'requirements'
  | 'contributions'
  | 'packages'
  | 'deliveries'
  | 'meetings'
  | 'users'
  | 'public';

export interface DemoProgress {
  step: DemoStep;
  message: string;
  /** During the ECB import: its own progress. */
  fx?: FxImportProgress;
}

export interface LoadDemoOptions {
  onProgress?: (progress: DemoProgress) => void;
  /** The folder holding `eurofxref-hist.zip` (default: `defaultSharedDataDir()`). */
  sharedDataDir?: string;
  /** The demo users' password (default: `demoPassword()`). */
  password?: string;
}

/** The password of every demo user when `PURL_DEMO_PASSWORD` is not set. */
export const DEMO_PASSWORD_DEFAULT = 'purl-demo-2025';

/** `PURL_DEMO_PASSWORD`, else `DEMO_PASSWORD_DEFAULT`. */
export function demoPassword(): string {
  return process.env.PURL_DEMO_PASSWORD || DEMO_PASSWORD_DEFAULT;
}

/** One user per role, and contributors for three parties; all with the demo password. */
export const DEMO_USERS: readonly UserSpec[] = [
  {
    email: 'coordinator@demo.purl',
    displayName: 'Demo coordinator (NSATU)',
    role: 'coordinator',
    partyId: null,
  },
  {
    email: 'recipient@demo.purl',
    displayName: 'Demo recipient (Ukraine MoD)',
    role: 'recipient',
    partyId: null,
  },
  {
    email: 'validator@demo.purl',
    displayName: 'Demo validator (SACEUR staff)',
    role: 'validator',
    partyId: null,
  },
  {
    email: 'supplier@demo.purl',
    displayName: 'Demo supplier (US authority)',
    role: 'supplier',
    partyId: null,
  },
  { email: 'auditor@demo.purl', displayName: 'Demo auditor', role: 'auditor', partyId: null },
  { email: 'admin@demo.purl', displayName: 'Demo administrator', role: 'admin', partyId: null },
  {
    email: 'nld@demo.purl',
    displayName: 'Demo contributor (Netherlands)',
    role: 'contributor',
    partyId: 'NLD',
  },
  {
    email: 'deu@demo.purl',
    displayName: 'Demo contributor (Germany)',
    role: 'contributor',
    partyId: 'DEU',
  },
  {
    email: 'nor@demo.purl',
    displayName: 'Demo contributor (Norway)',
    role: 'contributor',
    partyId: 'NOR',
  },
];

// ---------------------------------------------------------------------------------------------
// What the database holds

export interface DemoCounts {
  contributions: number;
  packages: number;
  requirementLists: number;
  meetings: number;
}

export interface DemoInspection {
  /**
   * `empty`: none of the four; `loaded`: every demo record is there; `partial`: some demo
   * records (an interrupted load); `other_data`: records that are not the demo's.
   */
  state: 'empty' | 'loaded' | 'partial' | 'other_data';
  /** Every record of each kind. */
  counts: DemoCounts;
  /** The demo's own records (their note carries `DEMO_TAG`). */
  demo: DemoCounts;
  /** What a complete demo holds. */
  expected: DemoCounts;
}

export const DEMO_EXPECTED: DemoCounts = {
  contributions: DEMO_CONTRIBUTIONS.length,
  packages: DEMO_PACKAGES.length,
  requirementLists: DEMO_LISTS.length,
  meetings: DEMO_MEETINGS.length,
};

async function everyPage<T>(fetch: (cursor: string | undefined) => Promise<Page<T>>) {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

const isDemo = (record: { sourceNote: string | null }) =>
  record.sourceNote?.endsWith(DEMO_TAG) === true;

/**
 * Whether the database holds no contribution and no package (one row read of each): what
 * `purl serve` checks before loading the demo on its own.
 */
export async function holdsNoFunding(database: Database): Promise<boolean> {
  const [contributions, packages] = await Promise.all([
    listContributions(database, DEMO_ACTOR, { limit: 1 }),
    listPackages(database, DEMO_ACTOR, { limit: 1 }),
  ]);
  return contributions.items.length === 0 && packages.items.length === 0;
}

/**
 * Counts every record of the four kinds the demo writes, and the demo's own among them (one
 * statement: a database at scale holds tens of thousands of them).
 */
export async function inspectDemo(database: Database): Promise<DemoInspection> {
  const { all: counts, tagged: demo } = await countDemoRecords(database.kysely, DEMO_TAG);
  const kinds = Object.keys(counts) as (keyof DemoCounts)[];
  const state = kinds.every((k) => counts[k] === 0)
    ? 'empty'
    : kinds.every((k) => demo[k] === DEMO_EXPECTED[k])
      ? 'loaded'
      : kinds.some((k) => demo[k] > 0)
        ? 'partial'
        : 'other_data';
  return { state, counts, demo, expected: DEMO_EXPECTED };
}

function describeCounts(counts: DemoCounts): string {
  const n = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  return [
    n(counts.contributions, 'contribution'),
    n(counts.packages, 'package'),
    n(counts.requirementLists, 'requirement list'),
    n(counts.meetings, 'meeting'),
  ].join(', ');
}

function refusal(inspection: DemoInspection): DomainError {
  const message =
    inspection.state === 'partial'
      ? `An earlier demo load did not finish: the database holds ${describeCounts(inspection.demo)} ` +
        `of the demo's ${describeCounts(inspection.expected)}. Load the demo into a new, empty ` +
        'database (another PURL_DATA_DIR or DATABASE_URL).'
      : `The database already holds data (${describeCounts(inspection.counts)}): the demo loads ` +
        'only into an empty database, so that synthetic records never mix with real ones. Use ' +
        'another PURL_DATA_DIR or DATABASE_URL.';
  return new DomainError('DUPLICATE', message, {
    field: 'database',
    state: inspection.state,
    ...inspection.counts,
  });
}

// ---------------------------------------------------------------------------------------------
// Loading

export interface DemoSummary {
  outcome: 'loaded' | 'already_loaded';
  /** The ECB import (only when this call loaded the demo). */
  fx: FxImportResult | null;
  requirementLists: { cycle: string; status: string; itemCount: number; synthetic: boolean }[];
  contributions: {
    id: bigint;
    donorPartyId: string;
    currency: string;
    status: string;
    pledgedMinor: bigint;
    committedMinor: bigint;
    paidMinor: bigint;
    synthetic: boolean;
  }[];
  packages: PackageSummary[];
  meetings: { number: number; kind: string; heldOn: string; announcements: number }[];
  /** The demo users (`DEMO_USERS`) and which of them this call created. */
  users: { emails: string[]; created: string[] };
  /** Wall time of this call. */
  seconds: number;
}

/** Loads the demo into an empty database (see the file's comment for the rules). */
export async function loadDemo(
  database: Database,
  options: LoadDemoOptions = {},
): Promise<DemoSummary> {
  const started = performance.now();
  const say = (step: DemoStep, message: string) => options.onProgress?.({ step, message });

  say('check', 'checking that the database is empty');
  const inspection = await inspectDemo(database);
  if (inspection.state === 'loaded') {
    say('check', 'the demo is already loaded: nothing to do');
    // A demo loaded before users existed gets them now; otherwise this creates nothing.
    const users = await loadUsers();
    return {
      ...(await summarise(database)),
      outcome: 'already_loaded',
      fx: null,
      users,
      ...elapsed(),
    };
  }
  if (inspection.state !== 'empty') throw refusal(inspection);

  const dir = options.sharedDataDir ?? defaultSharedDataDir();
  const file = join(dir, ECB_FILE_NAME);
  await checkRatesFile(file);
  // Started now, awaited below: the users' passwords are hashed (argon2, on libuv's threads)
  // while the database imports the rates, instead of one after another at the end.
  const users = background(loadUsers());
  say('fx', `importing ECB rates from ${file}`);
  let fx: FxImportResult;
  let items: LoadedLists;
  let contributions: Map<string, LoadedContribution>;
  try {
    fx = await importFxRates(database, DEMO_ACTOR, {
      file,
      onProgress: (progress) =>
        options.onProgress?.({
          step: 'fx',
          message: `${progress.phase === 'parse' ? 'checking rows' : 'writing rates'}: ${progress.done}/${progress.total}`,
          fx: progress,
        }),
    });
    await loadIndicators(database, dir, say);
    say('requirements', `requirement lists for ${DEMO_LISTS.length} monthly cycles (synthetic)`);
    items = await loadRequirementLists(database);
    const announced = DEMO_CONTRIBUTIONS.filter((c) => !c.synthetic).length;
    say(
      'contributions',
      `${announced} publicly announced contributions and ` +
        `${DEMO_CONTRIBUTIONS.length - announced} synthetic pledges`,
    );
    contributions = await loadContributions(database);
  } catch (error) {
    await users.settled; // nothing keeps writing after a failure is reported
    throw error;
  }
  const packages: PackageDetail[] = [];
  for (const plan of DEMO_PACKAGES) {
    const pkg = await loadPackage(database, plan, items, contributions);
    say('packages', `${pkg.number} ${pkg.status}: ${pkg.title}`);
    packages.push(pkg);
  }
  // The August list is fully worked: its cycle is closed once its packages are composed.
  for (const list of DEMO_LISTS.filter((l) => l.until === 'closed')) {
    await closeRequirementList(database, DEMO_ACTOR, items.listIds.get(list.cycle)!);
  }
  say('deliveries', 'shipments and receipts of the early packages (synthetic)');
  await addDeliveries(database, DEMO_ACTOR, packages);
  say('meetings', `${DEMO_MEETINGS.length} meetings and their announcements`);
  await loadMeetings(database, contributions);
  const createdUsers = await users.result();
  say('public', 'the public figures, as a coordinator publishes them (GET /api/v1/public/summary)');
  await publishPublicSnapshot(database, DEMO_ACTOR);

  return {
    ...(await summarise(database)),
    outcome: 'loaded',
    fx,
    users: createdUsers,
    ...elapsed(),
  };

  async function loadUsers(): Promise<DemoSummary['users']> {
    say('users', `${DEMO_USERS.length} demo users, one per role (password: PURL_DEMO_PASSWORD)`);
    const password = options.password ?? demoPassword();
    // One call per user, all at once: the passwords are hashed side by side on libuv's threads.
    const created = await Promise.all(
      DEMO_USERS.map((spec) => createMissingUsers(database, DEMO_ACTOR, [spec], password)),
    );
    return { emails: DEMO_USERS.map((u) => u.email), created: created.flat() };
  }

  function elapsed() {
    return { seconds: Math.round(performance.now() - started) / 1000 };
  }
}

/**
 * A task started now and awaited later: `result()` is its outcome; `settled` never rejects (so
 * a task whose result is not awaited, after another failed, is no unhandled rejection).
 */
function background<T>(task: Promise<T>): { result: () => Promise<T>; settled: Promise<unknown> } {
  const settled = task.then(
    () => undefined,
    () => undefined,
  );
  return { result: () => task, settled };
}

/** Imports each World Bank file found in `dir`; says which are missing (not an error). */
async function loadIndicators(
  database: Database,
  dir: string,
  say: (step: DemoStep, message: string) => void,
): Promise<void> {
  for (const { indicator, fileName, what } of WORLD_BANK_FILES) {
    const file = join(dir, fileName);
    if (!(await isFile(file))) {
      say('indicators', `no ${fileName} in ${dir}: burden sharing will have no ${what} figures`);
      continue;
    }
    const result = await importCountryIndicators(database, DEMO_ACTOR, { indicator, file });
    say(
      'indicators',
      `World Bank ${what}: ${result.rows} values of ${result.countries} countries ` +
        `(${result.firstYear} to ${result.lastYear}) from ${file}`,
    );
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

async function checkRatesFile(file: string): Promise<void> {
  try {
    if ((await stat(file)).isFile()) return;
  } catch {
    // reported below
  }
  throw new DomainError(
    'NOT_FOUND',
    `The demo needs the ECB rates file and found none at ${file}. Put eurofxref-hist.zip there, ` +
      'or set PURL_SHARED_DATA to the folder that holds it.',
    { field: 'file', file },
  );
}

interface LoadedItem {
  id: bigint;
  approvedQuantity: number;
  unitCostMinor: bigint;
  /** Put into packages by this load so far. */
  packaged: number;
}

interface LoadedLists {
  listIds: Map<string, bigint>;
  /** By item key (unique across cycles). */
  items: Map<string, LoadedItem>;
}

const SIGNERS: readonly ApprovalRole[] = ['recipient', 'coordinator', 'supplier'];

async function loadRequirementLists(database: Database): Promise<LoadedLists> {
  const actor = DEMO_ACTOR;
  const listIds = new Map<string, bigint>();
  const items = new Map<string, LoadedItem>();
  for (const [index, plan] of DEMO_LISTS.entries()) {
    let list;
    try {
      list = await createRequirementList(database, actor, {
        cycle: plan.cycle,
        title: `Requirement list ${plan.cycle} (synthetic demo data)`,
        synthetic: true,
        sourceNote: REQUIREMENTS_NOTE,
      });
    } catch (error) {
      // The first list is the claim: another load got there first.
      if (index === 0 && isDomainError(error) && error.code === 'DUPLICATE') {
        throw new DomainError(
          'DUPLICATE',
          'Another process is loading the demo into this database (its 2025-08 requirement ' +
            'list appeared after the check); nothing more was written by this one.',
          { field: 'database' },
        );
      }
      throw error;
    }
    listIds.set(plan.cycle, list.id);
    const ids = new Map<string, bigint>();
    for (const item of plan.items) {
      const created = await addRequirementItem(database, actor, list.id, {
        capabilityArea: item.capabilityArea,
        category: item.category,
        lethal: item.lethal,
        requestedQuantity: item.requestedQuantity,
        unit: item.unit,
        estimatedUnitCostUsdMinor: minor(item.unitCostUsd),
        quantityStep: item.quantityStep,
        wholeOnly: item.wholeOnly,
        description: `SYNTHETIC demo item: ${item.category} (${item.unit}); no real requirement behind it.`,
        justification: 'SYNTHETIC demo justification: invented for the demo.',
        synthetic: true,
      });
      ids.set(item.key, created.id);
    }
    await submitRequirementList(database, actor, list.id);
    if (plan.until === 'submitted') continue;
    // The validator trims a few quantities; the rest are approved as requested.
    for (const item of plan.items) {
      if (item.approvedQuantity === undefined) continue;
      await setApprovedQuantity(
        database,
        actor,
        list.id,
        ids.get(item.key)!,
        item.approvedQuantity,
      );
    }
    await validateRequirementList(database, actor, list.id);
    for (const signAs of SIGNERS) {
      await approveRequirementList(database, actor, list.id, { signAs });
    }
    for (const item of plan.items) {
      items.set(item.key, {
        id: ids.get(item.key)!,
        approvedQuantity: item.approvedQuantity ?? item.requestedQuantity,
        unitCostMinor: minor(item.unitCostUsd),
        packaged: 0,
      });
    }
  }
  return { listIds, items };
}

interface LoadedContribution {
  id: bigint;
  currency: string;
}

async function loadContributions(database: Database): Promise<Map<string, LoadedContribution>> {
  const actor = DEMO_ACTOR;
  const loaded = new Map<string, LoadedContribution>();
  for (const plan of DEMO_CONTRIBUTIONS) {
    const created = await createContribution(database, actor, {
      donorPartyId: plan.donor,
      currency: plan.currency,
      amountMinor: plan.amountMinor,
      announcedOn: plan.announcedOn,
      title: plan.title,
      sourceNote: plan.sourceNote,
      synthetic: plan.synthetic,
    });
    loaded.set(plan.key, { id: created.id, currency: plan.currency });
    if (!plan.committedOn) continue;
    await commitContribution(database, actor, created.id, { committedOn: plan.committedOn });
    for (const payment of plan.payments ?? []) {
      await recordPayment(database, actor, created.id, {
        amountMinor: payment.amount === undefined ? plan.amountMinor : minor(payment.amount),
        paidOn: payment.paidOn,
        reference: SYNTHETIC_PAYMENT_REFERENCE,
      });
    }
  }
  return loaded;
}

/** What a contribution has left to allocate, in its currency (capped by `maxMinor`). */
async function availableOf(database: Database, id: bigint, maxMinor?: bigint): Promise<bigint> {
  const { availableMinor } = await getContribution(database, DEMO_ACTOR, id);
  return maxMinor !== undefined && maxMinor < availableMinor ? maxMinor : availableMinor;
}

async function inUsd(database: Database, amountMinor: bigint, currency: string, on: string) {
  if (currency === 'USD' || amountMinor === 0n) return amountMinor;
  return (
    await convert(database, DEMO_ACTOR, { amountMinor, from: currency, to: 'USD', valueDate: on })
  ).amountMinor;
}

/**
 * The least amount of `currency` worth at least `gapUsdMinor` at the ECB rates of `on` (the
 * same conversion the allocation makes, rounded half to even): converted back and nudged up a
 * minor unit at a time until it covers the gap.
 */
async function amountCovering(
  database: Database,
  gapUsdMinor: bigint,
  currency: string,
  on: string,
): Promise<bigint> {
  if (currency === 'USD') return gapUsdMinor;
  let amount = (
    await convert(database, DEMO_ACTOR, {
      amountMinor: gapUsdMinor,
      from: 'USD',
      to: currency,
      valueDate: on,
    })
  ).amountMinor;
  for (let attempt = 0; attempt < 5; attempt++) {
    if ((await inUsd(database, amount, currency, on)) >= gapUsdMinor) return amount;
    amount += 1n;
  }
  assert(false, `an amount of ${currency} covering ${gapUsdMinor} USD minor units is found`);
}

/** Allocates `contribution` to the package: up to `wantUsdMinor` of its gap, at most what it has. */
async function allocate(
  database: Database,
  pkg: PackageDetail,
  contribution: LoadedContribution,
  on: string,
  options: { wantUsdMinor?: bigint; maxMinor?: bigint } = {},
): Promise<PackageDetail> {
  const gap = pkg.priceMinor - pkg.fundedMinor;
  const want =
    options.wantUsdMinor !== undefined && options.wantUsdMinor < gap ? options.wantUsdMinor : gap;
  if (want <= 0n) return pkg;
  const available = await availableOf(database, contribution.id, options.maxMinor);
  const needed = await amountCovering(database, want, contribution.currency, on);
  const amountMinor = needed < available ? needed : available;
  if (amountMinor <= 0n) return pkg;
  return allocateToPackage(database, DEMO_ACTOR, pkg.id, {
    contributionId: contribution.id,
    amountMinor,
    valueDate: on,
  });
}

async function fund(
  database: Database,
  plan: DemoPackage,
  start: PackageDetail,
  contributions: Map<string, LoadedContribution>,
  on: string,
): Promise<PackageDetail> {
  let pkg = start;
  const funders = plan.funders.map((f) => ({
    contribution: contributions.get(f.contribution)!,
    maxMinor: f.max === undefined ? undefined : minor(f.max),
  }));
  const shared = plan.splitLastTwo ? funders.splice(-2) : [];
  for (const funder of funders) {
    if (pkg.status !== 'open') break;
    pkg = await allocate(database, pkg, funder.contribution, on, { maxMinor: funder.maxMinor });
  }
  if (shared.length === 2 && pkg.status === 'open') {
    // A joint package: the last two donors share the rest of the gap equally (largest remainder).
    const [first, second] = splitByWeights(pkg.priceMinor - pkg.fundedMinor, [1n, 1n]);
    pkg = await allocate(database, pkg, shared[0]!.contribution, on, {
      wantUsdMinor: first!,
      maxMinor: shared[0]!.maxMinor,
    });
    assert(second! > 0n, 'the second donor of a joint package has a share');
    pkg = await allocate(database, pkg, shared[1]!.contribution, on, {
      maxMinor: shared[1]!.maxMinor,
    });
  }
  return pkg;
}

async function loadPackage(
  database: Database,
  plan: DemoPackage,
  lists: LoadedLists,
  contributions: Map<string, LoadedContribution>,
): Promise<PackageDetail> {
  const actor = DEMO_ACTOR;
  const on = plan.allocatedOn;

  // The price to compose to.
  let targetMinor: bigint;
  if ('usd' in plan.target) {
    targetMinor = minor(plan.target.usd);
  } else {
    assert(on, 'a package composed to its funding has an allocation date');
    targetMinor = 0n;
    for (const funder of plan.funders) {
      const c = contributions.get(funder.contribution)!;
      const available = await availableOf(
        database,
        c.id,
        funder.max === undefined ? undefined : minor(funder.max),
      );
      targetMinor += await inUsd(database, available, c.currency, on);
    }
    targetMinor -= minor(plan.target.holdBackUsd ?? 0);
  }

  let pkg = await createPackage(database, actor, {
    cycle: plan.cycle,
    title: plan.title,
    targetMinor,
    synthetic: true,
    sourceNote: tagged(`${plan.fundingNote} ${PACKAGE_CONTENTS_NOTE}`),
  });

  // Composed greedily from the cycle's approved items, in the plan's order, up to the target.
  let residual = targetMinor;
  for (const key of plan.draw) {
    const item = lists.items.get(key);
    assert(item, `demo item ${key} is approved`);
    const fits = residual / item.unitCostMinor;
    const remaining = BigInt(item.approvedQuantity - item.packaged);
    const quantity = Number(fits < remaining ? fits : remaining);
    if (quantity <= 0) continue;
    pkg = await addPackageLine(database, actor, pkg.id, {
      requirementItemId: item.id,
      quantity,
    });
    item.packaged += quantity;
    residual -= BigInt(quantity) * item.unitCostMinor;
  }
  pkg = await openPackage(database, actor, pkg.id);
  if (!on) return pkg;

  pkg = await fund(database, plan, pkg, contributions, on);
  const auth = plan.authorize;
  if (!auth || pkg.status !== 'funded') return pkg;

  let price = pkg.priceMinor;
  if (auth.reprice) {
    // The supplier's final price is higher: the gap re-opens and is filled, then authorised.
    price += minor(auth.reprice.upUsd);
    pkg = await authorizePackage(database, actor, pkg.id, {
      reference: auth.reference,
      authorizedOn: auth.reprice.on,
      finalPriceMinor: price,
    });
    assert(pkg.status === 'open', 'a re-price above the funding re-opens the package');
    pkg = await fund(database, plan, pkg, contributions, auth.reprice.refillOn);
    assert(pkg.status === 'funded', 'the re-opened gap is filled');
  }
  pkg = await authorizePackage(database, actor, pkg.id, {
    reference: auth.reference,
    authorizedOn: auth.on,
    finalPriceMinor: price,
  });
  for (const d of plan.disburse ?? []) {
    pkg = await disbursePackage(database, actor, pkg.id, {
      amountMinor: (pkg.priceMinor * BigInt(d.percent)) / 100n,
      paidOn: d.paidOn,
    });
  }
  return pkg;
}

async function loadMeetings(
  database: Database,
  contributions: Map<string, LoadedContribution>,
): Promise<void> {
  const actor = DEMO_ACTOR;
  for (const plan of DEMO_MEETINGS) {
    const meeting = await createMeeting(database, actor, {
      number: plan.number,
      kind: plan.kind,
      heldOn: plan.heldOn,
      place: plan.place,
      chairs: plan.chairs,
      participants: plan.participants,
      title: plan.title,
      summary: plan.summary,
      synthetic: plan.synthetic,
      sourceNote: plan.sourceNote,
    });
    for (const a of plan.announcements) {
      const announcement = await addAnnouncement(database, actor, meeting.id, {
        partyId: a.party,
        text: a.text,
        amountMinor: a.amount ? minor(a.amount.major) : null,
        currency: a.amount?.currency ?? null,
        synthetic: a.synthetic,
        sourceNote: a.sourceNote,
      });
      for (const key of a.becomes ?? []) {
        await linkAnnouncementToContribution(database, actor, {
          meetingId: meeting.id,
          announcementId: announcement.id,
          contributionId: contributions.get(key)!.id,
        });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Summary

async function summarise(
  database: Database,
): Promise<Omit<DemoSummary, 'outcome' | 'fx' | 'users' | 'seconds'>> {
  const actor = DEMO_ACTOR;
  const limit = 200;
  const [lists, contributions, packages, meetings] = await Promise.all([
    everyPage((cursor) => listRequirementLists(database, actor, { limit, cursor })),
    everyPage((cursor) => listContributions(database, actor, { limit, cursor })),
    everyPage((cursor) => listPackages(database, actor, { limit, cursor })),
    everyPage((cursor) => listMeetings(database, actor, { limit, cursor })),
  ]);
  const details = [];
  for (const m of meetings) details.push(await getMeeting(database, actor, m.id));
  return {
    requirementLists: lists
      .filter(isDemo)
      .map((l) => ({
        cycle: l.cycle,
        status: l.status,
        itemCount: l.itemCount,
        synthetic: l.synthetic,
      }))
      .sort((a, b) => (a.cycle < b.cycle ? -1 : 1)),
    contributions: contributions.filter(isDemo).map((c) => ({
      id: c.id,
      donorPartyId: c.donorPartyId,
      currency: c.currency,
      status: c.status,
      pledgedMinor: c.pledgedMinor,
      committedMinor: c.committedMinor,
      paidMinor: c.paidMinor,
      synthetic: c.synthetic,
    })),
    packages: packages.filter(isDemo),
    meetings: details
      .filter(isDemo)
      .map((m) => ({
        number: m.number,
        kind: m.kind,
        heldOn: m.heldOn,
        announcements: m.announcements.length,
      }))
      .sort((a, b) => (a.heldOn < b.heldOn ? -1 : 1)),
  };
}
