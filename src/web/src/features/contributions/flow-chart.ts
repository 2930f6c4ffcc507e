/**
 * The Sankey of a contribution's flow, as plain data: nodes and links in the contribution's
 * currency (minor units), built from the API's answer so that what leaves a node is what
 * reached it — committed → each package (its net allocation) and "still available"; each package
 * → delivered / paid to the supplier, not yet delivered / neither (or "not shown" when the
 * reader may not see the package's delivered value). Links of zero are left out (a Sankey cannot
 * draw them).
 */
import type { ContributionFlow } from '../../api/contributions';

export type FlowNodeKind =
  | 'committed'
  | 'package'
  | 'available'
  | 'delivered'
  | 'disbursedNotDelivered'
  | 'notDisbursed'
  | 'restricted';

export interface FlowNode {
  /** Unique in the chart: the kind, or `package:<id>`. */
  id: string;
  kind: FlowNodeKind;
  /** The package's number, for package nodes. */
  packageNumber?: string;
}

export interface FlowLink {
  source: string;
  target: string;
  /** Minor units of the contribution's currency. */
  valueMinor: string;
}

export interface FlowChartData {
  nodes: FlowNode[];
  links: FlowLink[];
}

const OUTCOME_KINDS = ['delivered', 'disbursedNotDelivered', 'notDisbursed'] as const;

export function flowChartData(flow: ContributionFlow): FlowChartData {
  const nodes = new Map<string, FlowNode>();
  const links: FlowLink[] = [];
  const node = (n: FlowNode) => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
    return n.id;
  };
  const link = (source: string, target: string, valueMinor: string) => {
    if (BigInt(valueMinor) > 0n) links.push({ source, target, valueMinor });
  };
  const root = node({ id: 'committed', kind: 'committed' });
  for (const p of flow.packages) {
    if (BigInt(p.netAllocatedMinor) <= 0n) continue;
    const id = node({
      id: `package:${p.package.id}`,
      kind: 'package',
      packageNumber: p.package.number,
    });
    link(root, id, p.netAllocatedMinor);
    if ('redacted' in p.outcome) {
      link(id, node({ id: 'restricted', kind: 'restricted' }), p.netAllocatedMinor);
      continue;
    }
    const outcome = p.outcome;
    for (const kind of OUTCOME_KINDS) {
      const value = outcome[`${kind}Minor`];
      if (BigInt(value) > 0n) link(id, node({ id: kind, kind }), value);
    }
  }
  if (BigInt(flow.totals.availableMinor) > 0n) {
    link(root, node({ id: 'available', kind: 'available' }), flow.totals.availableMinor);
  }
  // Only nodes some link touches (a lone "committed" of a pledge draws nothing).
  const used = new Set(links.flatMap((l) => [l.source, l.target]));
  return { nodes: [...nodes.values()].filter((n) => used.has(n.id)), links };
}
