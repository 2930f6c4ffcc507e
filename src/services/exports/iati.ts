/**
 * The IATI 2.03 activity file (xmlbuilder2): one `<iati-activity>` per package, its money as
 * IATI transactions, valid against the official schema (`iati-activities-schema.xsd`; element
 * order follows the schema's sequence). Read in one REPEATABLE READ snapshot, so the file is one
 * consistent picture; access `analytics.read`. It carries no restricted field (no line contents,
 * prices or descriptions): totals, donors and transactions only, which every reader may see.
 *
 * Decisions (each defensible against the IATI Standard):
 * - **Which packages**: every package offered to donors — not drafts (never offered), not a
 *   package cancelled before it opened. A package cancelled later is reported with status 5,
 *   so the record of what was proposed and dropped stays public.
 * - **Identifiers**: the reporting organisation is NATO's PURL coordination, `reporting-org
 *   @ref` `XI-IATI-NATO` (type 40, multilateral) by default — NATO holds no identifier in a
 *   registration agency's list, and `XI-IATI` is the scheme the IATI Secretariat allocates from
 *   in that case; the publisher passes the allocated one as `reportingOrgRef`. An activity is
 *   `<reporting-org ref>-<package number>` (`XI-IATI-NATO-PURL-003`), as IATI requires.
 * - **Status** (ActivityStatus): 1 pipeline = open with no funding yet; 2 implementation =
 *   funding has begun (open with allocations, funded, authorised, in delivery); 3 finalisation
 *   = delivered, not yet closed; 4 closed; 5 cancelled.
 * - **Dates** (ActivityDateType; "start dates may reflect the commencement of funding"): actual
 *   start (2) = the value date of the package's first allocation not voided; a package with no
 *   funding has a planned start (1) = the first day of its cycle; actual end (4) = the day it
 *   closed or was cancelled.
 * - **Participating organisations**: funding (1) = every party with an allocation not voided;
 *   accountable (2) = the reporting organisation (NATO); implementing (4) = the US supplier
 *   (the Foreign Military Sales seller). Parties carry no IATI `ref` (no identifier is recorded
 *   for them), only their name and type (10 government; 40 for NATO bodies).
 * - **Where and what**: recipient country UA at 100 %; sector — DAC CRS purpose code (vocabulary
 *   1) 15210 "Security system management and reform", 100 %. The CRS has no code for military
 *   equipment (military aid is not ODA); 15210 is the DAC code for support to the security
 *   sector and the one donors use for defence-related activities, and IATI accepts activities
 *   that are not ODA.
 * - **Transactions**, each value in its original currency with its value date (the date whose
 *   ECB rates convert it; decimals from the currency's exponent, exact text, never a float):
 *   - 11 incoming commitment: every allocation not voided, on its value date, in the
 *     contribution's currency, the donor as provider;
 *   - 1 incoming funds: every posted allocation (its hold became money at authorisation), dated
 *     the package's authorisation day, same value and value date as its commitment; and, as a
 *     negative incoming-funds correction, every surplus returned to a contribution at closing
 *     (USD, dated the closing day);
 *   - 3 disbursement: every payment to the supplier (USD), on its paid-on day, the supplier as
 *     receiver.
 * - **Synthetic data**: a package marked synthetic (the demo) says so first in its description.
 * - No package to report is `NOT_FOUND`: the schema needs at least one activity.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Actor } from '../../core/actor.js';
import { DomainError, assert } from '../../core/errors.js';
import { formatAmount } from '../../core/money.js';
import { authorize } from '../../core/policy.js';
import type { Party } from '../../core/reference.js';
import { PACKAGE_TRANSFER_CODES, packageFundingAccount } from '../../core/packages.js';
import { listDisbursements } from '../../storage/analytics-repository.js';
import { findContribution } from '../../storage/contributions-repository.js';
import type { Database } from '../../storage/database.js';
import { listCurrencies } from '../../storage/fx-repository.js';
import { findAccountByReference, listAccountTransfers } from '../../storage/ledger-repository.js';
import {
  findAllocations,
  listPackages,
  type AllocationRow,
  type PackageRow,
} from '../../storage/packages-repository.js';
import { listParties } from '../../storage/reference-repository.js';
import { inTransaction, type Tx } from '../../storage/transaction.js';
import { SUPPLIER_PARTY } from '../packages-service.js';

export const IATI_VERSION = '2.03';
export const IATI_CONTENT_TYPE = 'application/xml; charset=utf-8';
/** The default `reporting-org/@ref`; replace it with the identifier IATI allocates. */
export const IATI_REPORTING_ORG_REF = 'XI-IATI-NATO';
export const IATI_REPORTING_ORG_NAME =
  'North Atlantic Treaty Organization — PURL coordination (NSATU)';
