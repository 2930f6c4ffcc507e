import { describe, expect, it } from 'vitest';
import type { ContributionFlow } from '../../api/contributions';
import { flowChartData } from './flow-chart';

const outcome = (delivered: string, disbursed: string, rest: string) => ({
  deliveredMinor: delivered,
  disbursedNotDeliveredMinor: disbursed,
  notDisbursedMinor: rest,
});

function pkg(id: string, net: string, out: ContributionFlow['packages'][number]['outcome']) {
  return {
    package: {
      id,
      number: `PURL-00${id}`,
      title: 't',
      status: 'in_delivery',
      currency: 'USD',
      priceMinor: '0',
      fundedMinor: '0',
      disbursedMinor: '0',
      deliveredMinor: '0',
    },
    allocatedMinor: net,
    returnedMinor: '0',
    netAllocatedMinor: net,
    fundedMinor: '0',
    returnedPackageMinor: '0',
    netFundedMinor: '0',
    disbursedShareMinor: '0',
    deliveredShareMinor: '0',
    packageOutcome: out,
    outcome: out,
  } as ContributionFlow['packages'][number];
}

function flowOf(packages: ContributionFlow['packages'], available: string): ContributionFlow {
  return {
    contribution: {
      id: '1',
      donorPartyId: 'NLD',
      title: 't',
      currency: 'EUR',
      status: 'committed',
      pledgedMinor: '0',
      committedMinor: '0',
      paidMinor: '0',
      allocatedMinor: '0',
      availableMinor: available,
    },
    complete: true,
    allocations: [],
    packages,
    totals: {
      allocatedMinor: '0',
      returnedMinor: '0',
      netAllocatedMinor: '0',
      availableMinor: available,
      outcome: outcome('0', '0', '0'),
    },
  };
}

const sumOf = (links: { valueMinor: string }[]) =>
  links.reduce((s, l) => s + BigInt(l.valueMinor), 0n);

describe('the flow Sankey', () => {
  it('what leaves each node is what reached it; zero links are left out', () => {
    const data = flowChartData(
      flowOf(
        [pkg('1', '1000', outcome('600', '0', '400')), pkg('2', '500', outcome('0', '200', '300'))],
        '250',
      ),
    );
    const from = (id: string) => data.links.filter((l) => l.source === id);
    const to = (id: string) => data.links.filter((l) => l.target === id);
    expect(sumOf(from('committed'))).toBe(1750n);
    for (const id of ['package:1', 'package:2']) expect(sumOf(from(id))).toBe(sumOf(to(id)));
    expect(data.links.every((l) => BigInt(l.valueMinor) > 0n)).toBe(true);
    expect(data.nodes.map((n) => n.id).sort()).toEqual(
      [
        'available',
        'committed',
        'delivered',
        'disbursedNotDelivered',
        'notDisbursed',
        'package:1',
        'package:2',
      ].sort(),
    );
  });

  it('a redacted outcome flows to one "not shown" node; a pledge draws nothing', () => {
    const data = flowChartData(flowOf([pkg('3', '700', { redacted: true })], '0'));
    expect(data.links).toEqual([
      { source: 'committed', target: 'package:3', valueMinor: '700' },
      { source: 'package:3', target: 'restricted', valueMinor: '700' },
    ]);
    expect(flowChartData(flowOf([], '0'))).toEqual({ nodes: [], links: [] });
  });
});
