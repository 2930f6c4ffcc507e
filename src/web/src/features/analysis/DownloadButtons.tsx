/**
 * "Download CSV" and "Download XLSX": links (`download`) to the analysis's export on the page's
 * basis and options, in the reader's language — English for Ukrainian readers, files being
 * written in English and French only (the description under the buttons says so).
 */
import { Button, Group, Stack, Text } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnalysisOptions } from '../../api/analysis-options';
import { useFormat } from '../../i18n/format';
import type { ExportDataset } from './analyses';
import { EXPORT_FORMATS, exportHref, exportLanguageOf, type ExportExtras } from './export-href';

export function DownloadButtons({
  dataset,
  extras,
  subject,
  testIdPrefix = 'download',
}: {
  dataset: ExportDataset;
  extras?: ExportExtras;
  /** Said in the buttons' names when a page offers two datasets ("stalled packages"). */
  subject?: string;
  testIdPrefix?: string;
}) {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const [options] = useAnalysisOptions();
  const descriptionId = useId();
  const fileLanguage = exportLanguageOf(format.language);
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="wrap">
        {EXPORT_FORMATS.map((fileFormat) => (
          <Button
            key={fileFormat}
            component="a"
            href={exportHref(dataset, fileFormat, format.language, options, extras)}
            download
            variant="light"
            size="sm"
            aria-describedby={descriptionId}
            data-testid={`${testIdPrefix}-${fileFormat}`}
          >
            {subject
              ? t('download.buttonOf', { format: fileFormat.toUpperCase(), subject })
              : t('download.button', { format: fileFormat.toUpperCase() })}
          </Button>
        ))}
      </Group>
      <Text size="xs" c="dimmed" id={descriptionId}>
        {fileLanguage === format.language
          ? t('download.description')
          : t('download.descriptionEnglish')}
      </Text>
    </Stack>
  );
}
