/**
 * The commands on a contribution, each a small form checked as one types, offered only where the
 * role may perform it (`useMay`), the contributor is the donor's own party, and the state allows
 * it (core/contributions.ts): commit a pledge (at most the pledged amount), record a payment,
 * reduce (below the present amount), cancel (a pledge, or a commitment with nothing allocated or
 * paid). Each write sends `If-Match` with the version shown; a refusal of the server shows
 * against the field it names, else above the form.
 */
import { Button, SimpleGrid, Stack, TextInput, Textarea, Title } from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useCancelContribution,
  useCommitContribution,
  useRecordPayment,
  useReduceContribution,
  type ContributionDetail,
} from '../../api/contributions';
import { useMay } from '../../app/access';
import { useSession } from '../../app/session';
import { useFormat } from '../../i18n/format';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { MoneyInput } from '../../ui/MoneyInput';
import { isIsoDay, todayIso } from '../../ui/days';
import { useNotify } from '../../ui/notify';
import { FormCard } from '../../ui/FormCard';

type Contribution = ContributionDetail;

/** Which commands this reader may use on this contribution now. */
export function useOfferedActions(c: Contribution) {
  const session = useSession();
  const mayWrite = useMay('contributions.write');
  const mayPay = useMay('contributions.confirm_payment');
  const ownParty = session.role !== 'contributor' || session.partyId === c.donorPartyId;
  const nothingUsed = BigInt(c.allocatedMinor) === 0n && BigInt(c.paidMinor) === 0n;
  return {
    commit: mayWrite && ownParty && c.status === 'pledged',
    payment: mayPay && ownParty && (c.status === 'committed' || c.status === 'partially_paid'),
    reduce:
      mayWrite &&
      ownParty &&
      (c.status === 'pledged' || c.status === 'committed' || c.status === 'partially_paid'),
    cancel:
      mayWrite && ownParty && (c.status === 'pledged' || (c.status === 'committed' && nothingUsed)),
  };
}

