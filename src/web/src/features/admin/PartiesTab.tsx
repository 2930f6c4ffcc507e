/**
 * The parties tab: every party (id, kind, names in the three languages, usual currency, version)
 * and "Edit" for what an admin may change — the names and the currency (kind and NATO
 * membership are fixed), sent with `If-Match` of the version shown.
 */
import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParties, useUpdateParty, type Party, type PartyUpdateBody } from '../../api/admin';
import { DataTable } from '../../ui/DataTable';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { QueryState } from '../../ui/QueryState';
import { useNotify } from '../../ui/notify';
import { Dialog } from '../../ui/Dialog';

const NAME_MAX_CHARS = 200;
const LANGS = ['en', 'fr', 'uk'] as const;

export function PartiesTab() {
  const { t } = useTranslation('admin');
  const parties = useParties();
  const columns = useMemo(
    (): ColumnDef<Party, unknown>[] => [
      { id: 'id', header: t('parties.columns.id'), accessorFn: (p) => p.id },
      {
        id: 'kind',
        header: t('parties.columns.kind'),
        accessorFn: (p) => p.kind,
        cell: ({ row }) => t(`parties.kinds.${row.original.kind}`),
      },
      { id: 'en', header: t('parties.columns.en'), accessorFn: (p) => p.names.en },
      { id: 'fr', header: t('parties.columns.fr'), accessorFn: (p) => p.names.fr },
      { id: 'uk', header: t('parties.columns.uk'), accessorFn: (p) => p.names.uk },
      { id: 'currency', header: t('parties.columns.currency'), accessorFn: (p) => p.currency },
      {
        id: 'version',
        header: t('parties.columns.version'),
        accessorFn: (p) => p.version,
        meta: { numeric: true },
      },
      {
        id: 'actions',
        header: t('columns.actions'),
        enableSorting: false,
        cell: ({ row }) => <EditPartyButton party={row.original} />,
      },
    ],
    [t],
  );
  return (
    <QueryState query={parties} height={300}>
      {(page) => (
        <DataTable
          data={page.items}
          columns={columns}
          caption={t('parties.caption')}
          rowKey={(p) => p.id}
          testId="parties-table"
        />
      )}
    </QueryState>
  );
}

function EditPartyButton({ party }: { party: Party }) {
  const { t } = useTranslation('admin');
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button
        size="xs"
        variant="default"
        onClick={() => setOpened(true)}
        aria-label={t('parties.editFor', { id: party.id })}
        data-testid="edit-party"
      >
        {t('users.edit')}
      </Button>
      {opened ? <EditPartyModal party={party} onClose={() => setOpened(false)} /> : null}
    </>
  );
}

function EditPartyModal({ party, onClose }: { party: Party; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const notify = useNotify();
  const formError = useFormError();
  const update = useUpdateParty();
  const [names, setNames] = useState({ ...party.names });
  const [currency, setCurrency] = useState(party.currency);
  const nameProblem = (value: string) =>
    value.trim() === ''
      ? t('parties.errors.nameRequired')
      : value.length > NAME_MAX_CHARS
        ? t('parties.errors.nameTooLong')
        : undefined;
  const currencyProblem = /^[A-Z]{3}$/.test(currency) ? undefined : t('parties.errors.currency');
  const valid = LANGS.every((lang) => !nameProblem(names[lang])) && !currencyProblem;
  const fields = [...LANGS.map((lang) => `names.${lang}`), 'currency'];
  const aboveForm = formError(update.error, fields);
  return (
    <Dialog
      opened
      onClose={() => !update.isPending && onClose()}
      title={t('parties.editTitle', { id: party.id })}
    >
      <form
        noValidate
        data-testid="edit-party-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!valid) return;
          const body: PartyUpdateBody = {};
          const changedNames = Object.fromEntries(
            LANGS.filter((lang) => names[lang].trim() !== party.names[lang]).map((lang) => [
              lang,
              names[lang].trim(),
            ]),
          );
          if (Object.keys(changedNames).length > 0) body.names = changedNames;
          if (currency !== party.currency) body.currency = currency;
          update.mutate(
            { party, body },
            {
              onSuccess: () => {
                notify.success(t('parties.saved', { id: party.id }));
                onClose();
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('users.version', { version: party.version })}
          </Text>
          {aboveForm ? (
            <Alert color="red" variant="light" role="alert">
              {aboveForm}
            </Alert>
          ) : null}
          {LANGS.map((lang) => (
            <TextInput
              key={lang}
              label={t(`parties.columns.${lang}`)}
              required
              value={names[lang]}
              onChange={(e) => {
                const value = e.currentTarget.value;
                update.reset();
                setNames((n) => ({ ...n, [lang]: value }));
              }}
              error={nameProblem(names[lang]) ?? fieldErrorOf(update.error, `names.${lang}`)}
            />
          ))}
          <TextInput
            label={t('parties.columns.currency')}
            description={t('parties.currencyHint')}
            required
            maxLength={3}
            value={currency}
            onChange={(e) => {
              update.reset();
              setCurrency(e.currentTarget.value.toUpperCase());
            }}
            error={currencyProblem ?? fieldErrorOf(update.error, 'currency')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={update.isPending}>
              {t('actions.cancel')}
            </Button>
            <Button
              type="submit"
              loading={update.isPending}
              disabled={!valid}
              data-testid="save-party"
            >
              {t('actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
