/**
 * Lead times and stalled packages: the median and 90th percentile days of each stage
 * (committed → funded → authorised → first dispatch → fully received) as a chart and a table,
 * the packages in the pipeline by what they wait for, and the stalled packages — those whose
 * current stage has lasted longer than the threshold (the reader's to set) — each linking to
 * its package.
 */
import { Anchor, Group, NumberInput, SimpleGrid, Stack, Text, Paper } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import type { EChartsOption } from 'echarts';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { drillHref, useAnalysisOptions } from '../../api/analysis-options';
import { useLeadTimes, type LeadTimes } from '../../api/analytics';
import { useFormat } from '../../i18n/format';
import { ChartCard } from '../../ui/ChartCard';
import { DataTable } from '../../ui/DataTable';
import { FigureLink } from '../../ui/FigureLink';
import { QueryState } from '../../ui/QueryState';
import { EChart } from '../../ui/charts/EChart';
import { escapeHtml } from '../../ui/charts/chart-format';
import { GRID_LINE, INK, PALETTE } from '../../ui/charts/echarts';
import { AnalysisFrame } from './AnalysisFrame';
import { DownloadButtons } from './DownloadButtons';
import { Headline } from './Headline';
import { TableSection } from './TableSection';

type Stage = LeadTimes['stages'][number];
type Stalled = LeadTimes['stalled'][number];

/** The API's bounds of the stalled threshold (days). */
const STALLED_MIN = 1;
const STALLED_MAX = 3650;

export function stalledAfterDaysOf(search: URLSearchParams): number | undefined {
  const text = search.get('stalledAfterDays');
  if (!text || !/^\d{1,4}$/.test(text)) return undefined;
  const days = Number(text);
  return days >= STALLED_MIN && days <= STALLED_MAX ? days : undefined;
}

export function LeadTimesAnalysis() {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const [options] = useAnalysisOptions();
  const [search] = useSearchParams();
  const stalledAfterDays = stalledAfterDaysOf(search);
  const settings = stalledAfterDays === undefined ? {} : { stalledAfterDays };
  const leadTimes = useLeadTimes(options, settings);
  return (
    <AnalysisFrame name="lead-times" basis={leadTimes.data?.basis} extras={settings}>
      <QueryState query={leadTimes} height={300}>
        {(data) => (
          <Stack gap="lg">
            <Headline
              label={t('leadTimes.headline', { days: data.stalledAfterDays })}
              figure={data.stalledFigure}
              value={format.money(data.stalledValueMinor, data.basis.currency)}
              note={t('leadTimes.headlineNote', { count: data.stalled.length })}
            />
            <LeadTimesChart leadTimes={data} />
            <LeadTimesTable leadTimes={data} />
            <Waiting leadTimes={data} />
            <StalledTable leadTimes={data} settings={settings} />
          </Stack>
        )}
      </QueryState>
    </AnalysisFrame>
  );
}

