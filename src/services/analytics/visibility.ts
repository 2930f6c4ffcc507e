/**
 * Who may see which record of an analysis in full (core/redaction.ts): package contents and
 * requirement items are restricted to the parties that fund them. For a contributor, the
 * packages and items its party funds are read in the analysis's snapshot — from each chunk of
 * packages' funders, kept under the chunk's revision (stage-memo.ts: every write of a package's
 * allocations updates its row), and its packages' items, kept under the chunk's shape — so a
 * drill-down after an allocation reads one chunk's funders, not every allocation (a large donor:
 * 165 ms at scale 1). Items are read only when the reader's role depends on them. Every other
 * role is decided by the role alone.
 */
import { dependsOnParties, maySeeRestricted } from '../../core/redaction.js';
import {
  listItemsFundedBy,
  listPackageFunders,
  listPackageItems,
  listPackagesFundedBy,
} from '../../storage/analytics-repository.js';
import type { Tx } from '../../storage/transaction.js';
import type { AnalysisContext, SourceRecord } from './figures.js';
import { readKeptChunkValues } from './stage-memo.js';

export interface Visibility {
  /** Whether the reader may see this record in full. */
  sees(record: SourceRecord): boolean;
  /** Whether the reader may see this package's contents (its lines, shares, receipts). */
  seesPackage(packageId: bigint): boolean;
  /** The packages whose contents the reader may see; null: every package. */
  packagesSeen(): readonly bigint[] | null;
}

/** The reader's view of restricted records, in the analysis's snapshot. */
export async function visibilityFor(
  tx: Tx,
  context: Pick<AnalysisContext, 'actor' | 'options'>,
): Promise<Visibility> {
  const { actor } = context;
  const party = actor.partyId;
  const needPackages = dependsOnParties(actor, 'package') && party !== undefined;
  const needItems = dependsOnParties(actor, 'requirement_item') && party !== undefined;
  const funded =
    party !== undefined && (needPackages || needItems)
      ? await fundedBy(tx, context, party, needItems)
      : { packages: new Set<bigint>(), items: () => new Set<bigint>() };
  const packages = needPackages ? funded.packages : new Set<bigint>();
  let items: Set<bigint> | undefined;
  const itemFunded = (itemId: bigint) => needItems && (items ??= funded.items()).has(itemId);
  const funders = (isFunder: boolean) => ({ fundingParties: isFunder && party ? [party] : [] });
  // The policy decides by role and by whether the reader's party funds the record: decided
  // once for each case, not once per record (a drill-down asks for thousands).
  const seesPackages = maySeeRestricted(actor, 'package', funders(false));
  const seesFundedPackages = maySeeRestricted(actor, 'package', funders(true));
  const seesItems = maySeeRestricted(actor, 'requirement_item', funders(false));
  const seesFundedItems = maySeeRestricted(actor, 'requirement_item', funders(true));
  const seesPackage = (packageId: bigint) =>
    seesPackages || (seesFundedPackages && packages.has(packageId));
  return {
    sees(record) {
      const restriction = record.restricted;
      if (restriction === null) return true;
      if (restriction.kind === 'package') return seesPackage(restriction.packageId);
      return seesItems || (seesFundedItems && itemFunded(restriction.itemId));
    },
    seesPackage,
    packagesSeen() {
      if (seesPackages) return null;
      return [...packages].filter(seesPackage);
    },
  };
}

/**
 * The packages `party` funds (an allocation from one of its contributions, not voided) and — when
 * `withItems`, made when first asked — the requirement items of their lines.
 */
async function fundedBy(
  tx: Tx,
  context: Pick<AnalysisContext, 'options'>,
  party: string,
  withItems: boolean,
): Promise<{ packages: Set<bigint>; items: () => Set<bigint> }> {
  if (context.options.databaseId === undefined) {
    const items = new Set(withItems ? await listItemsFundedBy(tx, party) : []);
    return { packages: new Set(await listPackagesFundedBy(tx, party)), items: () => items };
  }
  // Per chunk: its packages by funding party, and each package's items.
  const byParty = await readKeptChunkValues(
    tx,
    context,
    'funders',
    'package',
    listPackageFunders,
    (rows) =>
      groupIds(
        rows,
        (r) => r.partyId,
        (r) => r.packageId,
      ),
  );
  const itemsByPackage = !withItems
    ? []
    : await readKeptChunkValues(
        tx,
        context,
        'package-items',
        // A package's items are its lines': kept under the chunk's shape, which an allocation
        // leaves alone (migration 0028), and the lines' version.
        'package_shape',
        listPackageItems,
        (rows) =>
          groupIds(
            rows,
            (r) => r.packageId,
            (r) => r.itemId,
          ),
        ['package_line'],
      );
  const packages = new Set<bigint>();
  for (const chunk of byParty) for (const id of chunk.get(party) ?? []) packages.add(id);
  return {
    packages,
    items: () => {
      const items = new Set<bigint>();
      for (const chunk of itemsByPackage) {
        for (const [id, list] of chunk) {
          if (packages.has(id)) for (const item of list) items.add(item);
        }
      }
      return items;
    },
  };
}

/** The rows' ids grouped by a key. */
function groupIds<R, K>(
  rows: readonly R[],
  keyOf: (row: R) => K,
  idOf: (row: R) => bigint,
): Map<K, bigint[]> {
  const map = new Map<K, bigint[]>();
  for (const r of rows) {
    const key = keyOf(r);
    const list = map.get(key);
    if (list) list.push(idOf(r));
    else map.set(key, [idOf(r)]);
  }
  return map;
}
