/**
 * "New requirement list" (recipient): a dialog asking for the cycle (month) and title — checked
 * as typed — that creates the draft list of that cycle and opens it. One list per cycle: the
 * server's refusal of a taken cycle shows against the cycle.
 */
import { Alert, Button, Group, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCreateRequirementList } from '../../api/requirements';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import {
  RESTRICTED_TEXT_MAX_CHARS,
  TITLE_MAX_CHARS,
  checkCycle,
  checkOptionalText,
  checkText,
  currentCycle,
} from './item-form';
import { Dialog } from '../../ui/Dialog';
import { useNotify } from '../../ui/notify';

const FIELDS = ['cycle', 'title', 'sourceNote'] as const;

export function NewListButton() {
  const { t } = useTranslation('requirements');
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button onClick={() => setOpened(true)} data-testid="new-list">
        {t('newList.action')}
      </Button>
      <Dialog opened={opened} onClose={() => setOpened(false)} title={t('newList.title')}>
        {opened ? <NewListForm onDone={() => setOpened(false)} /> : null}
      </Dialog>
    </>
  );
}

function NewListForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('requirements');
  const notify = useNotify();
  const navigate = useNavigate();
  const formError = useFormError();
  const create = useCreateRequirementList();
  const form = useForm({
    mode: 'controlled',
    initialValues: { cycle: currentCycle(), title: '', sourceNote: '' },
    validateInputOnChange: true,
    validate: {
      cycle: (value) => {
        const problem = checkCycle(value);
        return problem ? t(problem) : null;
      },
      title: (value) => {
        const problem = checkText(value, TITLE_MAX_CHARS);
        return problem ? t(problem, { max: TITLE_MAX_CHARS }) : null;
      },
      sourceNote: (value) => {
        const problem = checkOptionalText(value, RESTRICTED_TEXT_MAX_CHARS);
        return problem ? t(problem, { max: RESTRICTED_TEXT_MAX_CHARS }) : null;
      },
    },
    onValuesChange: () => {
      if (create.error) create.reset();
    },
  });
  const serverError = (field: (typeof FIELDS)[number]) => fieldErrorOf(create.error, field);
  const above = formError(create.error, FIELDS);

  return (
    <form
      noValidate
      data-testid="new-list-form"
      onSubmit={form.onSubmit(async (values) => {
        try {
          const list = await create.mutateAsync({
            cycle: values.cycle.trim(),
            title: values.title.trim(),
            sourceNote: values.sourceNote.trim() === '' ? null : values.sourceNote.trim(),
            idempotencyKey: crypto.randomUUID(),
          });
          notify.success(t('newList.created', { title: list.title }));
          onDone();
          await navigate(`/requirements/${list.id}`);
        } catch {
          // Shown against its field or above the form.
        }
      })}
    >
      <Stack gap="sm">
        {above ? (
          <Alert color="red" variant="light" role="alert">
            {above}
          </Alert>
        ) : null}
        <TextInput
          label={t('fields.cycle')}
          description={t('fields.cycleHint')}
          type="month"
          required
          data-testid="new-list-cycle"
          {...form.getInputProps('cycle')}
          error={form.errors.cycle ?? serverError('cycle')}
        />
        <TextInput
          label={t('fields.title')}
          required
          data-testid="new-list-title"
          {...form.getInputProps('title')}
          error={form.errors.title ?? serverError('title')}
        />
        <Textarea
          label={t('fields.sourceNote')}
          autosize
          minRows={2}
          {...form.getInputProps('sourceNote')}
          error={form.errors.sourceNote ?? serverError('sourceNote')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={create.isPending}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending} data-testid="new-list-submit">
            {t('newList.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
