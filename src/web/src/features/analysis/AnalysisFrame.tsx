/**
 * What every analysis page has around its figures: its heading, the navigation between the
 * analyses, the basis controls with the stated basis, the note on restricted records for a
 * reader bound to a party, and the download buttons of its export on the same basis.
 */
import { Card, Grid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalyticsBasis } from '../../api/analytics';
import { useSession } from '../../app/session';
import { AnalysisControls } from '../../ui/AnalysisControls';
import { BasisNote } from '../../ui/BasisNote';
import { PageHeader } from '../../ui/PageHeader';
import { AnalysisNav } from './AnalysisNav';
import { DownloadButtons } from './DownloadButtons';
import { ANALYSES, type AnalysisName } from './analyses';
import type { ExportExtras } from './export-href';

export function AnalysisFrame({
  name,
  basis,
  extras,
  children,
}: {
  name: AnalysisName;
  /** The basis the API stated (once the figures are there). */
  basis: AnalyticsBasis | undefined;
  extras?: ExportExtras;
  children: ReactNode;
}) {
  const { t } = useTranslation('analysis');
  const dataset = ANALYSES.find((analysis) => analysis.name === name)?.datasets[0] ?? name;
  return (
    <Stack gap="lg" data-testid={`analysis-${name}`}>
      <PageHeader
        title={t(`analyses.${name}.title`)}
        description={t(`analyses.${name}.description`)}
      />
      <AnalysisNav current={name} />
      <Card withBorder padding="md" radius="md">
        <Grid gap="md" align="flex-end">
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <Stack gap="sm">
              <AnalysisControls />
              {basis ? <BasisNote basis={basis} /> : null}
              <RedactionNote />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <DownloadButtons dataset={dataset} {...(extras ? { extras } : {})} />
          </Grid.Col>
        </Grid>
      </Card>
      {children}
    </Stack>
  );
}

/**
 * For a reader acting for a party (a contributor): the figures count every record, but the
 * contents of packages its party does not fund are restricted — their records show as one
 * redacted line in a figure's drill-down (the API folds them so).
 */
function RedactionNote() {
  const { t } = useTranslation('analysis');
  const { partyId } = useSession();
  if (partyId === null) return null;
  return (
    <Text size="sm" data-testid="redaction-note">
      {t('redactionNote')}
    </Text>
  );
}