/** DAC CRS purpose code: Security system management and reform. */
export const IATI_SECTOR_CODE = '15210';
export const IATI_RECIPIENT_COUNTRY = 'UA';
const ORG_TYPE = { government: '10', multilateral: '40' } as const;
const ROLE = { funding: '1', accountable: '2', implementing: '4' } as const;
const TRANSACTION = { incomingFunds: '1', disbursement: '3', incomingCommitment: '11' } as const;
/** Packages read per query. */
const PACKAGE_PAGE_ROWS = 500;

export interface IatiOptions {
  /** The generation time (`generated-datetime`, the file name); default now. */
  now?: Date | undefined;
  /** `reporting-org/@ref`; default `IATI_REPORTING_ORG_REF`. */
  reportingOrgRef?: string | undefined;
}

export interface IatiExport {
  /** `purl-iati-2026-11-28.xml`. */
  fileName: string;
  contentType: string;
  xml: string;
  activities: number;
  transactions: number;
}

interface Org {
  name: string;
  type: string;
}

interface Transaction {
  type: (typeof TRANSACTION)[keyof typeof TRANSACTION];
  date: string;
  amountMinor: bigint;
  currency: string;
  valueDate: string;
  description: string;
  provider?: Org;
  receiver?: Org;
}

interface Activity {
  pkg: PackageRow;
  funders: Org[];
  status: string;
  dates: { type: '1' | '2' | '4'; date: string }[];
  transactions: Transaction[];
}

/** Funding returned to a contribution when its package closed (USD, out of the package). */
interface Surplus {
  packageId: bigint;
  allocationId: bigint;
  amountMinor: bigint;
  currency: string;
  /** The day the package closed. */
  date: string;
}

/** What the file is made of, read in one snapshot. */
interface Snapshot {
  packages: PackageRow[];
  allocations: Map<bigint, AllocationRow[]>;
  donors: Map<bigint, string>;
  parties: Map<string, Party>;
  disbursements: Awaited<ReturnType<typeof listDisbursements>>;
  surpluses: Surplus[];
  exponents: Map<string, number>;
}

const dayOf = (time: Date): string => time.toISOString().slice(0, 10);

/** The packages an IATI file reports: offered to donors at some point. */
function reported(pkg: PackageRow): boolean {
  return pkg.status !== 'draft' && pkg.opened_at !== null;
}

