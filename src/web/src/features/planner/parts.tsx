/**
 * Small pieces of the planner page: an item's status as a badge (its name in words), a proposed
 * package's kind in words, the solver's verdict in a sentence, and an item's name (category, by
 * rank) from the plan's explanations.
 */
import { Text } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemExplanation, PlannedPackage, ScenarioPlan } from '../../api/plans';
import { useFormat } from '../../i18n/format';
import { StatusBadge } from '../../ui/StatusBadge';
import { useAreaName } from '../packages/parts';
import { gapPercentText } from './plan-request';

const STATUS_COLOURS: Record<ItemExplanation['status'], string> = {
  funded: 'teal.9',
  partly_funded: 'blue.8',
  not_funded: 'gray.7',
};

export function ItemStatusBadge({ status }: { status: ItemExplanation['status'] }) {
  const { t } = useTranslation('planner');
  return (
    <StatusBadge
      status={status}
      label={t(`status.${status}`)}
      colours={STATUS_COLOURS}
      variant="filled"
    />
  );
}

/** "Joint package: any capability area", "Themed by earmark: Artillery", "Funded by X alone". */
export function usePackageKind(): (pkg: PlannedPackage) => string {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const areaName = useAreaName();
  return useCallback(
    (pkg: PlannedPackage) => {
      if (pkg.kind === 'joint') return t('kind.joint');
      if (pkg.kind === 'earmarked') {
        return t('kind.earmarked', { areas: format.list(pkg.areas.map(areaName)) });
      }
      return t('kind.sole', { donor: format.party(pkg.donorPartyId ?? '') });
    },
    [t, format, areaName],
  );
}

/** "Proven best" or "within 1.2 % of the best possible (time limit)", with the solving time. */
export function SolverLine({ plan }: { plan: ScenarioPlan }) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const seconds = format.decimal((plan.solver.milliseconds / 1000).toFixed(1), 1);
  return (
    <Text size="sm" c="dimmed" data-testid="solver-line" data-optimal={plan.solver.optimal}>
      {plan.solver.optimal
        ? t('solver.optimal', { seconds })
        : t('solver.gap', { gap: format.percent(gapPercentText(plan.solver.gap)), seconds })}
    </Text>
  );
}

/** An item's name as the plan gives it: its category (rank n), by requirement item id. */
export function useItemName(plan: ScenarioPlan): (requirementItemId: string) => string {
  const { t } = useTranslation('planner');
  return useCallback(
    (id: string) => {
      const item = plan.items.find((i) => i.requirementItemId === id);
      return item ? t('itemName', { category: item.category, rank: item.priorityRank }) : id;
    },
    [plan.items, t],
  );
}