function LeadTimesChart({ leadTimes }: { leadTimes: LeadTimes }) {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const navigate = useNavigate();
  const [options] = useAnalysisOptions();
  const stages = leadTimes.stages;
  const option = useMemo((): EChartsOption => {
    const series = [
      { key: 'medianDays', name: t('leadTimes.median') },
      { key: 'p90Days', name: t('leadTimes.p90') },
    ] as const;
    return {
      grid: { left: 8, right: 16, top: 48, bottom: 16, containLabel: true },
      legend: { top: 0, textStyle: { color: INK } },
      tooltip: {
        trigger: 'axis',
        formatter: (params: unknown) => {
          const items = params as { dataIndex: number; seriesIndex: number; marker: string }[];
          const stage = stages[items[0]?.dataIndex ?? 0];
          if (!stage) return '';
          const lines = items.map((item) => {
            const spec = series[item.seriesIndex];
            const days = spec ? stage[spec.key] : null;
            return `${item.marker}${escapeHtml(spec?.name ?? '')}: <b>${escapeHtml(days === null ? '—' : t('leadTimes.days', { count: days }))}</b>`;
          });
          return [escapeHtml(t(`leadTimes.stages.${stage.stage}`)), ...lines].join('<br/>');
        },
      },
      xAxis: {
        type: 'category',
        data: stages.map((stage) => t(`leadTimes.stagesShort.${stage.stage}`)),
        axisLabel: { color: INK, interval: 0, width: 120, overflow: 'break', lineHeight: 16 },
      },
      yAxis: {
        type: 'value',
        name: t('leadTimes.axis'),
        nameTextStyle: { color: INK },
        axisLabel: { color: INK, formatter: (value: number) => format.integer(value) },
        splitLine: { lineStyle: { color: GRID_LINE } },
      },
      series: series.map((spec, index) => ({
        name: spec.name,
        type: 'bar' as const,
        data: stages.map((stage) => stage[spec.key] ?? 0),
        color: PALETTE[index],
        cursor: 'pointer',
      })),
    };
  }, [stages, t, format]);

  const columns = useMemo(
    (): ColumnDef<Stage, unknown>[] => [
      {
        id: 'stage',
        header: t('leadTimes.stage'),
        accessorFn: (stage) => stages.indexOf(stage),
        cell: ({ row }) => t(`leadTimes.stages.${row.original.stage}`),
      },
      {
        id: 'median',
        header: t('leadTimes.median'),
        accessorFn: (stage) => stage.medianDays ?? -1,
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.medianDays === null ? '—' : format.integer(row.original.medianDays),
      },
      {
        id: 'p90',
        header: t('leadTimes.p90'),
        accessorFn: (stage) => stage.p90Days ?? -1,
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.p90Days === null ? '—' : format.integer(row.original.p90Days),
      },
    ],
    [t, format, stages],
  );

  return (
    <ChartCard
      testId="lead-times-chart-card"
      title={t('leadTimes.chartTitle')}
      description={t('leadTimes.chartDescription')}
      chart={
        <EChart
          option={option}
          label={t('leadTimes.aria', {
            summary: stages
              .map(
                (stage) =>
                  `${t(`leadTimes.stages.${stage.stage}`)} ${stage.medianDays ?? '—'} / ${stage.p90Days ?? '—'}`,
              )
              .join('; '),
          })}
          height={320}
          onItemClick={({ dataIndex }) => {
            const stage = stages[dataIndex];
            if (stage) void navigate(drillHref(stage.figure, options));
          }}
        />
      }
      table={
        <DataTable
          data={stages}
          columns={columns}
          caption={t('leadTimes.chartTitle')}
          rowKey={(stage) => stage.stage}
        />
      }
    />
  );
}

function LeadTimesTable({ leadTimes }: { leadTimes: LeadTimes }) {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const currency = leadTimes.basis.currency;
  const stages = leadTimes.stages;
  const columns = useMemo(
    (): ColumnDef<Stage, unknown>[] => [
      {
        id: 'stage',
        header: t('leadTimes.stage'),
        accessorFn: (stage) => stages.indexOf(stage),
        cell: ({ row }) => t(`leadTimes.stages.${row.original.stage}`),
      },
      {
        id: 'packages',
        header: t('leadTimes.packages'),
        accessorFn: (stage) => stage.packages,
        meta: { numeric: true },
        cell: ({ row }) => format.integer(row.original.packages),
      },
      {
        id: 'median',
        header: t('leadTimes.median'),
        accessorFn: (stage) => stage.medianDays ?? -1,
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.medianDays === null
            ? '—'
            : t('leadTimes.days', { count: row.original.medianDays }),
      },
      {
        id: 'p90',
        header: t('leadTimes.p90'),
        accessorFn: (stage) => stage.p90Days ?? -1,
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.p90Days === null
            ? '—'
            : t('leadTimes.days', { count: row.original.p90Days }),
      },
      {
        id: 'value',
        header: t('leadTimes.value'),
        accessorFn: (stage) => BigInt(stage.valueMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <FigureLink
            figure={row.original.figure}
            label={`${t('leadTimes.value')}, ${t(`leadTimes.stages.${row.original.stage}`)}`}
          >
            {format.money(row.original.valueMinor, currency)}
          </FigureLink>
        ),
      },
    ],
    [t, format, currency, stages],
  );
  return (
    <TableSection title={t('leadTimes.tableTitle')} description={t('leadTimes.tableDescription')}>
      <DataTable
        data={stages}
        columns={columns}
        caption={t('leadTimes.tableTitle')}
        rowKey={(stage) => stage.stage}
        testId="lead-times-table"
      />
    </TableSection>
  );
}

