/**
 * The what-if: a second scenario beside the proposal — hypothetical pledges (donor, currency,
 * amount, earmarked areas), price changes (an area's costs up or down by a percentage, or one
 * item's new unit cost) and another package target — then "Compare" plans both side by side.
 * Nothing is written: a what-if only shows what the plan would be.
 */
import {
  Alert,
  Button,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScenarioInput, ScenarioPlan } from '../../api/plans';
import { useCapabilityAreas, useDonorParties } from '../../api/reference';
import { useFormat } from '../../i18n/format';
import { MoneyInput } from '../../ui/MoneyInput';
import { usePartyOptions } from '../../ui/party-options';
import {
  EMPTY_WHAT_IF,
  PLEDGE_CURRENCIES,
  whatIfScenario,
  type PledgeDraft,
  type PriceDraft,
  type WhatIfDraft,
} from './plan-request';

export function WhatIfPanel({
  base,
  plan,
  pending,
  error,
  onCompare,
  onClear,
}: {
  /** The base scenario the what-if changes. */
  base: ScenarioInput;
  /** The base plan (its items, for a price change of one item). */
  plan: ScenarioPlan;
  pending: boolean;
  /** The refusal of the last comparison, in the reader's language. */
  error: string | undefined;
  onCompare: (whatIf: ScenarioInput) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation('planner');
  const headingId = useId();
  const [draft, setDraft] = useState<WhatIfDraft>(EMPTY_WHAT_IF);
  const [nextKey, setNextKey] = useState(1);
  const scenario = whatIfScenario(base, draft);
  const ready = typeof scenario === 'object';

  const addPledge = () => {
    setDraft((d) => ({
      ...d,
      pledges: [
        ...d.pledges,
        { key: nextKey, donorPartyId: null, currency: 'USD', amountMinor: null, earmarkAreas: [] },
      ],
    }));
    setNextKey((k) => k + 1);
  };
  const addPrice = () => {
    setDraft((d) => ({
      ...d,
      prices: [
        ...d.prices,
        {
          key: nextKey,
          kind: 'area',
          capabilityArea: null,
          changePercent: null,
          requirementItemId: null,
          unitCostMinor: null,
        },
      ],
    }));
    setNextKey((k) => k + 1);
  };
  const setPledge = (key: number, change: Partial<PledgeDraft>) =>
    setDraft((d) => ({
      ...d,
      pledges: d.pledges.map((p) => (p.key === key ? { ...p, ...change } : p)),
    }));
  const setPrice = (key: number, change: Partial<PriceDraft>) =>
    setDraft((d) => ({
      ...d,
      prices: d.prices.map((p) => (p.key === key ? { ...p, ...change } : p)),
    }));

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <form
        noValidate
        data-testid="whatif-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (typeof scenario === 'object') onCompare(scenario);
        }}
      >
        <Stack gap="md">
          <Title order={2} size="h3" id={headingId}>
            {t('whatIf.heading')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('whatIf.description')}
          </Text>
          {error ? (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          ) : null}

          <Stack gap="xs">
            <Title order={3} size="h5">
              {t('whatIf.pledges')}
            </Title>
            {draft.pledges.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('whatIf.noPledge')}
              </Text>
            ) : null}
            {draft.pledges.map((pledge, index) => (
              <PledgeRow
                key={pledge.key}
                pledge={pledge}
                index={index}
                onChange={(change) => setPledge(pledge.key, change)}
                onRemove={() =>
                  setDraft((d) => ({
                    ...d,
                    pledges: d.pledges.filter((p) => p.key !== pledge.key),
                  }))
                }
              />
            ))}
            <Group>
              <Button variant="light" size="xs" onClick={addPledge} data-testid="add-pledge">
                {t('whatIf.addPledge')}
              </Button>
            </Group>
          </Stack>

          <Stack gap="xs">
            <Title order={3} size="h5">
              {t('whatIf.prices')}
            </Title>
            {draft.prices.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('whatIf.noPrice')}
              </Text>
            ) : null}
            {draft.prices.map((price, index) => (
              <PriceRow
                key={price.key}
                price={price}
                index={index}
                plan={plan}
                onChange={(change) => setPrice(price.key, change)}
                onRemove={() =>
                  setDraft((d) => ({ ...d, prices: d.prices.filter((p) => p.key !== price.key) }))
                }
              />
            ))}
            <Group>
              <Button variant="light" size="xs" onClick={addPrice} data-testid="add-price">
                {t('whatIf.addPrice')}
              </Button>
            </Group>
          </Stack>

          <MoneyInput
            label={t('whatIf.target')}
            description={t('whatIf.targetHint')}
            currency="USD"
            valueMinor={draft.targetMinor}
            onChangeMinor={(minor) => setDraft((d) => ({ ...d, targetMinor: minor }))}
            w={280}
            data-testid="whatif-target"
          />

          {scenario === 'incomplete' ? (
            <Text size="sm" c="dimmed" data-testid="whatif-incomplete">
              {t('whatIf.incomplete')}
            </Text>
          ) : null}
          <Group>
            <Button
              type="submit"
              disabled={!ready || pending}
              loading={pending}
              data-testid="compare"
            >
              {t('whatIf.compare')}
            </Button>
            <Button
              variant="default"
              onClick={() => {
                setDraft(EMPTY_WHAT_IF);
                onClear();
              }}
            >
              {t('whatIf.clear')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function PledgeRow({
  pledge,
  index,
  onChange,
  onRemove,
}: {
  pledge: PledgeDraft;
  index: number;
  onChange: (change: Partial<PledgeDraft>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const donors = useDonorParties();
  const areas = useCapabilityAreas();
  const donorOptions = usePartyOptions(donors.data);
  const n = index + 1;
  return (
    <Group
      align="flex-start"
      wrap="wrap"
      role="group"
      aria-label={t('whatIf.pledgeLabel', { number: n })}
      data-testid="pledge-row"
    >
      <Select
        label={t('whatIf.donor')}
        data={donorOptions}
        value={pledge.donorPartyId}
        onChange={(value) => onChange({ donorPartyId: value })}
        searchable
        required
        w={220}
        data-testid="pledge-donor"
      />
      <Select
        label={t('whatIf.currency')}
        data={[...PLEDGE_CURRENCIES]}
        value={pledge.currency}
        onChange={(value) => onChange({ currency: value ?? 'USD', amountMinor: null })}
        allowDeselect={false}
        w={110}
        data-testid="pledge-currency"
      />
      <MoneyInput
        // A new currency starts the amount again (its minor unit may differ).
        key={pledge.currency}
        label={t('whatIf.amount', { currency: pledge.currency })}
        required
        currency={pledge.currency}
        valueMinor={pledge.amountMinor}
        onChangeMinor={(minor) => onChange({ amountMinor: minor })}
        w={240}
        data-testid="pledge-amount"
      />
      <MultiSelect
        label={t('whatIf.earmarks')}
        placeholder={pledge.earmarkAreas.length === 0 ? t('whatIf.anyArea') : undefined}
        data={(areas.data?.items ?? []).map((area) => ({
          value: area.code,
          label: area.names[format.language],
        }))}
        value={pledge.earmarkAreas}
        onChange={(value) => onChange({ earmarkAreas: value })}
        clearable
        w={280}
        data-testid="pledge-earmarks"
      />
      <Button
        variant="subtle"
        color="red"
        mt={24}
        onClick={onRemove}
        aria-label={t('whatIf.removePledge', { number: n })}
      >
        {t('whatIf.remove')}
      </Button>
    </Group>
  );
}

function PriceRow({
  price,
  index,
  plan,
  onChange,
  onRemove,
}: {
  price: PriceDraft;
  index: number;
  plan: ScenarioPlan;
  onChange: (change: Partial<PriceDraft>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const areas = useCapabilityAreas();
  const n = index + 1;
  return (
    <Group
      align="flex-start"
      wrap="wrap"
      role="group"
      aria-label={t('whatIf.priceLabel', { number: n })}
      data-testid="price-row"
    >
      <SegmentedControl
        mt={24}
        value={price.kind}
        onChange={(value) => onChange({ kind: value as PriceDraft['kind'] })}
        aria-label={t('whatIf.priceKind', { number: n })}
        data={[
          { value: 'area', label: t('whatIf.byArea') },
          { value: 'item', label: t('whatIf.byItem') },
        ]}
      />
      {price.kind === 'area' ? (
        <>
          <Select
            label={t('whatIf.area')}
            data={(areas.data?.items ?? []).map((area) => ({
              value: area.code,
              label: area.names[format.language],
            }))}
            value={price.capabilityArea}
            onChange={(value) => onChange({ capabilityArea: value })}
            required
            w={240}
          />
          <NumberInput
            label={t('whatIf.percent')}
            description={t('whatIf.percentHint')}
            value={price.changePercent ?? ''}
            onChange={(value) =>
              onChange({ changePercent: typeof value === 'number' ? value : null })
            }
            allowDecimal={false}
            min={-90}
            max={500}
            suffix=" %"
            required
            w={180}
          />
        </>
      ) : (
        <>
          <Select
            label={t('whatIf.item')}
            data={plan.items.map((item) => ({
              value: item.requirementItemId,
              label: t('itemName', { category: item.category, rank: item.priorityRank }),
            }))}
            value={price.requirementItemId}
            onChange={(value) => onChange({ requirementItemId: value })}
            searchable
            required
            w={300}
          />
          <MoneyInput
            label={t('whatIf.unitCost')}
            required
            currency="USD"
            valueMinor={price.unitCostMinor}
            onChangeMinor={(minor) => onChange({ unitCostMinor: minor })}
            w={220}
          />
        </>
      )}
      <Button
        variant="subtle"
        color="red"
        mt={24}
        onClick={onRemove}
        aria-label={t('whatIf.removePrice', { number: n })}
      >
        {t('whatIf.remove')}
      </Button>
    </Group>
  );
}
