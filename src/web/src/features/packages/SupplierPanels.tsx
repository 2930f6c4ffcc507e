/**
 * The supplier's authorisation of a funded package — reference, day, final price (the price by
 * default), saying before sending whether that price re-opens a gap (above the funding: the
 * package goes back to open, not authorised) or frees a surplus — and the disbursements of an
 * authorised package (amount and day paid, never more than the price).
 */
import { Alert, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuthorizePackage, useDisburse, type PackageDetail } from '../../api/packages';
import { useFormat } from '../../i18n/format';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { MoneyInput } from '../../ui/MoneyInput';
import { isIsoDay, todayIso } from '../../ui/days';
import { useNotify } from '../../ui/notify';
import { FormCard } from '../../ui/FormCard';

const AUTHORIZE_FIELDS = ['reference', 'authorizedOn', 'finalPriceMinor'] as const;

export function AuthorizePanel({ pkg }: { pkg: PackageDetail }) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const notify = useNotify();
  const formError = useFormError();
  const authorize = useAuthorizePackage();
  const [reference, setReference] = useState('');
  const [referenceTouched, setReferenceTouched] = useState(false);
  const [authorizedOn, setAuthorizedOn] = useState(todayIso());
  const [finalPriceMinor, setFinalPriceMinor] = useState<string | null>(pkg.priceMinor);

  const referenceError =
    referenceTouched && reference.trim() === ''
      ? t('authorize.referenceRequired')
      : reference.length > 200
        ? t('authorize.referenceTooLong')
        : undefined;
  const dateError = isIsoDay(authorizedOn) ? undefined : t('authorize.dateFormat');
  const valid =
    reference.trim() !== '' &&
    reference.length <= 200 &&
    isIsoDay(authorizedOn) &&
    finalPriceMinor !== null;
  const funded = BigInt(pkg.fundedMinor);
  const money = (minor: bigint) => format.money(minor.toString(), pkg.currency);
  let effect: { text: string; colour: string } | undefined;
  if (finalPriceMinor !== null) {
    const price = BigInt(finalPriceMinor);
    effect =
      price > funded
        ? { text: t('authorize.reopensGap', { gap: money(price - funded) }), colour: 'orange' }
        : price < funded
          ? { text: t('authorize.surplus', { surplus: money(funded - price) }), colour: 'blue' }
          : { text: t('authorize.exact'), colour: 'teal' };
  }
  const aboveForm = formError(authorize.error, AUTHORIZE_FIELDS);

  return (
    <FormCard
      title={t('authorize.heading')}
      headingOrder={2}
      testId="authorize-form"
      nativeValidation
      error={aboveForm}
      onSubmit={() => {
        setReferenceTouched(true);
        if (!valid || finalPriceMinor === null) return;
        authorize.mutate(
          {
            pkg,
            body: { reference: reference.trim(), authorizedOn, finalPriceMinor },
          },
          {
            onSuccess: (done) =>
              notify.success(
                done.status === 'authorized'
                  ? t('authorize.done', { number: done.number })
                  : t('authorize.reopened', { number: done.number }),
              ),
          },
        );
      }}
    >
      <Group align="flex-start" wrap="wrap">
        <TextInput
          label={t('authorize.reference')}
          required
          value={reference}
          onChange={(event) => setReference(event.currentTarget.value)}
          onBlur={() => setReferenceTouched(true)}
          error={referenceError ?? fieldErrorOf(authorize.error, 'reference')}
          w={260}
        />
        <TextInput
          type="date"
          label={t('authorize.authorizedOn')}
          required
          value={authorizedOn}
          onChange={(event) => setAuthorizedOn(event.currentTarget.value)}
          error={dateError ?? fieldErrorOf(authorize.error, 'authorizedOn')}
          w={200}
        />
        <MoneyInput
          label={t('authorize.finalPrice')}
          description={t('authorize.finalPriceHint', { price: money(BigInt(pkg.priceMinor)) })}
          required
          currency={pkg.currency}
          valueMinor={finalPriceMinor}
          onChangeMinor={setFinalPriceMinor}
          error={fieldErrorOf(authorize.error, 'finalPriceMinor')}
          w={260}
        />
      </Group>
      {effect ? (
        <Text size="sm" c={effect.colour} fw={600} aria-live="polite" data-testid="reprice-effect">
          {effect.text}
        </Text>
      ) : null}
      <Group>
        <Button
          type="submit"
          data-testid="authorize"
          disabled={!valid || authorize.isPending}
          loading={authorize.isPending}
        >
          {t('authorize.submit')}
        </Button>
      </Group>
    </FormCard>
  );
}

const DISBURSE_FIELDS = ['amountMinor', 'paidOn'] as const;

export function DisbursePanel({ pkg }: { pkg: PackageDetail }) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const notify = useNotify();
  const formError = useFormError();
  const disburse = useDisburse();
  const remaining = BigInt(pkg.priceMinor) - BigInt(pkg.disbursedMinor);
  const [amountMinor, setAmountMinor] = useState<string | null>(
    remaining > 0n ? remaining.toString() : null,
  );
  const [amountKey, setAmountKey] = useState(0);
  const [paidOn, setPaidOn] = useState(todayIso());
  if (remaining <= 0n) return null;
  const above = amountMinor !== null && BigInt(amountMinor) > remaining;
  const valid = amountMinor !== null && !above && isIsoDay(paidOn);
  const aboveForm = formError(disburse.error, DISBURSE_FIELDS);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="disburse-heading">
      <form
        data-testid="disburse-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!valid || amountMinor === null) return;
          disburse.mutate(
            { pkg, body: { amountMinor, paidOn } },
            {
              onSuccess: (done) => {
                notify.success(
                  t('disburse.done', { amount: format.money(amountMinor, done.currency) }),
                );
                const left = BigInt(done.priceMinor) - BigInt(done.disbursedMinor);
                setAmountMinor(left > 0n ? left.toString() : null);
                setAmountKey((k) => k + 1);
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h4" id="disburse-heading">
            {t('disburse.heading')}
          </Title>
          <Text size="sm">
            {t('disburse.remaining', { amount: format.money(remaining.toString(), pkg.currency) })}
          </Text>
          {aboveForm ? (
            <Alert color="red" role="alert">
              {aboveForm}
            </Alert>
          ) : null}
          <Group align="flex-start" wrap="wrap">
            <MoneyInput
              key={amountKey}
              label={t('disburse.amount')}
              required
              currency={pkg.currency}
              valueMinor={amountMinor}
              onChangeMinor={setAmountMinor}
              error={
                above ? t('disburse.aboveRemaining') : fieldErrorOf(disburse.error, 'amountMinor')
              }
              w={260}
            />
            <TextInput
              type="date"
              label={t('disburse.paidOn')}
              required
              value={paidOn}
              onChange={(event) => setPaidOn(event.currentTarget.value)}
              error={
                isIsoDay(paidOn)
                  ? fieldErrorOf(disburse.error, 'paidOn')
                  : t('authorize.dateFormat')
              }
              w={200}
            />
          </Group>
          <Group>
            <Button
              type="submit"
              data-testid="disburse"
              disabled={!valid || disburse.isPending}
              loading={disburse.isPending}
            >
              {t('disburse.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
