/**
 * Pace against target: committed, paid and delivered per month and cumulatively against a
 * target per month, with the projected day a goal is reached at the current pace. The target
 * and the goal are the reader's to set (in the reporting currency; empty: the API's defaults,
 * US$1bn a month and US$5bn converted): they go into the URL, the query and the download.
 */
import { Button, Group, Stack, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAnalysisOptions } from '../../api/analysis-options';
import { usePace, type Pace } from '../../api/analytics';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { FigureLink } from '../../ui/FigureLink';
import { MoneyInput } from '../../ui/MoneyInput';
import { QueryState } from '../../ui/QueryState';
import { fieldErrorOf } from '../../ui/form-errors';
import { PaceCard } from '../dashboard/PaceCard';
import { AnalysisFrame } from './AnalysisFrame';
import { Headline } from './Headline';
import { TableSection } from './TableSection';
import { amountMinorOf, amountParam, paceSettingsOf, type PaceSettings } from './pace-settings';

type Month = Pace['months'][number];

const TARGET_FIELDS = ['targetPerMonth', 'targetPerMonthMinor'];
const GOAL_FIELDS = ['goal', 'goalMinor'];

export function PaceAnalysis() {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const [options] = useAnalysisOptions();
  const [search] = useSearchParams();
  const settings = useMemo(() => paceSettingsOf(search), [search]);
  const pace = usePace(options, settings);
  // The last answer's target and goal fill the form, also while a refused setting is shown.
  const [lastGood, setLastGood] = useState<Pace | undefined>(undefined);
  if (pace.data !== undefined && pace.data !== lastGood) setLastGood(pace.data);
  const refused =
    fieldErrorOf(pace.error, ...TARGET_FIELDS) !== undefined ||
    fieldErrorOf(pace.error, ...GOAL_FIELDS) !== undefined;
  return (
    <AnalysisFrame name="pace" basis={pace.data?.basis} extras={{ ...settings }}>
      <PaceSettingsForm
        settings={settings}
        current={
          lastGood
            ? { targetMinor: lastGood.target.amountMinor, goalMinor: lastGood.goal.amountMinor }
            : undefined
        }
        error={pace.error}
        busy={pace.isFetching}
      />
      {refused ? (
        <Text size="sm" role="status">
          {t('pace.refused')}
        </Text>
      ) : (
        <QueryState query={pace} height={300}>
          {(data) => {
            const last = data.months.at(-1);
            return (
              <Stack gap="lg">
                {last ? (
                  <Headline
                    label={t('pace.headline')}
                    figure={last.figures.cumulativeCommitted}
                    value={format.money(last.cumulativeCommittedMinor, data.basis.currency)}
                    note={<PaceNote pace={data} />}
                  />
                ) : null}
                <PaceCard pace={data} />
                <PaceTable pace={data} />
              </Stack>
            );
          }}
        </QueryState>
      )}
    </AnalysisFrame>
  );
}

/**
 * The target and the goal, checked as one types, applied to the URL (and so to the query). The
 * fields start with the figures in use: the URL's, else the API's defaults (converted to the
 * reporting currency).
 */
function PaceSettingsForm({
  settings,
  current,
  error,
  busy,
}: {
  settings: PaceSettings;
  /** The last answer's target and goal, in minor units. */
  current: { targetMinor: string; goalMinor: string } | undefined;
  error: unknown;
  busy: boolean;
}) {
  const { t } = useTranslation('analysis');
  const [options] = useAnalysisOptions();
  const [, setSearch] = useSearchParams();
  const initialTarget = amountMinorOf(settings.targetPerMonth) ?? current?.targetMinor ?? null;
  const initialGoal = amountMinorOf(settings.goal) ?? current?.goalMinor ?? null;
  // New values from elsewhere (the URL, another currency, the first answer) refill the fields.
  const fieldsKey = `${options.currency}|${initialTarget ?? ''}|${initialGoal ?? ''}`;
  const [target, setTarget] = useState<string | null>(initialTarget);
  const [goal, setGoal] = useState<string | null>(initialGoal);
  const [shownKey, setShownKey] = useState(fieldsKey);
  if (shownKey !== fieldsKey) {
    setShownKey(fieldsKey);
    setTarget(initialTarget);
    setGoal(initialGoal);
  }

  const apply = (next: { target: string | null; goal: string | null }) =>
    setSearch((search) => {
      const updated = new URLSearchParams(search);
      updated.delete('targetPerMonth');
      updated.delete('goal');
      if (next.target !== null) updated.set('targetPerMonth', amountParam(next.target));
      if (next.goal !== null) updated.set('goal', amountParam(next.goal));
      return updated;
    });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (target !== null && goal !== null) apply({ target, goal });
  };

  return (
    <form onSubmit={onSubmit} aria-label={t('pace.settings')} data-testid="pace-settings">
      <Group align="flex-start" gap="md" wrap="wrap">
        <MoneyInput
          key={`target|${fieldsKey}`}
          label={t('pace.targetPerMonth')}
          description={t('pace.targetHint')}
          currency={options.currency}
          valueMinor={target}
          onChangeMinor={setTarget}
          error={fieldErrorOf(error, ...TARGET_FIELDS)}
          data-testid="pace-target"
          w={260}
        />
        <MoneyInput
          key={`goal|${fieldsKey}`}
          label={t('pace.goal')}
          description={t('pace.goalHint')}
          currency={options.currency}
          valueMinor={goal}
          onChangeMinor={setGoal}
          error={fieldErrorOf(error, ...GOAL_FIELDS)}
          data-testid="pace-goal"
          w={260}
        />
        <Group gap="xs" mt={46}>
          <Button
            type="submit"
            disabled={target === null || goal === null || busy}
            data-testid="pace-apply"
          >
            {t('pace.apply')}
          </Button>
          <Button
            variant="default"
            onClick={() => apply({ target: null, goal: null })}
            disabled={settings.targetPerMonth === undefined && settings.goal === undefined}
          >
            {t('pace.reset')}
          </Button>
        </Group>
      </Group>
    </form>
  );
}

