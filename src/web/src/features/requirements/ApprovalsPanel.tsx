/**
 * The joint approval: the three signatory roles (recipient, coordinator, supplier), who signed
 * for each and when; the signed-in user signs for its own role while the list is validated and
 * that signature is missing. The third signature approves the list.
 */
import { Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  APPROVAL_ROLES,
  useRequirementListTransition,
  type ApprovalRole,
  type RequirementList,
} from '../../api/requirements';
import { useMay } from '../../app/access';
import { useSession } from '../../app/session';
import { useFormat } from '../../i18n/format';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { ScrollRegion } from './ScrollRegion';
import { SectionTitle } from './SectionTitle';
import { signerOf } from './signer';
import { useNotify } from '../../ui/notify';

function isApprovalRole(role: string): role is ApprovalRole {
  return (APPROVAL_ROLES as readonly string[]).includes(role);
}

export function ApprovalsPanel({ list }: { list: RequirementList }) {
  const { t } = useTranslation(['requirements', 'common']);
  const notify = useNotify();
  const format = useFormat();
  const session = useSession();
  const mayApprove = useMay('requirements.approve');
  const transition = useRequirementListTransition(list);
  const myUserId = session.me.user?.id;
  const signedCount = list.approvals.length;

  const who = (actorId: string) => {
    const signer = signerOf(actorId, myUserId);
    switch (signer.kind) {
      case 'you':
        return t('approvals.you', { name: session.displayName });
      case 'user':
        return t('approvals.user', { id: signer.userId });
      case 'system':
        return t('approvals.system', { name: signer.name });
      case 'other':
        return signer.id;
    }
  };

  return (
    <section aria-labelledby="approvals-heading" data-testid="approvals-panel">
      <Stack gap="sm">
        <SectionTitle id="approvals-heading">{t('approvals.heading')}</SectionTitle>
        <Text size="sm" c="dimmed" data-testid="approvals-summary">
          {list.status === 'approved' || list.status === 'closed'
            ? t('approvals.complete')
            : list.status === 'validated'
              ? t('approvals.collecting', { count: signedCount, total: APPROVAL_ROLES.length })
              : t('approvals.notYet')}
        </Text>
        <ScrollRegion label={t('approvals.caption')}>
          <Table verticalSpacing="xs" fz="sm" miw={480}>
            <caption>
              <VisuallyHidden>{t('approvals.caption')}</VisuallyHidden>
            </caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('approvals.role')}</Table.Th>
                <Table.Th scope="col">{t('approvals.signedBy')}</Table.Th>
                <Table.Th scope="col">{t('approvals.signedAt')}</Table.Th>
                <Table.Th scope="col">{t('approvals.action')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {APPROVAL_ROLES.map((role) => {
                const signature = list.approvals.find((approval) => approval.role === role);
                const mine =
                  mayApprove &&
                  isApprovalRole(session.role) &&
                  session.role === role &&
                  list.status === 'validated' &&
                  signature === undefined;
                return (
                  <Table.Tr key={role} data-testid={`approval-${role}`}>
                    <Table.Th scope="row">{t(`common:roles.${role}`)}</Table.Th>
                    <Table.Td>
                      {signature ? (
                        who(signature.actorId)
                      ) : (
                        <Text span size="sm" c="dimmed">
                          {t('approvals.missing')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {signature ? format.dateTime(signature.signedAt) : '—'}
                    </Table.Td>
                    <Table.Td>
                      {mine ? (
                        <ConfirmButton
                          label={t('approvals.approve')}
                          ariaLabel={t('approvals.approveAs', { role: t(`common:roles.${role}`) })}
                          title={t('approvals.confirmTitle')}
                          message={t('approvals.confirmMessage', {
                            role: t(`common:roles.${role}`),
                          })}
                          confirmLabel={t('approvals.approve')}
                          testId="approve-list"
                          buttonProps={{ size: 'xs' }}
                          onConfirm={async () => {
                            const updated = await transition.mutateAsync('approve');
                            notify.success(
                              updated.status === 'approved'
                                ? t('approvals.doneApproved')
                                : t('approvals.done'),
                            );
                          }}
                        />
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      </Stack>
    </section>
  );
}
