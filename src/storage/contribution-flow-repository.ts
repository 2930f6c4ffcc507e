/**
 * SQL of a contribution's flow ("where each euro went", services/contribution-flow.ts): the
 * contribution's allocations with their packages, and the surpluses returned to it when a
 * package closed. Each read is one statement whatever the number of packages. The funders'
 * shares and the receipts' values come from storage/analytics-delivery-repository.ts (the
 * follow-up analysis's own reads), so both agree.
 */
import { sql } from 'kysely';
import { contributionAccounts } from '../core/contributions.js';
import { PACKAGE_TRANSFER_CODES } from '../core/packages.js';
import type { Database } from './database.js';
import type { AllocationStatus, PackageStatus } from './schema-funding.js';
import type { Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];

export interface FlowAllocationRow {
  id: bigint;
  status: AllocationStatus;
  /** Leaves the contribution, in its currency. */
  amountMinor: bigint;
  currency: string;
  /** Reaches the package, in the package's currency. */
  packageAmountMinor: bigint;
  valueDate: string;
  rate: string;
  rateDate: string;
  rateSource: string;
  packageId: bigint;
  packageNumber: string;
  packageTitle: string;
  packageStatus: PackageStatus;
  packageCurrency: string;
  packagePriceMinor: bigint;
  packageFundedMinor: bigint;
  packageDisbursedMinor: bigint;
}

/** Every allocation of the contribution (voided ones included), by package then id. */
export async function listFlowAllocations(
  db: Executor,
  contributionId: bigint,
): Promise<FlowAllocationRow[]> {
  const result = await sql<FlowAllocationRow>`
    SELECT a.id, a.status, a.amount_minor AS "amountMinor", a.currency,
           a.package_amount_minor AS "packageAmountMinor", a.value_date::text AS "valueDate",
           a.rate::text AS rate, a.rate_date::text AS "rateDate", a.rate_source AS "rateSource",
           p.id AS "packageId", p.number AS "packageNumber", p.title AS "packageTitle",
           p.status AS "packageStatus", p.currency AS "packageCurrency",
           p.price_minor AS "packagePriceMinor", p.funded_minor AS "packageFundedMinor",
           p.disbursed_minor AS "packageDisbursedMinor"
    FROM allocation a
    JOIN package p ON p.id = a.package_id
    WHERE a.contribution_id = ${contributionId}
    ORDER BY p.id, a.id`.execute(db);
  return result.rows;
}

export interface SurplusReturnRow {
  allocationId: bigint;
  /** Back on the contribution's available account, in the contribution's currency. */
  returnedMinor: bigint;
  /** Out of the package's funding, in the package's currency. */
  returnedPackageMinor: bigint;
}

/**
 * The surplus returned to each of the contribution's allocations when its package closed: the
 * ledger's posted surplus-return transfers (each naming its allocation in its idempotency key,
 * `package:P:surplus:A`, with `:from` / `:to` legs when converted), credited to the
 * contribution's available account and debited from the package's funding account.
 */
export async function listSurplusReturns(
  db: Executor,
  contributionId: bigint,
): Promise<SurplusReturnRow[]> {
  const result = await sql<SurplusReturnRow>`
    SELECT a.id AS "allocationId",
           coalesce(sum(t.amount) FILTER (WHERE cr.reference = ${contributionAccounts(contributionId).available}), 0)::bigint
             AS "returnedMinor",
           coalesce(sum(t.amount) FILTER (WHERE dr.reference LIKE 'package:%:funding'), 0)::bigint
             AS "returnedPackageMinor"
    FROM ledger_transfer t
    JOIN ledger_account cr ON cr.id = t.credit_account_id
    JOIN ledger_account dr ON dr.id = t.debit_account_id
    JOIN allocation a
      ON a.id = substring(t.idempotency_key FROM '^package:[0-9]+:surplus:([0-9]+)')::bigint
    WHERE t.code = ${PACKAGE_TRANSFER_CODES.surplusReturn} AND t.kind = 'posted'
      AND a.contribution_id = ${contributionId}
    GROUP BY a.id
    ORDER BY a.id`.execute(db);
  return result.rows;
}
