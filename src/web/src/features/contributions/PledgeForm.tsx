/**
 * Record a pledge: donor (a contributor's own party, fixed; a coordinator chooses among allies
 * and partners), currency (the donor's usual one by default), amount, announcement date, title,
 * earmarks (capability areas or one package), internal note and source. Checked as one types;
 * a refusal of the server shows against the field it names. On success the new contribution's
 * page opens.
 */
import { Button, Group, MultiSelect, Select, TextInput, Textarea } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCreateContribution, useEarmarkPackages } from '../../api/contributions';
import { useCapabilityAreas, useDonorParties } from '../../api/reference';
import { useSession } from '../../app/session';
import { useFormat } from '../../i18n/format';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { MoneyInput } from '../../ui/MoneyInput';
import { isIsoDay, todayIso } from '../../ui/days';
import { useNotify } from '../../ui/notify';
import { usePartyOptions } from '../../ui/party-options';
import { FormCard } from '../../ui/FormCard';

const FIELDS = [
  'donorPartyId',
  'currency',
  'amountMinor',
  'announcedOn',
  'title',
  'earmarkAreas',
  'earmarkPackageId',
  'internalNote',
  'sourceNote',
] as const;
const CURRENCY = /^[A-Z]{3}$/;

export function PledgeForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('contributions');
  const format = useFormat();
  const navigate = useNavigate();
  const notify = useNotify();
  const formError = useFormError();
  const session = useSession();
  const ownParty = session.role === 'contributor' ? session.partyId : null;
  const donors = useDonorParties();
  const areas = useCapabilityAreas();
  const packages = useEarmarkPackages(true);
  const create = useCreateContribution();
  // One key per submission attempt of this form: a retry of the same attempt is safe.
  const key = useRef(crypto.randomUUID());

  const [donor, setDonor] = useState<string | null>(ownParty);
  const [currency, setCurrency] = useState('');
  const [amountMinor, setAmountMinor] = useState<string | null>(null);
  const [announcedOn, setAnnouncedOn] = useState(todayIso());
  const [title, setTitle] = useState('');
  const [earmarkAreas, setEarmarkAreas] = useState<string[]>([]);
  const [earmarkPackage, setEarmarkPackage] = useState<string | null>(null);
  const [internalNote, setInternalNote] = useState('');
  const [sourceNote, setSourceNote] = useState('');
  const [touched, setTouched] = useState(false);
  const [titleTouched, setTitleTouched] = useState(false);

  const donorParty = donors.data?.find((party) => party.id === donor);
  // The donor's usual currency until one is typed.
  const effectiveCurrency = currency !== '' ? currency : (donorParty?.currency ?? '');
  const donorOptions = usePartyOptions(donors.data);

  const errors = {
    donor: touched && !donor ? t('pledge.required') : undefined,
    currency:
      effectiveCurrency !== '' && !CURRENCY.test(effectiveCurrency)
        ? t('pledge.badCurrency', { example: 'EUR' })
        : touched && effectiveCurrency === ''
          ? t('pledge.required')
          : undefined,
    announcedOn: !isIsoDay(announcedOn) ? t('actions.badDate') : undefined,
    title:
      title.length > 200
        ? t('pledge.titleTooLong')
        : (touched || titleTouched) && title.trim() === ''
          ? t('pledge.required')
          : undefined,
    earmarks:
      earmarkAreas.length > 0 && earmarkPackage !== null ? t('pledge.bothEarmarks') : undefined,
  };
  const valid =
    donor !== null &&
    CURRENCY.test(effectiveCurrency) &&
    amountMinor !== null &&
    isIsoDay(announcedOn) &&
    title.trim() !== '' &&
    title.length <= 200 &&
    errors.earmarks === undefined;
  const aboveForm = formError(create.error, FIELDS);

  return (
    <FormCard
      title={t('pledge.title')}
      headingOrder={2}
      testId="pledge-form"
      error={aboveForm}
      onSubmit={() => {
        setTouched(true);
        if (!valid || donor === null || amountMinor === null) return;
        create.mutate(
          {
            key: key.current,
            body: {
              donorPartyId: donor,
              currency: effectiveCurrency,
              amountMinor,
              announcedOn,
              title: title.trim(),
              ...(earmarkAreas.length > 0 ? { earmarkAreas } : {}),
              ...(earmarkPackage ? { earmarkPackageId: earmarkPackage } : {}),
              ...(internalNote.trim() ? { internalNote: internalNote.trim() } : {}),
              ...(sourceNote.trim() ? { sourceNote: sourceNote.trim() } : {}),
            },
          },
          {
            onSuccess: (created) => {
              notify.success(t('pledge.done', { title: created.title }));
              void navigate(`/contributions/${created.id}`);
            },
            onError: () => {
              key.current = crypto.randomUUID();
            },
          },
        );
      }}
    >
      <Group align="flex-start" wrap="wrap">
        {ownParty ? (
          <TextInput
            label={t('pledge.donor')}
            description={t('pledge.donorFixed')}
            value={format.party(ownParty)}
            readOnly
            data-testid="pledge-donor"
            w={260}
          />
        ) : (
          <Select
            label={t('pledge.donor')}
            required
            searchable
            data={donorOptions}
            value={donor}
            onChange={(value) => {
              setDonor(value);
              if (currency === '') setAmountMinor(null);
            }}
            error={errors.donor ?? fieldErrorOf(create.error, 'donorPartyId')}
            data-testid="pledge-donor"
            w={260}
          />
        )}
        <TextInput
          label={t('pledge.currency')}
          required
          maxLength={3}
          value={effectiveCurrency}
          onChange={(event) => {
            setCurrency(event.currentTarget.value.trim().toUpperCase());
            setAmountMinor(null);
          }}
          error={errors.currency ?? fieldErrorOf(create.error, 'currency')}
          w={110}
        />
        <MoneyInput
          key={effectiveCurrency}
          label={t('pledge.amount')}
          required
          currency={CURRENCY.test(effectiveCurrency) ? effectiveCurrency : 'EUR'}
          valueMinor={amountMinor}
          onChangeMinor={setAmountMinor}
          error={fieldErrorOf(create.error, 'amountMinor')}
          w={240}
        />
        <TextInput
          type="date"
          label={t('pledge.announcedOn')}
          required
          value={announcedOn}
          onChange={(event) => setAnnouncedOn(event.currentTarget.value)}
          error={errors.announcedOn ?? fieldErrorOf(create.error, 'announcedOn')}
          w={170}
        />
      </Group>
      <TextInput
        label={t('pledge.pledgeTitle')}
        description={t('pledge.titleHint')}
        required
        value={title}
        onChange={(event) => setTitle(event.currentTarget.value)}
        onBlur={() => setTitleTouched(true)}
        error={errors.title ?? fieldErrorOf(create.error, 'title')}
      />
      <Group align="flex-start" wrap="wrap">
        <MultiSelect
          label={t('pledge.earmarkAreas')}
          description={t('pledge.earmarkHint')}
          data={(areas.data?.items ?? []).map((area) => ({
            value: area.code,
            label: area.names[format.language],
          }))}
          value={earmarkAreas}
          onChange={setEarmarkAreas}
          error={errors.earmarks ?? fieldErrorOf(create.error, 'earmarkAreas')}
          clearable
          style={{ flex: 1, minWidth: 260 }}
        />
        <Select
          label={t('pledge.earmarkPackage')}
          placeholder={t('pledge.noPackage')}
          clearable
          searchable
          data={(packages.data ?? []).map((p) => ({
            value: p.id,
            label: `${p.number} — ${p.title}`,
          }))}
          value={earmarkPackage}
          onChange={setEarmarkPackage}
          error={fieldErrorOf(create.error, 'earmarkPackageId')}
          style={{ flex: 1, minWidth: 260 }}
        />
      </Group>
      <Textarea
        label={t('pledge.internalNote')}
        description={t('pledge.internalNoteHint')}
        autosize
        minRows={2}
        maxLength={2000}
        value={internalNote}
        onChange={(event) => setInternalNote(event.currentTarget.value)}
        error={fieldErrorOf(create.error, 'internalNote')}
      />
      <TextInput
        label={t('pledge.sourceNote')}
        description={t('pledge.sourceNoteHint')}
        maxLength={1000}
        value={sourceNote}
        onChange={(event) => setSourceNote(event.currentTarget.value)}
        error={fieldErrorOf(create.error, 'sourceNote')}
      />
      <Group>
        <Button
          type="submit"
          loading={create.isPending}
          disabled={create.isPending}
          data-testid="submit-pledge"
        >
          {t('pledge.submit')}
        </Button>
        <Button variant="default" onClick={onClose}>
          {t('pledge.cancel')}
        </Button>
      </Group>
    </FormCard>
  );
}