/** The target and goal used, the current pace, and the projection in words. */
function PaceNote({ pace }: { pace: Pace }) {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const currency = pace.basis.currency;
  const goal = format.money(pace.goal.amountMinor, currency);
  const { projection } = pace;
  let projectionText: string;
  if (projection.reachedOn) {
    projectionText = t('pace.reached', { goal, date: format.day(projection.reachedOn) });
  } else if (projection.projectedDate && pace.pace.perMonthMinor) {
    projectionText = t('pace.projection', { goal, date: format.day(projection.projectedDate) });
  } else {
    const reason = projection.reasonCode ?? pace.pace.reasonCode ?? 'no_pace';
    projectionText = t('pace.noProjection', { goal, reason: t(`pace.reasons.${reason}`) });
  }
  return (
    <Stack gap={2}>
      <div data-testid="pace-target-used">
        {t(pace.target.source === 'given' ? 'pace.targetGiven' : 'pace.targetDefault', {
          target: format.money(pace.target.amountMinor, currency),
        })}
      </div>
      {pace.pace.perMonthMinor !== null && pace.pace.figures.windowCommitted ? (
        <div>
          <div>
            {t('pace.currentPace', {
              from: format.month(pace.pace.window[0] ?? ''),
              to: format.month(pace.pace.window.at(-1) ?? ''),
            })}
          </div>
          <div>
            <FigureLink figure={pace.pace.figures.windowCommitted} label={t('pace.windowLabel')}>
              {format.money(pace.pace.perMonthMinor, currency)}
            </FigureLink>
          </div>
        </div>
      ) : null}
      <Text size="sm" fw={700} c="var(--mantine-color-text)" data-testid="pace-projection-text">
        {projectionText}
      </Text>
    </Stack>
  );
}

function PaceTable({ pace }: { pace: Pace }) {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const currency = pace.basis.currency;
  const columns = useMemo((): ColumnDef<Month, unknown>[] => {
    const linked = (
      key: keyof Month['figures'],
      minorKey: `${keyof Month['figures']}Minor`,
    ): ColumnDef<Month, unknown> => ({
      id: key,
      header: t(`pace.columns.${key}`),
      accessorFn: (month) => BigInt(month[minorKey]),
      meta: { numeric: true },
      cell: ({ row }) => (
        <FigureLink
          figure={row.original.figures[key]}
          label={`${t(`pace.columns.${key}`)}, ${format.month(row.original.month)}`}
        >
          {format.money(row.original[minorKey], currency)}
        </FigureLink>
      ),
    });
    return [
      {
        id: 'month',
        header: t('pace.columns.month'),
        accessorFn: (month) => month.month,
        meta: { nowrap: true },
        cell: ({ row }) =>
          row.original.complete
            ? format.month(row.original.month)
            : `${format.month(row.original.month)} (${t('pace.incomplete')})`,
      },
      linked('committed', 'committedMinor'),
      linked('paid', 'paidMinor'),
      linked('delivered', 'deliveredMinor'),
      linked('cumulativeCommitted', 'cumulativeCommittedMinor'),
      linked('cumulativePaid', 'cumulativePaidMinor'),
      linked('cumulativeDelivered', 'cumulativeDeliveredMinor'),
      {
        id: 'target',
        header: t('pace.columns.target'),
        accessorFn: (month) => BigInt(month.targetMinor),
        meta: { numeric: true },
        cell: ({ row }) => format.money(row.original.targetMinor, currency),
      },
      {
        id: 'cumulativeTarget',
        header: t('pace.columns.cumulativeTarget'),
        accessorFn: (month) => BigInt(month.cumulativeTargetMinor),
        meta: { numeric: true },
        cell: ({ row }) => format.money(row.original.cumulativeTargetMinor, currency),
      },
    ];
  }, [t, format, currency]);
  return (
    <TableSection title={t('pace.tableTitle')} description={t('pace.tableDescription')}>
      <DataTable
        data={pace.months}
        columns={columns}
        caption={t('pace.tableTitle')}
        rowKey={(month) => month.month}
        testId="pace-table"
      />
    </TableSection>
  );
}
