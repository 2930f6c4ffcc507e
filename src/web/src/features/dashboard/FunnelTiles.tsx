/**
 * The dashboard's headline figures: one tile per stage of the funnel, in compact money, each a
 * link to its records. Pledged is shown apart: a pledge is never counted as funding.
 */
import { Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Funnel } from '../../api/analytics';
import { useFormat } from '../../i18n/format';
import { FigureLink } from '../../ui/FigureLink';

export function FunnelTiles({ funnel }: { funnel: Funnel }) {
  const { t } = useTranslation('dashboard');
  const format = useFormat();
  const currency = funnel.basis.currency;
  return (
    <SimpleGrid
      cols={{ base: 2, sm: 4, xl: 7 }}
      spacing="sm"
      component="ul"
      aria-label={t('tiles.label')}
      style={{ listStyle: 'none', padding: 0, margin: 0 }}
      data-testid="funnel-tiles"
    >
      {funnel.stages.map((stage) => {
        const label = t(`stages.${stage.stage}`);
        return (
          <Paper
            key={stage.stage}
            component="li"
            withBorder
            p="sm"
            radius="md"
            bg={stage.funding ? undefined : 'gray.0'}
          >
            <Stack gap={2}>
              <Text size="sm" c="dimmed" fw={600}>
                {label}
              </Text>
              <Text size="xl" fw={700} style={{ fontVariantNumeric: 'tabular-nums' }}>
                <FigureLink figure={stage.figures.amount} label={label}>
                  {format.money(stage.amountMinor, currency, { compact: true })}
                </FigureLink>
              </Text>
              <Text size="xs" c="dimmed">
                {!stage.funding
                  ? t('tiles.notFunding')
                  : stage.percentOfCommitted !== null && stage.stage !== 'committed'
                    ? t('tiles.ofCommitted', { percent: format.percent(stage.percentOfCommitted) })
                    : t('tiles.records', { count: stage.records })}
              </Text>
            </Stack>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}
