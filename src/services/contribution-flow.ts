/**
 * A contribution's flow — "where each euro went": what it committed and paid, what it allocated
 * to which package (at which rate, rate date and source, and what reached the package), and what
 * became of that money in each package: its share of what the package disbursed to the supplier
 * and of the value delivered (received quantity × unit price). Read in one REPEATABLE READ
 * snapshot.
 *
 * Rules:
 * - A package's disbursed amount is split among its funders pro rata to their funding (Σ of
 *   each contribution's live allocations in the package currency) by largest remainder; its
 *   delivered value is split receipt by receipt the same way (`receiptParts` of the follow-up
 *   analysis, on the follow-up's own reads), so the funders' shares add up to the package's
 *   figures exactly and the delivered share equals the follow-up's delivered figure.
 * - What the contribution still holds in a package (net of a surplus returned at closing) is
 *   cut in three, in the package currency: delivered (its delivered share, at most what it
 *   holds), disbursed but not yet delivered, not yet disbursed. The same three parts in the
 *   contribution's currency are the net allocated amount split by largest remainder in those
 *   proportions, so every figure adds up to the contribution's committed amount exactly:
 *   committed = Σ net allocated + available, and each package's net allocated = its three parts.
 * - Access: `contributions.read`, as `getContribution`. A contributor sees every contribution's
 *   amounts and allocations (the package pages show them), but a delivered value reveals unit
 *   prices (restricted, core/redaction.ts): for a package its party does not fund, the delivered
 *   share and the three-way cut are `{ redacted: true }` (and so are the totals' parts). Its own
 *   party's contributions it sees in full.
 */
import type { Actor } from '../core/actor.js';
import { contributionAccounts, type ContributionStatus } from '../core/contributions.js';
import { DomainError, assert } from '../core/errors.js';
import { availableMinor } from '../core/ledger.js';
import { authorize } from '../core/policy.js';
import { REDACTED, maySeeRestricted, type Restricted } from '../core/redaction.js';
import { splitByWeights } from '../core/split.js';
import { listFundingShares, listReceiptValues } from '../storage/analytics-delivery-repository.js';
import {
  listFlowAllocations,
  listSurplusReturns,
  type FlowAllocationRow,
} from '../storage/contribution-flow-repository.js';
import { findContribution } from '../storage/contributions-repository.js';
import type { Database } from '../storage/database.js';
import { findAccountByReference } from '../storage/ledger-repository.js';
import type { AllocationStatus, PackageStatus } from '../storage/schema-funding.js';
import { inTransaction } from '../storage/transaction.js';
import { receiptParts } from './analytics/follow-up.js';

/** The three things a contribution's money in a package became; they add up to what it holds. */
export interface FlowOutcome {
  /** Its share of the value received in good order. */
  deliveredMinor: bigint;
  /** Paid to the supplier, not yet delivered. */
  disbursedNotDeliveredMinor: bigint;
  /** Not yet paid to the supplier. */
  notDisbursedMinor: bigint;
}

export interface FlowAllocation {
  id: bigint;
  status: AllocationStatus;
  /** Leaves the contribution, in its currency. */
  amountMinor: bigint;
  currency: string;
  packageId: bigint;
  packageNumber: string;
  /** Reaches the package, in its currency. */
  packageAmountMinor: bigint;
  packageCurrency: string;
  valueDate: string;
  /** Package currency per contribution currency (display, 10 significant digits). */
  rate: string;
  rateDate: string;
  rateSource: string;
  /** Surplus returned to the contribution at the package's closing (contribution currency). */
  returnedMinor: bigint;
}

export interface FlowPackage {
  package: {
    id: bigint;
    number: string;
    title: string;
    status: PackageStatus;
    currency: string;
    priceMinor: bigint;
    /** Σ every funder's live allocations. */
    fundedMinor: bigint;
    disbursedMinor: bigint;
    /** Value received in good order, every funder's share together. */
    deliveredMinor: Restricted<bigint>;
  };
  /** In the contribution's currency: its live allocations, the surplus returned, the rest. */
  allocatedMinor: bigint;
  returnedMinor: bigint;
  netAllocatedMinor: bigint;
  /** In the package's currency: what reached the package, returned, still held. */
  fundedMinor: bigint;
  returnedPackageMinor: bigint;
  netFundedMinor: bigint;
  /** Its pro-rata shares of the package's disbursed amount and delivered value. */
  disbursedShareMinor: bigint;
  deliveredShareMinor: Restricted<bigint>;
  /** What it holds in the package became: in the package's currency … */
  packageOutcome: Restricted<FlowOutcome>;
  /** … and the same in the contribution's currency (adds up to `netAllocatedMinor`). */
  outcome: Restricted<FlowOutcome>;
}

