/**
 * A new user: email, display name, role, party (a contributor's only) and an initial password —
 * checked as the admin types (`user-form.ts`), and the server's refusal (a taken email, a common
 * password, an unknown party) shown against its field.
 */
import {
  Alert,
  Button,
  Group,
  Paper,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateUser, type UserRole } from '../../api/admin';
import { ROLES } from '../../api/auth';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { PartySelect } from './PartySelect';
import { createUserErrors, partyForRole, type UserFormValues } from './user-form';
import { useNotify } from '../../ui/notify';

const FIELDS = ['email', 'displayName', 'role', 'partyId', 'password'] as const;

export function CreateUserForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation(['admin', 'common']);
  const notify = useNotify();
  const formError = useFormError();
  const create = useCreateUser();
  const [values, setValues] = useState<UserFormValues>({
    email: '',
    displayName: '',
    role: 'coordinator',
    partyId: '',
    password: '',
  });
  const [touched, setTouched] = useState<Partial<Record<keyof UserFormValues, boolean>>>({});
  const errors = createUserErrors(values);
  const shown = (field: keyof UserFormValues) => {
    const local = touched[field] ? errors[field] : undefined;
    // The server's refusal stays against its field until that field changes.
    return local ? t(`form.errors.${local}`) : fieldErrorOf(create.error, field);
  };
  const set = (field: keyof UserFormValues) => (value: string) => {
    if (create.error) create.reset();
    setValues((v) => ({ ...v, [field]: value }));
    setTouched((x) => ({ ...x, [field]: true }));
  };
  const valid = Object.keys(errors).length === 0;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="new-user-heading">
      <form
        data-testid="new-user-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setTouched({ email: true, displayName: true, password: true, partyId: true });
          if (!valid) return;
          create.mutate(
            {
              email: values.email.trim(),
              ...(values.displayName.trim() ? { displayName: values.displayName.trim() } : {}),
              role: values.role as UserRole,
              partyId: partyForRole(values.role, values.partyId),
              password: values.password,
            },
            {
              onSuccess: (user) => {
                notify.success(t('users.created', { email: user.email }));
                onDone();
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h4" id="new-user-heading">
            {t('users.newTitle')}
          </Title>
          {formError(create.error, FIELDS) ? (
            <Alert color="red" variant="light" role="alert">
              {formError(create.error, FIELDS)}
            </Alert>
          ) : null}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t('form.email')}
              type="email"
              required
              autoComplete="off"
              value={values.email}
              onChange={(e) => set('email')(e.currentTarget.value)}
              error={shown('email')}
              data-testid="user-email"
            />
            <TextInput
              label={t('form.displayName')}
              description={t('form.displayNameHint')}
              value={values.displayName}
              onChange={(e) => set('displayName')(e.currentTarget.value)}
              error={shown('displayName')}
              data-testid="user-display-name"
            />
            <Select
              label={t('form.role')}
              required
              allowDeselect={false}
              data={ROLES.map((role) => ({ value: role, label: t(`common:roles.${role}`) }))}
              value={values.role}
              onChange={(value) => set('role')(value ?? 'coordinator')}
              error={shown('role')}
              data-testid="user-role"
            />
            {values.role === 'contributor' ? (
              <PartySelect
                label={t('form.party')}
                description={t('form.partyHint')}
                required
                value={values.partyId || null}
                onChange={(value) => set('partyId')(value ?? '')}
                error={shown('partyId')}
                data-testid="user-party"
              />
            ) : null}
            <PasswordInput
              label={t('form.password')}
              description={t('form.passwordHint')}
              required
              autoComplete="new-password"
              value={values.password}
              onChange={(e) => set('password')(e.currentTarget.value)}
              error={shown('password')}
              data-testid="user-password"
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone} disabled={create.isPending}>
              {t('actions.cancel')}
            </Button>
            <Button
              type="submit"
              loading={create.isPending}
              disabled={create.isPending}
              data-testid="create-user"
            >
              {t('users.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