async function readSnapshot(tx: Tx): Promise<Snapshot> {
  const packages: PackageRow[] = [];
  for (let afterId: bigint | undefined; ;) {
    const rows = await listPackages(tx, { afterId, limit: PACKAGE_PAGE_ROWS });
    const page = rows.slice(0, PACKAGE_PAGE_ROWS);
    packages.push(...page.filter(reported));
    if (rows.length <= PACKAGE_PAGE_ROWS) break;
    afterId = page.at(-1)!.id;
  }
  const allocations = new Map<bigint, AllocationRow[]>();
  const donors = new Map<bigint, string>();
  for (const pkg of packages) {
    const rows = (await findAllocations(tx, pkg.id)).filter((a) => a.status !== 'voided');
    allocations.set(pkg.id, rows);
    for (const a of rows) {
      if (donors.has(a.contribution_id)) continue;
      const contribution = await findContribution(tx, a.contribution_id);
      donors.set(a.contribution_id, contribution!.donor_party_id);
    }
  }
  const parties = new Map<string, Party>();
  for (let after: string | undefined; ;) {
    const page = await listParties(tx, {}, after, PACKAGE_PAGE_ROWS);
    for (const party of page) parties.set(party.id, party);
    if (page.length < PACKAGE_PAGE_ROWS) break;
    after = page.at(-1)!.id;
  }
  return {
    packages,
    allocations,
    donors,
    parties,
    disbursements: await listDisbursements(tx),
    surpluses: await readSurpluses(tx, packages),
    exponents: new Map((await listCurrencies(tx)).map((c) => [c.code, c.minorUnit])),
  };
}

/** Transfers read per query. */
const TRANSFER_PAGE_ROWS = 1_000;
/** `package:N:surplus:A` (or its `:from` leg through FX): the surplus of allocation A. */
const SURPLUS_KEY = /^package:[0-9]+:surplus:([0-9]+)(:from)?$/;

/**
 * The surplus returns of closed packages, from the ledger: the surplus-return transfers out of
 * each package's funding account, each naming its allocation in its idempotency key.
 */
async function readSurpluses(tx: Tx, packages: readonly PackageRow[]): Promise<Surplus[]> {
  const surpluses: Surplus[] = [];
  for (const pkg of packages) {
    if (pkg.status !== 'closed' || pkg.closed_at === null) continue;
    const funding = await findAccountByReference(tx, packageFundingAccount(pkg.id));
    if (!funding) continue;
    for (let afterId = 0n; ;) {
      const transfers = await listAccountTransfers(tx, funding.id, afterId, TRANSFER_PAGE_ROWS);
      for (const t of transfers) {
        const match = SURPLUS_KEY.exec(t.idempotencyKey);
        if (t.code !== PACKAGE_TRANSFER_CODES.surplusReturn || t.debitAccountId !== funding.id)
          continue;
        if (!match) continue;
        surpluses.push({
          packageId: pkg.id,
          allocationId: BigInt(match[1]!),
          amountMinor: t.amountMinor,
          currency: t.ledger,
          date: dayOf(pkg.closed_at),
        });
      }
      if (transfers.length < TRANSFER_PAGE_ROWS) break;
      afterId = transfers.at(-1)!.id;
    }
  }
  return surpluses;
}

function partyOrg(parties: Map<string, Party>, id: string): Org {
  const party = parties.get(id);
  return {
    name: party?.names.en ?? id,
    type: party?.kind === 'nato_body' ? ORG_TYPE.multilateral : ORG_TYPE.government,
  };
}

/** ActivityStatus from the package status (see the header). */
function activityStatus(pkg: PackageRow, funded: boolean): string {
  switch (pkg.status) {
    case 'open':
      return funded ? '2' : '1';
    case 'delivered':
      return '3';
    case 'closed':
      return '4';
    case 'cancelled':
      return '5';
    default:
      return '2';
  }
}

function activityDates(pkg: PackageRow, allocations: readonly AllocationRow[]) {
  const firstFunding = allocations.map((a) => a.value_date).sort()[0];
  const dates: Activity['dates'] = firstFunding
    ? [{ type: '2', date: firstFunding }]
    : [{ type: '1', date: `${pkg.cycle}-01` }];
  const ended = pkg.closed_at ?? pkg.cancelled_at;
  if (ended && firstFunding) {
    const end = dayOf(ended);
    dates.push({ type: '4', date: end < firstFunding ? firstFunding : end });
  } else if (ended) {
    dates.push({ type: '4', date: dayOf(ended) });
  }
  return dates;
}