export interface ContributionFlow {
  contribution: {
    id: bigint;
    donorPartyId: string;
    title: string;
    currency: string;
    status: ContributionStatus;
    pledgedMinor: bigint;
    committedMinor: bigint;
    paidMinor: bigint;
    allocatedMinor: bigint;
    availableMinor: bigint;
  };
  /** False when some package's outcome is redacted for this reader. */
  complete: boolean;
  allocations: FlowAllocation[];
  packages: FlowPackage[];
  /** In the contribution's currency: Σ packages, and what is still available. */
  totals: {
    allocatedMinor: bigint;
    returnedMinor: bigint;
    netAllocatedMinor: bigint;
    availableMinor: bigint;
    outcome: Restricted<FlowOutcome>;
  };
}

const EARLIEST = '0001-01-01';
const LATEST = '9999-12-31';

/** The three-way cut of what a contribution holds in a package, in the package's currency. */
function cut(heldMinor: bigint, disbursedMinor: bigint, deliveredMinor: bigint): FlowOutcome {
  const held = heldMinor > 0n ? heldMinor : 0n;
  const delivered = deliveredMinor < held ? deliveredMinor : held;
  const disbursed = disbursedMinor < held ? disbursedMinor : held;
  const disbursedNotDelivered = disbursed > delivered ? disbursed - delivered : 0n;
  return {
    deliveredMinor: delivered,
    disbursedNotDeliveredMinor: disbursedNotDelivered,
    notDisbursedMinor: held - delivered - disbursedNotDelivered,
  };
}

/** `outcome` in another unit: `totalMinor` split by largest remainder in its proportions. */
function scaled(totalMinor: bigint, outcome: FlowOutcome): FlowOutcome {
  const weights = [
    outcome.deliveredMinor,
    outcome.disbursedNotDeliveredMinor,
    outcome.notDisbursedMinor,
  ];
  if (totalMinor <= 0n || weights.every((w) => w === 0n)) {
    return { deliveredMinor: 0n, disbursedNotDeliveredMinor: 0n, notDisbursedMinor: totalMinor };
  }
  const [delivered, disbursed, rest] = splitByWeights(totalMinor, weights);
  return {
    deliveredMinor: delivered!,
    disbursedNotDeliveredMinor: disbursed!,
    notDisbursedMinor: rest!,
  };
}

function sumOf<T>(items: readonly T[], pick: (item: T) => bigint): bigint {
  return items.reduce((sum, item) => sum + pick(item), 0n);
}

