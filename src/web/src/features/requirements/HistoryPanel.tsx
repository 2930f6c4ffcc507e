/**
 * The history of a list: when it was created and reached each status, and each signature of
 * the joint approval, oldest first (the API's milestone times; every command is in the audit
 * log besides, for auditors).
 */
import { Stack, Table, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RequirementList } from '../../api/requirements';
import { useFormat } from '../../i18n/format';
import { SectionTitle } from './SectionTitle';

interface Milestone {
  key: string;
  at: string;
  label: string;
  /** The step of the workflow it belongs to: the order when times tie (one transaction). */
  phase: number;
}

/**
 * Steps in workflow order: the signatures come before the approval their third one makes (the
 * same transaction, so the same time), a withdrawal after any signature.
 */
const PHASE = {
  created: 0,
  submitted: 1,
  validated: 2,
  signed: 3,
  approved: 4,
  withdrawn: 4,
  closed: 5,
} as const;

export function HistoryPanel({ list }: { list: RequirementList }) {
  const { t } = useTranslation(['requirements', 'common']);
  const format = useFormat();
  const statuses = [
    ['submitted', list.submittedAt],
    ['validated', list.validatedAt],
    ['approved', list.approvedAt],
    ['closed', list.closedAt],
    ['withdrawn', list.withdrawnAt],
  ] as const;
  const milestones: Milestone[] = [
    { key: 'created', at: list.createdAt, label: t('history.created'), phase: PHASE.created },
    ...statuses.flatMap(([status, at]) =>
      at === null ? [] : [{ key: status, at, label: t(`history.${status}`), phase: PHASE[status] }],
    ),
    ...list.approvals.map((approval) => ({
      key: `signed-${approval.role}`,
      at: approval.signedAt,
      label: t('history.signed', { role: t(`common:roles.${approval.role}`) }),
      phase: PHASE.signed,
    })),
  ].sort((a, b) => a.phase - b.phase || Date.parse(a.at) - Date.parse(b.at));

  return (
    <section aria-labelledby="history-heading" data-testid="history-panel">
      <Stack gap="sm">
        <SectionTitle id="history-heading">{t('history.heading')}</SectionTitle>
        <Table verticalSpacing="xs" fz="sm" maw={640}>
          <caption>
            <VisuallyHidden>{t('history.caption')}</VisuallyHidden>
          </caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('history.when')}</Table.Th>
              <Table.Th scope="col">{t('history.what')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {milestones.map((milestone) => (
              <Table.Tr key={milestone.key}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {format.dateTime(milestone.at)}
                </Table.Td>
                <Table.Td>{milestone.label}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </section>
  );
}
