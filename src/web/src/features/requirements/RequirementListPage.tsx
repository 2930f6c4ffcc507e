/**
 * One requirement list (`/requirements/:id`): its facts, its items in priority order, the joint
 * approval and the history of its status. What the signed-in user may do is offered where the
 * list's status allows it (the server checks both again):
 * - recipient, draft: add, edit and remove items, set the priority order (drag, keyboard or the
 *   move buttons, then save), submit; withdraw before approval (recipient, coordinator);
 * - validator, submitted: set approved quantities, validate;
 * - recipient, coordinator, supplier, validated: sign the approval in their role;
 * - coordinator, approved: close.
 */
import { Anchor, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  useRequirementList,
  useRequirementListTransition,
  type RequirementList,
  type RequirementListTransition,
} from '../../api/requirements';
import { useMay } from '../../app/access';
import { useFormat } from '../../i18n/format';
import { Money } from '../../ui/Money';
import { PageHeader } from '../../ui/PageHeader';
import { QueryState } from '../../ui/QueryState';
import { ApprovalsPanel } from './ApprovalsPanel';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { HistoryPanel } from './HistoryPanel';
import { ItemsSection } from './ItemsSection';
import { StatusBadge } from './StatusBadge';
import { useNotify } from '../../ui/notify';

export default function RequirementListPage() {
  const { t } = useTranslation('requirements');
  const { id } = useParams();
  const list = useRequirementList(id);
  return (
    <Stack gap="lg">
      {list.data === undefined ? <PageHeader title={t('title')} /> : null}
      <QueryState query={list} height={320}>
        {(data) => <ListDetail list={data} />}
      </QueryState>
    </Stack>
  );
}

function ListDetail({ list }: { list: RequirementList }) {
  const { t } = useTranslation('requirements');
  const format = useFormat();
  return (
    <Stack gap="xl">
      <PageHeader
        title={list.title}
        description={t('detail.description', {
          cycle: format.month(list.cycle),
          version: list.version,
        })}
        actions={
          <Group gap="sm">
            <Anchor component={Link} to="/requirements">
              {t('detail.back')}
            </Anchor>
            <WorkflowActions list={list} />
          </Group>
        }
      />
      <Facts list={list} />
      <ItemsSection list={list} />
      <ApprovalsPanel list={list} />
      <HistoryPanel list={list} />
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text component="dd" m={0} size="sm">
        {children}
      </Text>
    </div>
  );
}

function Facts({ list }: { list: RequirementList }) {
  const { t } = useTranslation(['requirements', 'common']);
  const format = useFormat();
  return (
    <section aria-label={t('detail.facts')} data-testid="list-facts">
      <SimpleGrid component="dl" cols={{ base: 2, sm: 3, lg: 6 }} spacing="md" m={0}>
        <Fact label={t('columns.status')}>
          <StatusBadge status={list.status} />
        </Fact>
        <Fact label={t('columns.cycle')}>{format.month(list.cycle)}</Fact>
        <Fact label={t('columns.items')}>{format.integer(list.items.length)}</Fact>
        <Fact label={t('columns.requestedTotal')}>
          <span data-testid="requested-total">
            <Money minor={list.totals.requested.amountMinor} currency="USD" />
          </span>
        </Fact>
        <Fact label={t('columns.approvedTotal')}>
          <span data-testid="approved-total">
            <Money minor={list.totals.approved.amountMinor} currency="USD" />
          </span>
        </Fact>
        <Fact label={t('columns.updated')}>{format.dateTime(list.updatedAt)}</Fact>
      </SimpleGrid>
      {list.synthetic || list.sourceNote ? (
        <Text size="sm" c="dimmed" mt="sm">
          {list.synthetic ? t('detail.synthetic') : null} {list.sourceNote ?? ''}
        </Text>
      ) : null}
    </section>
  );
}

/** The transitions the user may take from the list's status (approval: in its panel). */
function WorkflowActions({ list }: { list: RequirementList }) {
  const { t } = useTranslation('requirements');
  const notify = useNotify();
  const mayWrite = useMay('requirements.write');
  const mayValidate = useMay('requirements.validate');
  const mayClose = useMay('requirements.close');
  const mayWithdraw = useMay('requirements.withdraw');
  const transition = useRequirementListTransition(list);

  const run = (action: RequirementListTransition) => async () => {
    await transition.mutateAsync(action);
    notify.success(t(`transitions.${action}.done`));
  };
  const button = (action: RequirementListTransition, extra: { disabled?: boolean } = {}) => (
    <ConfirmButton
      key={action}
      label={t(`transitions.${action}.action`)}
      title={t(`transitions.${action}.title`)}
      message={t(`transitions.${action}.message`)}
      confirmLabel={t(`transitions.${action}.confirm`)}
      onConfirm={run(action)}
      testId={`${action}-list`}
      buttonProps={{
        variant: action === 'withdraw' ? 'outline' : 'filled',
        color: action === 'withdraw' ? 'red' : undefined,
        disabled: extra.disabled,
      }}
    />
  );

  const actions: ReactNode[] = [];
  if (mayWrite && list.status === 'draft') {
    actions.push(button('submit', { disabled: list.items.length === 0 }));
  }
  if (mayValidate && list.status === 'submitted') actions.push(button('validate'));
  if (mayClose && list.status === 'approved') actions.push(button('close'));
  if (mayWithdraw && ['draft', 'submitted', 'validated'].includes(list.status)) {
    actions.push(button('withdraw'));
  }
  if (actions.length === 0) return null;
  return (
    <Group gap="sm" data-testid="list-actions">
      {actions}
    </Group>
  );
}
