/**
 * The allocation planner (`/planner`, coordinator): one button proposes packages for the money
 * available now and the latest approved list (target $500M ± 10 % unless the folded options
 * say otherwise) — the proposed packages with their lines and allocations, why each item is in
 * or out, the constraints that bind and the extra money per capability area that would cover
 * the next items; a what-if beside it (hypothetical pledges, price changes, another target)
 * compared side by side. Nothing is written until the coordinator accepts the base plan, which
 * creates its packages (made again first: if the money or the list changed, it says so and
 * offers to plan again).
 */
import { Alert, Anchor, Button, Collapse, Group, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/errors';
import {
  useAcceptPlan,
  useMakePlan,
  type AcceptedPlan,
  type PlanResult,
  type ScenarioInput,
} from '../../api/plans';
import { useMay } from '../../app/access';
import { useFormat, type Formatter } from '../../i18n/format';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { readerErrorText, useFormError } from '../../ui/form-errors';
import { PageHeader } from '../../ui/PageHeader';
import { LoadingState } from '../../ui/QueryState';
import { ComparisonSection } from './ComparisonSection';
import { ExplanationSection } from './ExplanationSection';
import {
  DEFAULT_OPTIONS,
  acceptBody,
  baseRequest,
  optionsProblem,
  planBody,
  type BaseRequest,
  type PlanOptions,
} from './plan-request';
import { PlanOptionsForm } from './PlanOptionsForm';
import { ProposalSection } from './ProposalSection';
import { WhatIfPanel } from './WhatIfPanel';

/** Fields of the options a refusal may name (shown under them, not above). */
const OPTION_FIELDS = [
  'cycle',
  'scenarios.0.targetMinor',
  'scenarios.0.toleranceMinor',
  'scenarios.0.donorsFundingAlone',
] as const;

interface Proposal {
  request: BaseRequest;
  result: PlanResult;
}

/** The planner's own refusals (busy, solver failed) in their sentences; else the form's text. */
function usePlanError(): (error: unknown, fields?: readonly string[]) => string | undefined {
  const formError = useFormError();
  return (error, fields) => {
    if (
      isApiError(error) &&
      (error.code === 'PLANNER_BUSY' || error.code === 'PLAN_SOLVER_FAILED')
    ) {
      return readerErrorText(error);
    }
    return formError(error, fields);
  };
}

export default function PlannerPage() {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const mayAccept = useMay('plans.accept');
  const planError = usePlanError();
  const makePlan = useMakePlan();
  const compare = useMakePlan();
  const optionsId = useId();
  const [options, setOptions] = useState<PlanOptions>(DEFAULT_OPTIONS);
  const [showOptions, setShowOptions] = useState(false);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [comparison, setComparison] = useState<PlanResult | null>(null);
  const [accepted, setAccepted] = useState<AcceptedPlan | null>(null);
  const [stale, setStale] = useState(false);

  const propose = (request: BaseRequest | null) => {
    if (!request) {
      setShowOptions(true);
      return;
    }
    compare.reset();
    makePlan.mutate(planBody(request), {
      onSuccess: (result) => {
        setProposal({ request, result });
        setComparison(null);
        setStale(false);
      },
    });
  };

  const runCompare = (whatIf: ScenarioInput) => {
    if (!proposal) return;
    compare.mutate(planBody(proposal.request, whatIf), {
      onSuccess: (result) => setComparison(result),
    });
  };

  const problem = optionsProblem(options);
  const aboveOptions = planError(makePlan.error, OPTION_FIELDS);
  const plan = proposal?.result.scenarios[0];

  return (
    <Stack gap="lg">
      <PageHeader title={t('title')} description={t('description')} />
      <Paper withBorder p="md" component="section" aria-label={t('controls')}>
        <Stack gap="sm">
          <Group wrap="wrap">
            <Button
              size="md"
              onClick={() => {
                setAccepted(null);
                propose(baseRequest(options));
              }}
              loading={makePlan.isPending}
              disabled={makePlan.isPending}
              data-testid="propose"
            >
              {t('propose')}
            </Button>
            <Button
              variant="subtle"
              onClick={() => setShowOptions((shown) => !shown)}
              aria-expanded={showOptions}
              aria-controls={optionsId}
              data-testid="toggle-options"
            >
              {showOptions ? t('options.hide') : t('options.show')}
            </Button>
          </Group>
          <Text size="sm" c="dimmed" data-testid="options-summary">
            {summaryOf(options, t, format)}
          </Text>
          {problem !== null && !showOptions ? (
            <Text size="sm" c="red.8">
              {t('options.fix')}
            </Text>
          ) : null}
          <Collapse expanded={showOptions} id={optionsId}>
            <PlanOptionsForm options={options} onChange={setOptions} error={makePlan.error} />
          </Collapse>
          {aboveOptions ? (
            <Alert color="red" role="alert" data-testid="plan-error">
              {aboveOptions}
            </Alert>
          ) : null}
        </Stack>
      </Paper>

      {accepted ? <AcceptedAlert accepted={accepted} /> : null}
      {makePlan.isPending ? <LoadingState height={200} /> : null}

      {proposal && plan && !makePlan.isPending ? (
        <>
          {stale ? (
            <Alert color="orange" role="alert" title={t('stale.title')} data-testid="plan-stale">
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{t('stale.message')}</Text>
                <Button
                  size="xs"
                  variant="outline"
                  color="orange.9"
                  onClick={() => propose(proposal.request)}
                  data-testid="replan"
                >
                  {t('stale.replan')}
                </Button>
              </Stack>
            </Alert>
          ) : null}
          {mayAccept && !plan.whatIf && plan.packages.length > 0 && !stale ? (
            <AcceptPlan
              key={`accept-${plan.fingerprint}`}
              proposal={proposal}
              onAccepted={(done) => {
                setAccepted(done);
                setProposal(null);
                setComparison(null);
              }}
              onStale={() => setStale(true)}
            />
          ) : null}
          <ProposalSection result={proposal.result} plan={plan} />
          <ExplanationSection plan={plan} />
          <WhatIfPanel
            key={`what-if-${plan.fingerprint}`}
            base={proposal.request.scenario}
            plan={plan}
            pending={compare.isPending}
            error={planError(compare.error)}
            onCompare={runCompare}
            onClear={() => {
              compare.reset();
              setComparison(null);
            }}
          />
          {compare.isPending ? <LoadingState height={200} /> : null}
          {comparison && !compare.isPending ? <ComparisonSection result={comparison} /> : null}
        </>
      ) : null}
    </Stack>
  );
}

/** "Latest approved list · target $500,000,000.00 ± $50,000,000.00 · partial quantities". */
function summaryOf(options: PlanOptions, t: TFunction<'planner'>, format: Formatter): string {
  const parts = [
    options.cycle === '' ? t('summary.latest') : t('summary.cycle', { cycle: options.cycle }),
  ];
  if (options.targetMinor !== null && options.toleranceMinor !== null) {
    parts.push(
      t('summary.target', {
        target: format.money(options.targetMinor, 'USD'),
        tolerance: format.money(options.toleranceMinor, 'USD'),
      }),
    );
  }
  if (options.donorsFundingAlone.length > 0) {
    parts.push(
      t('summary.alone', { donors: format.list(options.donorsFundingAlone.map(format.party)) }),
    );
  }
  parts.push(options.partialQuantities ? t('summary.partial') : t('summary.wholeOnly'));
  return parts.join(' · ');
}

function AcceptPlan({
  proposal,
  onAccepted,
  onStale,
}: {
  proposal: Proposal;
  onAccepted: (accepted: AcceptedPlan) => void;
  onStale: () => void;
}) {
  const { t } = useTranslation('planner');
  const close = useTranslation('common').t('actions.close');
  const accept = useAcceptPlan();
  // One Idempotency-Key per reviewed plan: a retried confirmation is the same request.
  const [key] = useState(() => crypto.randomUUID());
  const plan = proposal.result.scenarios[0]!;
  return (
    <Paper withBorder p="md" data-testid="accept-panel">
      <Group justify="space-between" wrap="wrap">
        <Text size="sm">{t('accept.intro', { count: plan.packages.length })}</Text>
        <ConfirmButton
          label={t('accept.button')}
          title={t('accept.title')}
          message={t('accept.message', { count: plan.packages.length })}
          confirmLabel={t('accept.confirm')}
          testId="accept-plan"
          onConfirm={async () => {
            try {
              const done = await accept.mutateAsync({
                body: acceptBody(proposal.request, plan),
                key,
              });
              // The notifications stand outside the router: plain links (the page reloads).
              notifications.show({
                color: 'teal',
                withBorder: true,
                title: t('accept.doneTitle'),
                closeButtonProps: { 'aria-label': close, title: close },
                message: (
                  <span data-testid="accept-notification">
                    {t('accept.done', { count: done.packages.length })}{' '}
                    {done.packages.map((p, i) => (
                      <span key={p.id}>
                        {i > 0 ? ', ' : ''}
                        <Anchor href={`/packages/${p.id}`} size="sm">
                          {p.number}
                        </Anchor>
                      </span>
                    ))}
                  </span>
                ),
              });
              onAccepted(done);
            } catch (error) {
              if (isApiError(error) && error.code === 'PLAN_STALE') {
                onStale();
                return;
              }
              // The planner's own refusals (busy, solver failed) in their sentences, not as a
              // server error: the dialog shows an Error's message as it is.
              if (
                isApiError(error) &&
                (error.code === 'PLANNER_BUSY' || error.code === 'PLAN_SOLVER_FAILED')
              ) {
                throw new Error(readerErrorText(error), { cause: error });
              }
              throw error;
            }
          }}
        />
      </Group>
    </Paper>
  );
}

function AcceptedAlert({ accepted }: { accepted: AcceptedPlan }) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  return (
    <Alert color="teal" title={t('accepted.title')} data-testid="accepted">
      <Stack gap={4}>
        <Text size="sm">{t('accepted.message', { count: accepted.packages.length })}</Text>
        {accepted.packages.map((p) => (
          <Text size="sm" key={p.id}>
            <Anchor
              component={Link}
              to={`/packages/${p.id}`}
              fw={600}
              data-testid="created-package"
            >
              {p.number}
            </Anchor>{' '}
            {t('accepted.line', {
              title: p.title,
              price: format.money(p.priceMinor, 'USD'),
              funded: format.money(p.fundedMinor, 'USD'),
            })}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}