function Waiting({ leadTimes }: { leadTimes: LeadTimes }) {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  return (
    <TableSection
      title={t('leadTimes.waitingTitle')}
      description={t('leadTimes.waitingDescription')}
    >
      <SimpleGrid
        cols={{ base: 2, md: 4 }}
        spacing="sm"
        component="ul"
        style={{ listStyle: 'none', padding: 0, margin: 0 }}
        data-testid="waiting-list"
      >
        {leadTimes.waiting.map((entry) => (
          <Paper key={entry.stage} component="li" withBorder p="sm" radius="md">
            <Text size="sm" c="dimmed" fw={600}>
              {t(`leadTimes.waiting.${entry.stage}`)}
            </Text>
            <Text size="lg" fw={700}>
              {t('leadTimes.packagesCount', {
                count: entry.packages,
                formatted: format.integer(entry.packages),
              })}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
    </TableSection>
  );
}

function StalledTable({
  leadTimes,
  settings,
}: {
  leadTimes: LeadTimes;
  settings: { stalledAfterDays?: number };
}) {
  const { t } = useTranslation(['analysis', 'common']);
  const format = useFormat();
  const currency = leadTimes.basis.currency;
  const columns = useMemo(
    (): ColumnDef<Stalled, unknown>[] => [
      {
        id: 'package',
        header: t('leadTimes.stalled.package'),
        accessorFn: (item) => item.number,
        cell: ({ row }) => (
          <Stack gap={0}>
            <Anchor component={Link} to={`/packages/${row.original.packageId}`} fw={600} size="sm">
              {row.original.number}
            </Anchor>
            <Text size="xs" c="dimmed">
              {row.original.title}
            </Text>
          </Stack>
        ),
      },
      {
        id: 'status',
        header: t('leadTimes.stalled.status'),
        accessorFn: (item) => item.status,
        cell: ({ row }) => t(`common:packageStatus.${row.original.status}`),
      },
      {
        id: 'waitingFor',
        header: t('leadTimes.stalled.waitingFor'),
        accessorFn: (item) => item.stage,
        cell: ({ row }) =>
          row.original.stage === 'delivery'
            ? t('leadTimes.stalled.waitingDelivery', {
                received: row.original.linesReceived,
                total: row.original.linesTotal,
              })
            : t(`leadTimes.waiting.${row.original.stage}`),
      },
      {
        id: 'since',
        header: t('leadTimes.stalled.since'),
        accessorFn: (item) => item.since,
        meta: { nowrap: true },
        cell: ({ row }) => format.day(row.original.since),
      },
      {
        id: 'days',
        header: t('leadTimes.stalled.days'),
        accessorFn: (item) => item.days,
        meta: { numeric: true },
        cell: ({ row }) => format.integer(row.original.days),
      },
      {
        id: 'price',
        header: t('leadTimes.stalled.price'),
        accessorFn: (item) => BigInt(item.priceMinor),
        meta: { numeric: true },
        cell: ({ row }) => format.money(row.original.priceMinor, currency),
      },
      {
        id: 'gap',
        header: t('leadTimes.stalled.gap'),
        accessorFn: (item) => BigInt(item.gapMinor),
        meta: { numeric: true },
        cell: ({ row }) => format.money(row.original.gapMinor, currency),
      },
    ],
    [t, format, currency],
  );
  return (
    <TableSection
      title={t('leadTimes.stalled.title')}
      description={t('leadTimes.stalled.description', { days: leadTimes.stalledAfterDays })}
      testId="stalled-section"
      actions={
        <DownloadButtons
          dataset="stalled-packages"
          extras={settings}
          subject={t('leadTimes.stalled.title')}
          testIdPrefix="download-stalled"
        />
      }
    >
      <StalledThreshold days={leadTimes.stalledAfterDays} />
      {leadTimes.stalled.length === 0 ? (
        <Text size="sm">{t('leadTimes.stalled.none')}</Text>
      ) : (
        <DataTable
          data={leadTimes.stalled}
          columns={columns}
          caption={t('leadTimes.stalled.title')}
          rowKey={(item) => item.packageId}
          testId="stalled-table"
        />
      )}
    </TableSection>
  );
}

/** The days after which a package counts as stalled, kept in the URL once valid. */
function StalledThreshold({ days }: { days: number }) {
  const { t } = useTranslation('analysis');
  const [, setSearch] = useSearchParams();
  const [value, setValue] = useState<string | number>(days);
  const [shown, setShown] = useState(days);
  if (shown !== days) {
    setShown(days);
    setValue(days);
  }
  const valid =
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= STALLED_MIN &&
    value <= STALLED_MAX;
  return (
    <Group align="flex-end">
      <NumberInput
        label={t('leadTimes.stalled.threshold')}
        description={t('leadTimes.stalled.thresholdHint', { max: STALLED_MAX })}
        value={value}
        min={STALLED_MIN}
        max={STALLED_MAX}
        allowDecimal={false}
        allowNegative={false}
        clampBehavior="none"
        error={valid ? undefined : t('leadTimes.stalled.thresholdError', { max: STALLED_MAX })}
        onChange={(next) => {
          setValue(next);
          if (
            typeof next === 'number' &&
            Number.isInteger(next) &&
            next >= STALLED_MIN &&
            next <= STALLED_MAX
          ) {
            setSearch((search) => {
              const updated = new URLSearchParams(search);
              updated.set('stalledAfterDays', String(next));
              return updated;
            });
          }
        }}
        w={240}
        data-testid="stalled-threshold"
      />
    </Group>
  );
}
