/**
 * The validator's approved quantity of one item (submitted list), edited in its row: a whole
 * number from 0 (0 rejects the item), saved with the item's version; the server's refusal
 * shows against this field. A quantity above the requested one is pointed out (the server
 * decides whether it stands).
 */
import { Button, Group, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSetApprovedQuantity, type RequirementItem } from '../../api/requirements';
import { useFormat } from '../../i18n/format';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { checkApprovedQuantity } from './item-form';
import { useNotify } from '../../ui/notify';

export function ApprovedQuantityInput({ listId, item }: { listId: string; item: RequirementItem }) {
  const { t } = useTranslation('requirements');
  const notify = useNotify();
  const format = useFormat();
  const formError = useFormError();
  const save = useSetApprovedQuantity(listId);
  const saved = item.approvedQuantity === null ? '' : String(item.approvedQuantity);
  const [text, setText] = useState(saved);
  const problem = text === saved ? undefined : checkApprovedQuantity(text);
  const unchanged = text.trim() === saved;
  const above =
    problem === undefined && text.trim() !== '' && Number(text.trim()) > item.requestedQuantity;
  const serverError =
    fieldErrorOf(save.error, 'approvedQuantity') ?? formError(save.error, ['approvedQuantity']);
  const label = t('validation.approvedLabel', { item: item.category });

  return (
    <form
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        if (problem || unchanged) return;
        try {
          const updated = await save.mutateAsync({
            item,
            approvedQuantity: Number(text.trim()),
          });
          notify.success(
            t('validation.saved', {
              item: item.category,
              quantity: format.integer(updated.approvedQuantity ?? 0),
            }),
          );
        } catch {
          // Shown against the field.
        }
      }}
    >
      <Group gap={4} wrap="nowrap" align="flex-start">
        <TextInput
          aria-label={label}
          size="xs"
          w={110}
          inputMode="numeric"
          placeholder={format.integer(item.requestedQuantity)}
          value={text}
          data-testid={`approved-quantity-${item.id}`}
          onChange={(event) => {
            setText(event.currentTarget.value);
            if (save.error) save.reset();
          }}
          error={problem ? t(problem) : serverError}
          description={above ? t('validation.aboveRequested') : undefined}
          inputWrapperOrder={['input', 'description', 'error']}
        />
        <Button
          type="submit"
          size="xs"
          variant="light"
          loading={save.isPending}
          disabled={problem !== undefined || unchanged}
          aria-label={t('validation.saveLabel', { item: item.category })}
          data-testid={`save-approved-${item.id}`}
        >
          {t('validation.save')}
        </Button>
      </Group>
    </form>
  );
}