function money(s: Snapshot, amountMinor: bigint, currency: string): string {
  return `${currency} ${formatAmount(amountMinor, s.exponents.get(currency) ?? 2)}`;
}

function activityOf(s: Snapshot, pkg: PackageRow): Activity {
  const allocations = s.allocations.get(pkg.id) ?? [];
  const donorOf = (a: AllocationRow) => partyOrg(s.parties, s.donors.get(a.contribution_id)!);
  const supplier = partyOrg(s.parties, SUPPLIER_PARTY);
  const transactions: Transaction[] = [];
  for (const a of allocations) {
    transactions.push({
      type: TRANSACTION.incomingCommitment,
      date: a.value_date,
      amountMinor: a.amount_minor,
      currency: a.currency,
      valueDate: a.value_date,
      description:
        `Allocation ${a.id} of contribution ${a.contribution_id}: ` +
        `${money(s, a.amount_minor, a.currency)} = ${money(s, a.package_amount_minor, pkg.currency)} ` +
        `at ${a.rate} (${a.rate_source}, rates of ${a.rate_date}).`,
      provider: donorOf(a),
    });
  }
  for (const a of allocations.filter((row) => row.status === 'posted')) {
    transactions.push({
      type: TRANSACTION.incomingFunds,
      date: pkg.authorized_on ?? dayOf(a.resolved_at ?? a.created_at),
      amountMinor: a.amount_minor,
      currency: a.currency,
      valueDate: a.value_date,
      description: `Allocation ${a.id} of contribution ${a.contribution_id}, posted to the package when the sale was authorised.`,
      provider: donorOf(a),
    });
  }
  for (const r of s.surpluses.filter((row) => row.packageId === pkg.id)) {
    const allocation = allocations.find((a) => a.id === r.allocationId);
    assert(
      allocation,
      `surplus of allocation ${r.allocationId} of package ${pkg.id}: no such allocation`,
    );
    transactions.push({
      type: TRANSACTION.incomingFunds,
      date: r.date,
      amountMinor: -r.amountMinor,
      currency: r.currency,
      valueDate: r.date,
      description: `Surplus returned to contribution ${allocation.contribution_id} (allocation ${r.allocationId}) when the package closed.`,
      provider: donorOf(allocation),
    });
  }
  for (const d of s.disbursements.filter((row) => row.packageId === pkg.id)) {
    transactions.push({
      type: TRANSACTION.disbursement,
      date: d.valueDate,
      amountMinor: d.amountMinor,
      currency: d.currency,
      valueDate: d.valueDate,
      description: `Payment to the supplier (ledger transfer ${d.transferId}).`,
      receiver: supplier,
    });
  }
  const funderIds = [...new Set(allocations.map((a) => s.donors.get(a.contribution_id)!))].sort();
  return {
    pkg,
    funders: funderIds.map((id) => partyOrg(s.parties, id)),
    status: activityStatus(pkg, allocations.length > 0),
    dates: activityDates(pkg, allocations),
    transactions,
  };
}

function description(s: Snapshot, pkg: PackageRow): string {
  const synthetic = pkg.synthetic ? 'SYNTHETIC DEMO RECORD — not real data. ' : '';
  return (
    `${synthetic}PURL package ${pkg.number} for the requirement cycle ${pkg.cycle}: ${pkg.title}. ` +
    `Price ${money(s, pkg.price_minor, pkg.currency)}; funded ${money(s, pkg.funded_minor, pkg.currency)}; ` +
    `disbursed to the supplier ${money(s, pkg.disbursed_minor, pkg.currency)}. Status: ${pkg.status}.`
  );
}

function narrative(parent: XMLBuilder, text: string): void {
  parent.ele('narrative').txt(text);
}

