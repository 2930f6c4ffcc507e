/** What each role may do, in a few words: the legend beside the user list. */
import { Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ROLES } from '../../api/auth';

export function RoleLegend() {
  const { t } = useTranslation(['admin', 'common']);
  return (
    <Paper
      withBorder
      p="sm"
      component="section"
      aria-labelledby="role-legend-heading"
      data-testid="role-legend"
    >
      <Text component="h2" fw={700} size="md" id="role-legend-heading" mt={0} mb="xs">
        {t('legend.title')}
      </Text>
      <Table fz="sm" verticalSpacing={4}>
        <caption>
          <VisuallyHidden>{t('legend.title')}</VisuallyHidden>
        </caption>
        <Table.Tbody>
          {ROLES.map((role) => (
            <Table.Tr key={role}>
              <Table.Th scope="row" style={{ whiteSpace: 'nowrap' }}>
                {t(`common:roles.${role}`)}
              </Table.Th>
              <Table.Td>{t(`legend.${role}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
