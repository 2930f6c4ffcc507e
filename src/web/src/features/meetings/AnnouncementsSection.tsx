/**
 * A meeting's announcements: who announced what (amount in its currency), and the contributions
 * each became (links to them). A coordinator adds an announcement, and links or unlinks a
 * contribution of the announcing party; each write sends `If-Match` with the meeting's version.
 */
import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Group,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  useAddAnnouncement,
  useLinkContribution,
  usePartyContributions,
  useUnlinkContribution,
  type MeetingAnnouncement,
  type MeetingDetail,
} from '../../api/meetings';
import { useMay } from '../../app/access';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { Money } from '../../ui/Money';
import { MoneyInput } from '../../ui/MoneyInput';
import { usePartyOptions } from './parts';
import { useNotify } from '../../ui/notify';
import { FormCard } from '../../ui/FormCard';

const CURRENCY = /^[A-Z]{3}$/;

export function AnnouncementsSection({ meeting }: { meeting: MeetingDetail }) {
  const { t } = useTranslation('meetings');
  const format = useFormat();
  const mayWrite = useMay('meetings.write');
  const headingId = useId();
  const unlink = useUnlinkContribution();
  const notify = useNotify();
  const formError = useFormError();

  const columns = useMemo(
    (): ColumnDef<MeetingAnnouncement, unknown>[] => [
      {
        id: 'party',
        header: t('announcements.party'),
        accessorFn: (a) => format.party(a.partyId),
      },
      { id: 'text', header: t('announcements.text'), accessorFn: (a) => a.text },
      {
        id: 'amount',
        header: t('announcements.amount'),
        accessorFn: (a) => (a.amountMinor === null ? -1n : BigInt(a.amountMinor)),
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.amountMinor !== null && row.original.currency !== null ? (
            <Money minor={row.original.amountMinor} currency={row.original.currency} />
          ) : (
            t('announcements.noAmount')
          ),
      },
      {
        id: 'contributions',
        header: t('announcements.contributions'),
        accessorFn: (a) => a.contributionIds.length,
        enableSorting: false,
        cell: ({ row }) => (
          <Stack gap={4}>
            {row.original.contributionIds.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('announcements.noLinks')}
              </Text>
            ) : (
              row.original.contributionIds.map((id) => (
                <Group key={id} gap={4} wrap="nowrap">
                  <Anchor component={Link} to={`/contributions/${id}`} size="sm">
                    {t('announcements.contributionLink', { id })}
                  </Anchor>
                  {mayWrite ? (
                    <ActionIcon
                      size="sm"
                      variant="subtle"
                      color="red"
                      aria-label={t('announcements.unlink', {
                        title: t('announcements.contributionLink', { id }),
                      })}
                      title={t('announcements.unlink', {
                        title: t('announcements.contributionLink', { id }),
                      })}
                      disabled={unlink.isPending}
                      onClick={() =>
                        unlink.mutate(
                          {
                            meeting,
                            announcementId: row.original.id,
                            contributionId: id,
                          },
                          { onSuccess: () => notify.success(t('announcements.unlinked')) },
                        )
                      }
                    >
                      <span aria-hidden="true">×</span>
                    </ActionIcon>
                  ) : null}
                </Group>
              ))
            )}
            {mayWrite ? <LinkContribution meeting={meeting} announcement={row.original} /> : null}
          </Stack>
        ),
      },
    ],
    [t, format, mayWrite, meeting, unlink, notify],
  );

  const unlinkError = formError(unlink.error);
  return (
    <Stack gap="sm" component="section" aria-labelledby={headingId} data-testid="announcements">
      <Title order={2} size="h3" id={headingId}>
        {t('announcements.title')}
      </Title>
      {unlinkError ? (
        <Alert color="red" role="alert">
          {unlinkError}
        </Alert>
      ) : null}
      {meeting.announcements.length === 0 ? (
        <Text size="sm">{t('announcements.none')}</Text>
      ) : (
        <DataTable
          data={meeting.announcements}
          columns={columns}
          caption={t('announcements.caption')}
          rowKey={(a) => a.id}
          testId="announcements-table"
        />
      )}
      {mayWrite ? <AddAnnouncementForm meeting={meeting} /> : null}
    </Stack>
  );
}

