/**
 * My account (`/account`, everyone signed in): my sessions (this one marked; end any other) and
 * my API tokens — create one (name, expiry in days, read-only), its secret shown once with a
 * copy button and a warning; revoke one after confirming.
 */
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useCreateToken,
  useMySessions,
  useMyTokens,
  useRevokeSession,
  useRevokeToken,
  type ApiToken,
  type Session,
} from '../../api/admin';
import { useSession } from '../../app/session';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { PageHeader } from '../../ui/PageHeader';
import { QueryState } from '../../ui/QueryState';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { useNotify } from '../../ui/notify';

export const TOKEN_DAYS_MIN = 1;
export const TOKEN_DAYS_MAX = 365;
const TOKEN_NAME_MAX_CHARS = 100;

export default function AccountPage() {
  const { t } = useTranslation(['admin', 'common']);
  const session = useSession();
  return (
    <Stack gap="lg">
      <PageHeader
        title={t('account.title')}
        description={t('account.description', {
          name: session.displayName,
          role: t(`common:roles.${session.role}`),
        })}
      />
      <SessionsSection />
      <TokensSection />
    </Stack>
  );
}

function SessionsSection() {
  const { t } = useTranslation('admin');
  const format = useFormat();
  const sessions = useMySessions();
  const revoke = useRevokeSession();
  const columns = useMemo(
    (): ColumnDef<Session, unknown>[] => [
      {
        id: 'createdAt',
        header: t('account.sessions.columns.createdAt'),
        accessorFn: (s) => s.createdAt,
        meta: { nowrap: true },
        cell: ({ row }) => (
          <Group gap={6} wrap="nowrap">
            <Text size="sm">{format.dateTime(row.original.createdAt)}</Text>
            {row.original.current ? (
              <Badge size="xs" variant="filled" data-testid="current-session">
                {t('account.sessions.current')}
              </Badge>
            ) : null}
          </Group>
        ),
      },
      {
        id: 'lastSeenAt',
        header: t('account.sessions.columns.lastSeenAt'),
        accessorFn: (s) => s.lastSeenAt,
        meta: { nowrap: true },
        cell: ({ row }) => format.dateTime(row.original.lastSeenAt),
      },
      {
        id: 'client',
        header: t('account.sessions.columns.client'),
        accessorFn: (s) => s.userAgent ?? '',
        cell: ({ row }) => (
          <Stack gap={0} maw={360}>
            <Text size="xs" lineClamp={2}>
              {row.original.userAgent ?? '—'}
            </Text>
            <Text size="xs" c="dimmed">
              {row.original.ip ?? ''}
            </Text>
          </Stack>
        ),
      },
      {
        id: 'state',
        header: t('account.sessions.columns.state'),
        accessorFn: (s) => s.state,
        cell: ({ row }) => <StateBadge state={row.original.state} />,
      },
      {
        id: 'actions',
        header: t('columns.actions'),
        enableSorting: false,
        cell: ({ row }) =>
          row.original.state === 'active' && !row.original.current ? (
            <ConfirmButton
              buttonProps={{ size: 'xs', variant: 'default' }}
              danger
              label={t('account.sessions.revoke')}
              ariaLabel={t('account.sessions.revokeFor', {
                at: format.dateTime(row.original.createdAt),
              })}
              title={t('account.sessions.revokeTitle')}
              message={t('account.sessions.revokeMessage')}
              confirmLabel={t('account.sessions.revoke')}
              testId="revoke-session"
              onConfirm={() => revoke.mutateAsync(row.original.id)}
            />
          ) : null,
      },
    ],
    [t, format, revoke],
  );
  return (
    <Stack
      gap="sm"
      component="section"
      aria-labelledby="sessions-heading"
      data-testid="my-sessions"
    >
      <Title order={2} size="h3" id="sessions-heading">
        {t('account.sessions.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('account.sessions.note')}
      </Text>
      <QueryState query={sessions} height={120}>
        {(data) => (
          <DataTable
            data={data.items}
            columns={columns}
            caption={t('account.sessions.caption')}
            rowKey={(s) => s.id}
            testId="sessions-table"
          />
        )}
      </QueryState>
    </Stack>
  );
}

function StateBadge({ state }: { state: Session['state'] | ApiToken['state'] }) {
  const { t } = useTranslation('admin');
  return (
    <Badge variant={state === 'active' ? 'filled' : 'outline'} radius="sm" color="dark">
      {t(`account.states.${state}`)}
    </Badge>
  );
}

function TokensSection() {
  const { t } = useTranslation('admin');
  const notify = useNotify();
  const format = useFormat();
  const tokens = useMyTokens();
  const revoke = useRevokeToken();
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const columns = useMemo(
    (): ColumnDef<ApiToken, unknown>[] => [
      { id: 'name', header: t('account.tokens.columns.name'), accessorFn: (k) => k.name },
      {
        id: 'rights',
        header: t('account.tokens.columns.rights'),
        accessorFn: (k) => (k.readOnly ? 1 : 0),
        cell: ({ row }) =>
          row.original.readOnly ? t('account.tokens.readOnly') : t('account.tokens.fullRights'),
      },
      {
        id: 'createdAt',
        header: t('account.tokens.columns.createdAt'),
        accessorFn: (k) => k.createdAt,
        meta: { nowrap: true },
        cell: ({ row }) => format.dateTime(row.original.createdAt),
      },
      {
        id: 'expiresAt',
        header: t('account.tokens.columns.expiresAt'),
        accessorFn: (k) => k.expiresAt,
        meta: { nowrap: true },
        cell: ({ row }) => format.dateTime(row.original.expiresAt),
      },
      {
        id: 'lastUsedAt',
        header: t('account.tokens.columns.lastUsedAt'),
        accessorFn: (k) => k.lastUsedAt ?? '',
        meta: { nowrap: true },
        cell: ({ row }) =>
          row.original.lastUsedAt
            ? format.dateTime(row.original.lastUsedAt)
            : t('account.tokens.never'),
      },
      {
        id: 'state',
        header: t('account.tokens.columns.state'),
        accessorFn: (k) => k.state,
        cell: ({ row }) => <StateBadge state={row.original.state} />,
      },
      {
        id: 'actions',
        header: t('columns.actions'),
        enableSorting: false,
        cell: ({ row }) =>
          row.original.state === 'active' ? (
            <ConfirmButton
              buttonProps={{ size: 'xs', variant: 'default' }}
              danger
              label={t('account.tokens.revoke')}
              ariaLabel={t('account.tokens.revokeFor', { name: row.original.name })}
              title={t('account.tokens.revokeTitle', { name: row.original.name })}
              message={t('account.tokens.revokeMessage')}
              confirmLabel={t('account.tokens.revoke')}
              testId="revoke-token"
              onConfirm={async () => {
                await revoke.mutateAsync(row.original.id);
                notify.success(t('account.tokens.revoked', { name: row.original.name }));
              }}
            />
          ) : null,
      },
    ],
    [t, format, revoke, notify],
  );
  return (
    <Stack gap="sm" component="section" aria-labelledby="tokens-heading" data-testid="my-tokens">
      <Title order={2} size="h3" id="tokens-heading">
        {t('account.tokens.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('account.tokens.note')}
      </Text>
      {secret ? <SecretOnce secret={secret} onDismiss={() => setSecret(null)} /> : null}
      <CreateTokenForm onCreated={(name, value) => setSecret({ name, value })} />
      <QueryState query={tokens} height={120}>
        {(data) =>
          data.items.length === 0 ? (
            <Text size="sm" data-testid="no-tokens">
              {t('account.tokens.none')}
            </Text>
          ) : (
            <DataTable
              data={data.items}
              columns={columns}
              caption={t('account.tokens.caption')}
              rowKey={(k) => k.id}
              testId="tokens-table"
            />
          )
        }
      </QueryState>
    </Stack>
  );
}

function SecretOnce({
  secret,
  onDismiss,
}: {
  secret: { name: string; value: string };
  onDismiss: () => void;
}) {
  const { t } = useTranslation('admin');
  return (
    <Alert
      color="yellow"
      variant="light"
      title={t('account.tokens.secretTitle', { name: secret.name })}
      data-testid="token-secret"
    >
      <Stack gap="xs">
        <Text size="sm" fw={600}>
          {t('account.tokens.secretWarning')}
        </Text>
        <Code block data-testid="token-secret-value">
          {secret.value}
        </Code>
        <Group gap="xs">
          <CopyButton value={secret.value}>
            {({ copied, copy }) => (
              <Button size="xs" onClick={copy} variant={copied ? 'light' : 'filled'}>
                {copied ? t('account.tokens.copied') : t('account.tokens.copy')}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="default" onClick={onDismiss} data-testid="dismiss-secret">
            {t('account.tokens.dismiss')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (name: string, secret: string) => void }) {
  const { t } = useTranslation('admin');
  const formError = useFormError();
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [days, setDays] = useState<number | string>(90);
  const [readOnly, setReadOnly] = useState(true);
  const nameProblem =
    name.trim() === ''
      ? t('account.tokens.errors.nameRequired')
      : name.trim().length > TOKEN_NAME_MAX_CHARS
        ? t('account.tokens.errors.nameTooLong')
        : undefined;
  const daysValid =
    typeof days === 'number' &&
    Number.isInteger(days) &&
    days >= TOKEN_DAYS_MIN &&
    days <= TOKEN_DAYS_MAX;
  const valid = !nameProblem && daysValid;
  const fields = ['name', 'expiresInDays', 'readOnly'];
  const aboveForm = formError(create.error, fields);
  return (
    <Paper
      withBorder
      p="md"
      component="form"
      data-testid="new-token-form"
      aria-labelledby="new-token-heading"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setNameTouched(true);
        if (!valid || typeof days !== 'number') return;
        create.mutate(
          { name: name.trim(), expiresInDays: days, readOnly },
          {
            onSuccess: (created) => {
              onCreated(created.token.name, created.secret);
              setName('');
              setNameTouched(false);
            },
          },
        );
      }}
    >
      <Stack gap="sm">
        <Title order={3} size="h5" id="new-token-heading">
          {t('account.tokens.newTitle')}
        </Title>
        {aboveForm ? (
          <Alert color="red" variant="light" role="alert">
            {aboveForm}
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput
            label={t('account.tokens.name')}
            required
            value={name}
            onChange={(e) => {
              create.reset();
              setName(e.currentTarget.value);
              setNameTouched(true);
            }}
            error={(nameTouched ? nameProblem : undefined) ?? fieldErrorOf(create.error, 'name')}
            data-testid="token-name"
          />
          <NumberInput
            label={t('account.tokens.days')}
            required
            min={TOKEN_DAYS_MIN}
            max={TOKEN_DAYS_MAX}
            allowDecimal={false}
            allowNegative={false}
            value={days}
            onChange={(value) => {
              create.reset();
              setDays(value);
            }}
            error={
              daysValid
                ? fieldErrorOf(create.error, 'expiresInDays')
                : t('account.tokens.errors.days', { min: TOKEN_DAYS_MIN, max: TOKEN_DAYS_MAX })
            }
            data-testid="token-days"
          />
          <Checkbox
            mt={{ sm: 'xl' }}
            label={t('account.tokens.readOnlyLabel')}
            description={t('account.tokens.readOnlyHint')}
            checked={readOnly}
            onChange={(e) => setReadOnly(e.currentTarget.checked)}
            data-testid="token-read-only"
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button
            type="submit"
            loading={create.isPending}
            disabled={create.isPending}
            data-testid="create-token"
          >
            {t('account.tokens.create')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
