/**
 * "Edit" of a user: display name, role and party (a contributor's), sent with `If-Match` of the
 * version shown — a change made meanwhile is refused and explained. The signed-in admin may
 * rename itself but not change its own role.
 */
import { Alert, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUpdateUser, type UpdateUserBody, type User, type UserRole } from '../../api/admin';
import { ROLES } from '../../api/auth';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { PartySelect } from './PartySelect';
import { displayNameError, partyError, partyForRole } from './user-form';
import { useNotify } from '../../ui/notify';
import { Dialog } from '../../ui/Dialog';

const FIELDS = ['displayName', 'role', 'partyId'] as const;

export function EditUserButton({ user, self }: { user: User; self: boolean }) {
  const { t } = useTranslation('admin');
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button
        size="xs"
        variant="default"
        onClick={() => setOpened(true)}
        aria-label={t('users.editFor', { email: user.email })}
        data-testid="edit-user"
      >
        {t('users.edit')}
      </Button>
      {opened ? <EditUserModal user={user} self={self} onClose={() => setOpened(false)} /> : null}
    </>
  );
}

function EditUserModal({
  user,
  self,
  onClose,
}: {
  user: User;
  self: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation(['admin', 'common']);
  const notify = useNotify();
  const formError = useFormError();
  const update = useUpdateUser();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<string>(user.role);
  const [partyId, setPartyId] = useState(user.partyId ?? '');
  const nameProblem =
    displayName.trim() === '' ? 'displayNameRequired' : displayNameError(displayName);
  const partyProblem = partyError(role, partyId);
  const valid = !nameProblem && !partyProblem;
  const aboveForm = formError(update.error, FIELDS);

  return (
    <Dialog
      opened
      onClose={() => !update.isPending && onClose()}
      title={t('users.editTitle', { email: user.email })}
    >
      <form
        data-testid="edit-user-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!valid) return;
          const body: UpdateUserBody = {};
          if (displayName.trim() !== user.displayName) body.displayName = displayName.trim();
          if (role !== user.role) body.role = role as UserRole;
          const party = partyForRole(role, partyId);
          if (party !== user.partyId) body.partyId = party;
          update.mutate(
            { user, body },
            {
              onSuccess: (saved) => {
                notify.success(t('users.saved', { email: saved.email }));
                onClose();
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed" data-testid="user-version">
            {t('users.version', { version: user.version })}
          </Text>
          {aboveForm ? (
            <Alert color="red" variant="light" role="alert">
              {aboveForm}
            </Alert>
          ) : null}
          <TextInput
            label={t('form.displayName')}
            required
            value={displayName}
            onChange={(e) => {
              update.reset();
              setDisplayName(e.currentTarget.value);
            }}
            error={
              nameProblem
                ? t(`form.errors.${nameProblem}`)
                : fieldErrorOf(update.error, 'displayName')
            }
            data-testid="edit-display-name"
          />
          <Select
            label={t('form.role')}
            required
            allowDeselect={false}
            disabled={self}
            description={self ? t('form.ownRole') : undefined}
            data={ROLES.map((r) => ({ value: r, label: t(`common:roles.${r}`) }))}
            value={role}
            onChange={(value) => {
              update.reset();
              setRole(value ?? user.role);
            }}
            error={fieldErrorOf(update.error, 'role')}
            data-testid="edit-role"
          />
          {role === 'contributor' ? (
            <PartySelect
              label={t('form.party')}
              required
              value={partyId || null}
              onChange={(value) => {
                update.reset();
                setPartyId(value ?? '');
              }}
              error={
                partyProblem
                  ? t(`form.errors.${partyProblem}`)
                  : fieldErrorOf(update.error, 'partyId')
              }
              data-testid="edit-party"
            />
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={update.isPending}>
              {t('actions.cancel')}
            </Button>
            <Button
              type="submit"
              loading={update.isPending}
              disabled={!valid}
              data-testid="save-user"
            >
              {t('actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