function LinkContribution({
  meeting,
  announcement,
}: {
  meeting: MeetingDetail;
  announcement: MeetingAnnouncement;
}) {
  const { t } = useTranslation('meetings');
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState<string | null>(null);
  const contributions = usePartyContributions(open ? announcement.partyId : null);
  const link = useLinkContribution();
  const notify = useNotify();
  const formError = useFormError();
  if (!open) {
    return (
      <Button size="compact-xs" variant="subtle" onClick={() => setOpen(true)}>
        {t('announcements.link')}
      </Button>
    );
  }
  const options = (contributions.data ?? [])
    .filter((c) => !announcement.contributionIds.includes(c.id))
    .map((c) => ({
      value: c.id,
      label: `#${c.id} ${c.title} — ${format.money(c.pledgedMinor, c.currency)}`,
    }));
  const error =
    fieldErrorOf(link.error, 'contributionId') ?? formError(link.error, ['contributionId']);
  return (
    <Group gap={4} align="flex-end" wrap="nowrap">
      <Select
        size="xs"
        label={t('announcements.linkLabel', { party: format.party(announcement.partyId) })}
        data={options}
        value={choice}
        onChange={setChoice}
        searchable
        nothingFoundMessage={t('announcements.linkNone')}
        error={error}
        w={260}
      />
      <Button
        size="xs"
        disabled={choice === null || link.isPending}
        loading={link.isPending}
        onClick={() =>
          choice &&
          link.mutate(
            { meeting, announcementId: announcement.id, contributionId: choice },
            {
              onSuccess: () => {
                notify.success(t('announcements.linked'));
                setChoice(null);
                setOpen(false);
              },
            },
          )
        }
      >
        {t('announcements.linkSubmit')}
      </Button>
    </Group>
  );
}

function AddAnnouncementForm({ meeting }: { meeting: MeetingDetail }) {
  const { t } = useTranslation('meetings');
  const parties = usePartyOptions();
  const add = useAddAnnouncement();
  const notify = useNotify();
  const formError = useFormError();
  const key = useRef(crypto.randomUUID());
  const [party, setParty] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [currency, setCurrency] = useState('');
  const [amountMinor, setAmountMinor] = useState<string | null>(null);
  const [amountText, setAmountText] = useState(false);
  const [touched, setTouched] = useState(false);
  const [formKey, setFormKey] = useState(0);

  const withAmount = amountText || amountMinor !== null;
  const errors = {
    party: touched && party === null ? t('announcements.add.required') : undefined,
    text: touched && text.trim() === '' ? t('announcements.add.required') : undefined,
    currency:
      currency !== '' && !CURRENCY.test(currency)
        ? t('announcements.add.badCurrency', { example: 'EUR' })
        : withAmount && currency === '' && touched
          ? t('announcements.add.required')
          : undefined,
  };
  const valid =
    party !== null &&
    text.trim() !== '' &&
    (withAmount ? amountMinor !== null && CURRENCY.test(currency) : currency === '');
  const aboveForm = formError(add.error, ['partyId', 'text', 'amountMinor', 'currency']);

  return (
    <FormCard
      title={t('announcements.add.title')}
      testId="announcement-form"
      error={aboveForm}
      radius="md"
      onSubmit={() => {
        setTouched(true);
        if (!valid || party === null) return;
        add.mutate(
          {
            meeting,
            key: key.current,
            body: {
              partyId: party,
              text: text.trim(),
              ...(amountMinor !== null ? { amountMinor, currency } : {}),
            },
          },
          {
            onSuccess: () => {
              notify.success(t('announcements.add.done'));
              key.current = crypto.randomUUID();
              setParty(null);
              setText('');
              setCurrency('');
              setAmountMinor(null);
              setAmountText(false);
              setTouched(false);
              setFormKey((k) => k + 1);
            },
            onError: () => {
              key.current = crypto.randomUUID();
            },
          },
        );
      }}
    >
      <Group align="flex-start" wrap="wrap">
        <Select
          label={t('announcements.add.party')}
          required
          searchable
          data={parties}
          value={party}
          onChange={setParty}
          error={errors.party ?? fieldErrorOf(add.error, 'partyId')}
          data-testid="announcement-party"
          w={240}
        />
        <TextInput
          label={t('announcements.add.currency')}
          description={t('announcements.add.currencyHint')}
          maxLength={3}
          value={currency}
          onChange={(event) => {
            setCurrency(event.currentTarget.value.trim().toUpperCase());
            setAmountMinor(null);
            setAmountText(false);
          }}
          error={errors.currency ?? fieldErrorOf(add.error, 'currency')}
          w={140}
        />
        <MoneyInput
          key={`${formKey}-${currency}`}
          label={t('announcements.add.amount')}
          currency={CURRENCY.test(currency) ? currency : 'EUR'}
          valueMinor={amountMinor}
          onChangeMinor={(minor) => {
            setAmountMinor(minor);
            setAmountText(true);
          }}
          onBlur={(event) => setAmountText(event.currentTarget.value.trim() !== '')}
          error={fieldErrorOf(add.error, 'amountMinor')}
          w={220}
        />
      </Group>
      <Textarea
        label={t('announcements.add.text')}
        required
        autosize
        minRows={2}
        maxLength={2000}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        error={errors.text ?? fieldErrorOf(add.error, 'text')}
      />
      <Group>
        <Button
          type="submit"
          loading={add.isPending}
          disabled={add.isPending}
          data-testid="submit-announcement"
        >
          {t('announcements.add.submit')}
        </Button>
      </Group>
    </FormCard>
  );
}