/** The flow of one contribution; NOT_FOUND (field `id`) when there is none. */
export async function getContributionFlow(
  database: Database,
  actor: Actor,
  id: bigint,
): Promise<ContributionFlow> {
  authorize(actor, 'contributions.read');
  return inTransaction(
    database,
    async (tx) => {
      const row = await findContribution(tx, id);
      if (!row) throw new DomainError('NOT_FOUND', 'No such contribution.', { field: 'id' });
      const account = await findAccountByReference(tx, contributionAccounts(id).available);
      const available = account ? availableMinor(account) : 0n;
      const allocations = await listFlowAllocations(tx, id);
      const returns = new Map(
        (await listSurplusReturns(tx, id)).map((r) => [r.allocationId, r] as const),
      );
      const live = allocations.filter((a) => a.status !== 'voided');
      const packageIds = [...new Set(live.map((a) => a.packageId))];
      const shares = await listFundingShares(tx, packageIds);
      const receipts = await listReceiptValues(tx, [id], EARLIEST, LATEST);
      const parts = receiptParts(receipts, shares);

      const packages = packageIds.map((packageId): FlowPackage => {
        const mine = live.filter((a) => a.packageId === packageId);
        const first: FlowAllocationRow = mine[0]!;
        const funders = shares.filter((s) => s.packageId === packageId && s.fundedMinor > 0n);
        const index = funders.findIndex((s) => s.contributionId === id);
        assert(index >= 0, 'a contribution with a live allocation funds its package');
        const disbursedShare = splitByWeights(
          first.packageDisbursedMinor,
          funders.map((s) => s.fundedMinor),
        )[index]!;
        const packageReceipts = receipts.filter((r) => r.packageId === packageId);
        const delivered = sumOf(packageReceipts, (r) => r.valueMinor);
        const deliveredShare = sumOf(packageReceipts, (r) =>
          sumOf(
            (parts.get(r) ?? []).filter((p) => p.share.contributionId === id),
            (p) => p.partMinor,
          ),
        );
        const allocated = sumOf(mine, (a) => a.amountMinor);
        const returned = sumOf(mine, (a) => returns.get(a.id)?.returnedMinor ?? 0n);
        const funded = sumOf(mine, (a) => a.packageAmountMinor);
        const returnedPackage = sumOf(mine, (a) => returns.get(a.id)?.returnedPackageMinor ?? 0n);
        assert(funded === funders[index]!.fundedMinor, 'the funding share is the allocations');
        const packageOutcome = cut(funded - returnedPackage, disbursedShare, deliveredShare);
        const visible = maySeeRestricted(actor, 'package', {
          fundingParties: funders.map((s) => s.donorPartyId),
        });
        return {
          package: {
            id: packageId,
            number: first.packageNumber,
            title: first.packageTitle,
            status: first.packageStatus,
            currency: first.packageCurrency,
            priceMinor: first.packagePriceMinor,
            fundedMinor: first.packageFundedMinor,
            disbursedMinor: first.packageDisbursedMinor,
            deliveredMinor: visible ? delivered : { ...REDACTED },
          },
          allocatedMinor: allocated,
          returnedMinor: returned,
          netAllocatedMinor: allocated - returned,
          fundedMinor: funded,
          returnedPackageMinor: returnedPackage,
          netFundedMinor: funded - returnedPackage,
          disbursedShareMinor: disbursedShare,
          deliveredShareMinor: visible ? deliveredShare : { ...REDACTED },
          packageOutcome: visible ? packageOutcome : { ...REDACTED },
          outcome: visible ? scaled(allocated - returned, packageOutcome) : { ...REDACTED },
        };
      });

      const netAllocated = sumOf(packages, (p) => p.netAllocatedMinor);
      // The ledger's own identity: committed = what is allocated (net of returns) + available.
      assert(
        netAllocated + available === row.committed_minor,
        'a contribution’s allocations and availability add up to its commitment',
      );
      const outcomes = packages.map((p) => p.outcome);
      const complete = outcomes.every((o) => !('redacted' in o));
      const known = outcomes.filter((o): o is FlowOutcome => !('redacted' in o));
      return {
        contribution: {
          id: row.id,
          donorPartyId: row.donor_party_id,
          title: row.title,
          currency: row.currency,
          status: row.status,
          pledgedMinor: row.pledged_minor,
          committedMinor: row.committed_minor,
          paidMinor: row.paid_minor,
          allocatedMinor: row.committed_minor - available,
          availableMinor: available,
        },
        complete,
        allocations: allocations.map((a) => ({
          id: a.id,
          status: a.status,
          amountMinor: a.amountMinor,
          currency: a.currency,
          packageId: a.packageId,
          packageNumber: a.packageNumber,
          packageAmountMinor: a.packageAmountMinor,
          packageCurrency: a.packageCurrency,
          valueDate: a.valueDate,
          rate: a.rate,
          rateDate: a.rateDate,
          rateSource: a.rateSource,
          returnedMinor: returns.get(a.id)?.returnedMinor ?? 0n,
        })),
        packages,
        totals: {
          allocatedMinor: sumOf(packages, (p) => p.allocatedMinor),
          returnedMinor: sumOf(packages, (p) => p.returnedMinor),
          netAllocatedMinor: netAllocated,
          availableMinor: available,
          outcome: complete
            ? {
                deliveredMinor: sumOf(known, (o) => o.deliveredMinor),
                disbursedNotDeliveredMinor: sumOf(known, (o) => o.disbursedNotDeliveredMinor),
                notDisbursedMinor: sumOf(known, (o) => o.notDisbursedMinor),
              }
            : { ...REDACTED },
        },
      };
    },
    { isolation: 'repeatable read' },
  );
}