export function ContributionActions({ contribution }: { contribution: Contribution }) {
  const { t } = useTranslation('contributions');
  const offered = useOfferedActions(contribution);
  const headingId = useId();
  const any = offered.commit || offered.payment || offered.reduce || offered.cancel;
  if (!any) return null;
  return (
    <Stack
      gap="sm"
      component="section"
      aria-labelledby={headingId}
      data-testid="contribution-actions"
    >
      <Title order={2} size="h3" id={headingId}>
        {t('actions.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {offered.commit ? <CommitForm contribution={contribution} /> : null}
        {offered.payment ? <PaymentForm contribution={contribution} /> : null}
        {offered.reduce ? <ReduceForm contribution={contribution} /> : null}
        {offered.cancel ? <CancelForm contribution={contribution} /> : null}
      </SimpleGrid>
    </Stack>
  );
}

function CommitForm({ contribution: c }: { contribution: Contribution }) {
  const { t } = useTranslation('contributions');
  const format = useFormat();
  const notify = useNotify();
  const formError = useFormError();
  const commit = useCommitContribution();
  const [amountMinor, setAmountMinor] = useState<string | null>(c.pledgedMinor);
  const [committedOn, setCommittedOn] = useState(todayIso());
  const pledged = format.money(c.pledgedMinor, c.currency);
  const above = amountMinor !== null && BigInt(amountMinor) > BigInt(c.pledgedMinor);
  const valid = amountMinor !== null && !above && isIsoDay(committedOn);
  return (
    <FormCard
      radius="md"
      title={t('actions.commit.title')}
      description={t('actions.commit.description', { pledged })}
      testId="commit-form"
      error={formError(commit.error, ['amountMinor', 'committedOn'])}
      onSubmit={() => {
        if (!valid || amountMinor === null) return;
        commit.mutate(
          { contribution: c, amountMinor, committedOn },
          { onSuccess: () => notify.success(t('actions.commit.done')) },
        );
      }}
    >
      <MoneyInput
        label={t('actions.amount')}
        required
        currency={c.currency}
        valueMinor={amountMinor}
        onChangeMinor={setAmountMinor}
        error={
          above
            ? t('actions.commit.aboveIt', { pledged })
            : fieldErrorOf(commit.error, 'amountMinor')
        }
        data-testid="commit-amount"
      />
      <TextInput
        type="date"
        label={t('actions.commit.committedOn')}
        required
        value={committedOn}
        onChange={(event) => setCommittedOn(event.currentTarget.value)}
        error={
          !isIsoDay(committedOn) ? t('actions.badDate') : fieldErrorOf(commit.error, 'committedOn')
        }
      />
      <Button
        type="submit"
        disabled={!valid || commit.isPending}
        loading={commit.isPending}
        data-testid="commit-submit"
      >
        {t('actions.commit.submit')}
      </Button>
    </FormCard>
  );
}

function PaymentForm({ contribution: c }: { contribution: Contribution }) {
  const { t } = useTranslation('contributions');
  const format = useFormat();
  const notify = useNotify();
  const formError = useFormError();
  const pay = useRecordPayment();
  const [amountMinor, setAmountMinor] = useState<string | null>(null);
  const [paidOn, setPaidOn] = useState(todayIso());
  const [reference, setReference] = useState('');
  const [formKey, setFormKey] = useState(0);
  const outstanding = format.money(
    String(BigInt(c.committedMinor) - BigInt(c.paidMinor)),
    c.currency,
  );
  const valid = amountMinor !== null && isIsoDay(paidOn) && reference.length <= 200;
  return (
    <FormCard
      radius="md"
      title={t('actions.payment.title')}
      description={t('actions.payment.description', { outstanding })}
      testId="payment-form"
      error={formError(pay.error, ['amountMinor', 'paidOn', 'reference'])}
      onSubmit={() => {
        if (!valid || amountMinor === null) return;
        pay.mutate(
          { contribution: c, amountMinor, paidOn, reference: reference.trim() || null },
          {
            onSuccess: () => {
              notify.success(t('actions.payment.done'));
              setAmountMinor(null);
              setReference('');
              setFormKey((k) => k + 1);
            },
          },
        );
      }}
    >
      <MoneyInput
        key={formKey}
        label={t('actions.amount')}
        required
        currency={c.currency}
        valueMinor={amountMinor}
        onChangeMinor={setAmountMinor}
        error={fieldErrorOf(pay.error, 'amountMinor')}
        data-testid="payment-amount"
      />
      <TextInput
        type="date"
        label={t('actions.payment.paidOn')}
        required
        value={paidOn}
        onChange={(event) => setPaidOn(event.currentTarget.value)}
        error={!isIsoDay(paidOn) ? t('actions.badDate') : fieldErrorOf(pay.error, 'paidOn')}
      />
      <TextInput
        label={t('actions.payment.reference')}
        description={t('actions.payment.referenceHint')}
        maxLength={200}
        value={reference}
        onChange={(event) => setReference(event.currentTarget.value)}
        error={fieldErrorOf(pay.error, 'reference')}
      />
      <Button
        type="submit"
        disabled={!valid || pay.isPending}
        loading={pay.isPending}
        data-testid="payment-submit"
      >
        {t('actions.payment.submit')}
      </Button>
    </FormCard>
  );
}

function ReduceForm({ contribution: c }: { contribution: Contribution }) {
  const { t } = useTranslation('contributions');
  const format = useFormat();
  const notify = useNotify();
  const formError = useFormError();
  const reduce = useReduceContribution();
  const current = c.status === 'pledged' ? c.pledgedMinor : c.committedMinor;
  const [amountMinor, setAmountMinor] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [reasonTouched, setReasonTouched] = useState(false);
  const notLower = amountMinor !== null && BigInt(amountMinor) >= BigInt(current);
  const reasonError = reasonTouched && reason.trim() === '' ? t('actions.required') : undefined;
  const valid = amountMinor !== null && !notLower && reason.trim() !== '';
  return (
    <FormCard
      radius="md"
      title={t('actions.reduce.title')}
      description={t('actions.reduce.description', {
        allocated: format.money(c.allocatedMinor, c.currency),
        paid: format.money(c.paidMinor, c.currency),
      })}
      testId="reduce-form"
      error={formError(reduce.error, ['amountMinor', 'reason'])}
      onSubmit={() => {
        setReasonTouched(true);
        if (!valid || amountMinor === null) return;
        reduce.mutate(
          { contribution: c, amountMinor, reason: reason.trim() },
          { onSuccess: () => notify.success(t('actions.reduce.done')) },
        );
      }}
    >
      <MoneyInput
        label={t('actions.reduce.newAmount')}
        required
        currency={c.currency}
        valueMinor={amountMinor}
        onChangeMinor={setAmountMinor}
        error={
          notLower
            ? t('actions.reduce.notLower', { current: format.money(current, c.currency) })
            : fieldErrorOf(reduce.error, 'amountMinor')
        }
      />
      <Textarea
        label={t('actions.reduce.reason')}
        required
        autosize
        minRows={2}
        maxLength={1000}
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
        onBlur={() => setReasonTouched(true)}
        error={reasonError ?? fieldErrorOf(reduce.error, 'reason')}
      />
      <Button
        type="submit"
        disabled={reduce.isPending}
        loading={reduce.isPending}
        data-testid="reduce-submit"
      >
        {t('actions.reduce.submit')}
      </Button>
    </FormCard>
  );
}

function CancelForm({ contribution: c }: { contribution: Contribution }) {
  const { t } = useTranslation('contributions');
  const notify = useNotify();
  const formError = useFormError();
  const cancel = useCancelContribution();
  const [reason, setReason] = useState('');
  const [reasonTouched, setReasonTouched] = useState(false);
  const reasonError = reasonTouched && reason.trim() === '' ? t('actions.required') : undefined;
  return (
    <FormCard
      radius="md"
      title={t('actions.cancel.title')}
      description={t('actions.cancel.description')}
      testId="cancel-form"
      error={formError(cancel.error, ['reason'])}
      onSubmit={() => {
        setReasonTouched(true);
        if (reason.trim() === '') return;
        cancel.mutate(
          { contribution: c, reason: reason.trim() },
          { onSuccess: () => notify.success(t('actions.cancel.done')) },
        );
      }}
    >
      <Textarea
        label={t('actions.cancel.reason')}
        required
        autosize
        minRows={2}
        maxLength={1000}
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
        onBlur={() => setReasonTouched(true)}
        error={reasonError ?? fieldErrorOf(cancel.error, 'reason')}
      />
      <Button
        type="submit"
        color="red"
        variant="outline"
        disabled={cancel.isPending}
        loading={cancel.isPending}
        data-testid="cancel-submit"
      >
        {t('actions.cancel.submit')}
      </Button>
    </FormCard>
  );
}