function writeActivity(
  root: XMLBuilder,
  s: Snapshot,
  activity: Activity,
  reportingOrg: { ref: string; name: string },
): void {
  const { pkg } = activity;
  const a = root.ele('iati-activity', {
    'last-updated-datetime': pkg.updated_at.toISOString(),
    'xml:lang': 'en',
    'default-currency': pkg.currency,
    hierarchy: '1',
  });
  a.ele('iati-identifier').txt(`${reportingOrg.ref}-${pkg.number}`);
  narrative(
    a.ele('reporting-org', { ref: reportingOrg.ref, type: ORG_TYPE.multilateral }),
    reportingOrg.name,
  );
  narrative(a.ele('title'), `${pkg.number}: ${pkg.title}`);
  narrative(a.ele('description', { type: '1' }), description(s, pkg));
  for (const funder of activity.funders)
    narrative(a.ele('participating-org', { role: ROLE.funding, type: funder.type }), funder.name);
  narrative(
    a.ele('participating-org', {
      ref: reportingOrg.ref,
      role: ROLE.accountable,
      type: ORG_TYPE.multilateral,
    }),
    reportingOrg.name,
  );
  const supplier = partyOrg(s.parties, SUPPLIER_PARTY);
  narrative(
    a.ele('participating-org', { role: ROLE.implementing, type: supplier.type }),
    supplier.name,
  );
  a.ele('activity-status', { code: activity.status });
  for (const date of activity.dates)
    a.ele('activity-date', { type: date.type, 'iso-date': date.date });
  a.ele('recipient-country', { code: IATI_RECIPIENT_COUNTRY, percentage: '100' });
  narrative(
    a.ele('sector', { vocabulary: '1', code: IATI_SECTOR_CODE, percentage: '100' }),
    'Security system management and reform',
  );
  for (const t of activity.transactions) writeTransaction(a, s, t);
}

function writeTransaction(parent: XMLBuilder, s: Snapshot, t: Transaction): void {
  const e = parent.ele('transaction');
  e.ele('transaction-type', { code: t.type });
  e.ele('transaction-date', { 'iso-date': t.date });
  e.ele('value', { currency: t.currency, 'value-date': t.valueDate }).txt(
    formatAmount(t.amountMinor, s.exponents.get(t.currency) ?? 2),
  );
  narrative(e.ele('description'), t.description);
  if (t.provider) narrative(e.ele('provider-org', { type: t.provider.type }), t.provider.name);
  if (t.receiver) narrative(e.ele('receiver-org', { type: t.receiver.type }), t.receiver.name);
}

/** The IATI 2.03 activity file of every package offered to donors (see the header). */
export async function exportIati(
  database: Database,
  actor: Actor,
  options: IatiOptions = {},
): Promise<IatiExport> {
  authorize(actor, 'analytics.read');
  const now = options.now ?? new Date();
  const reportingOrg = {
    ref: options.reportingOrgRef ?? IATI_REPORTING_ORG_REF,
    name: IATI_REPORTING_ORG_NAME,
  };
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,99}$/.test(reportingOrg.ref)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'reportingOrgRef: an IATI organisation identifier such as XI-IATI-NATO (letters, digits, - . _).',
      { field: 'reportingOrgRef' },
    );
  }
  const snapshot = await inTransaction(database, readSnapshot, { isolation: 'repeatable read' });
  if (snapshot.packages.length === 0) {
    throw new DomainError(
      'NOT_FOUND',
      'No package has been offered to donors yet: an IATI file needs at least one activity; open a package first.',
      { field: 'packages' },
    );
  }
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('iati-activities', {
    version: IATI_VERSION,
    'generated-datetime': now.toISOString(),
  });
  let transactions = 0;
  for (const pkg of snapshot.packages) {
    const activity = activityOf(snapshot, pkg);
    transactions += activity.transactions.length;
    writeActivity(root, snapshot, activity, reportingOrg);
  }
  return {
    fileName: `purl-iati-${now.toISOString().slice(0, 10)}.xml`,
    contentType: IATI_CONTENT_TYPE,
    xml: root.end({ prettyPrint: true }),
    activities: snapshot.packages.length,
    transactions,
  };
}
