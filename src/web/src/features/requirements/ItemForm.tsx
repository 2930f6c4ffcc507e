/**
 * The form of a requirement item (add or edit, recipient, draft list): capability area,
 * category, description and justification (restricted), lethal, requested quantity, unit,
 * estimated unit cost in US dollars, and how packages may split it (in steps of N units, or the
 * whole quantity only) — each checked as typed; the server's refusal shows against
 * the field it names, else above the form. An edit sends the item's version (`If-Match`).
 */
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { useCapabilityAreas } from '../../api/reference';
import {
  useAddRequirementItem,
  useUpdateRequirementItem,
  type RequirementItem,
  type RequirementItemFields,
  type RequirementList,
} from '../../api/requirements';
import { useFormat } from '../../i18n/format';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { isRedacted } from '../../ui/Money';
import { MoneyInput } from '../../ui/MoneyInput';
import {
  CATEGORY_MAX_CHARS,
  RESTRICTED_TEXT_MAX_CHARS,
  UNIT_MAX_CHARS,
  checkOptionalText,
  checkQuantityStep,
  checkRequestedQuantity,
  checkText,
} from './item-form';
import { useNotify } from '../../ui/notify';

/** The list's money: estimated unit costs are in US dollars (US equipment). */
export const LIST_CURRENCY = 'USD';

const FIELDS = [
  'capabilityArea',
  'category',
  'lethal',
  'requestedQuantity',
  'unit',
  'estimatedUnitCost',
  'estimatedUnitCost.amountMinor',
  'estimatedUnitCostUsdMinor',
  'description',
  'justification',
  'priorityRank',
  'quantityStep',
  'wholeOnly',
] as const;

interface Values {
  capabilityArea: string;
  category: string;
  description: string;
  justification: string;
  lethal: boolean;
  requestedQuantity: string;
  unit: string;
  estimatedUnitCostMinor: string | null;
  quantityStep: string;
  wholeOnly: boolean;
}

function initialValues(item: RequirementItem | undefined): Values {
  if (!item) {
    return {
      capabilityArea: '',
      category: '',
      description: '',
      justification: '',
      lethal: false,
      requestedQuantity: '',
      unit: '',
      estimatedUnitCostMinor: null,
      quantityStep: '1',
      wholeOnly: false,
    };
  }
  const text = (value: RequirementItem['description']) =>
    isRedacted(value) || value === null ? '' : value;
  return {
    capabilityArea: item.capabilityArea,
    category: item.category,
    description: text(item.description),
    justification: text(item.justification),
    lethal: item.lethal,
    requestedQuantity: String(item.requestedQuantity),
    unit: item.unit,
    estimatedUnitCostMinor: isRedacted(item.estimatedUnitCost)
      ? null
      : item.estimatedUnitCost.amountMinor,
    quantityStep: String(item.quantityStep),
    wholeOnly: item.wholeOnly,
  };
}

export function ItemForm({
  list,
  item,
  onDone,
}: {
  list: RequirementList;
  /** The item edited; none: a new item. */
  item?: RequirementItem;
  onDone: () => void;
}) {
  const { t } = useTranslation('requirements');
  const notify = useNotify();
  const format = useFormat();
  const formError = useFormError();
  const areas = useCapabilityAreas();
  const add = useAddRequirementItem(list);
  const update = useUpdateRequirementItem(list.id);
  const mutation = item ? update : add;
  const problem = (key: ReturnType<typeof checkText>, max?: number) =>
    key ? t(key, { max }) : null;

  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: initialValues(item),
    validateInputOnChange: true,
    validate: {
      capabilityArea: (value) => (value === '' ? t('validation.area') : null),
      category: (value) => problem(checkText(value, CATEGORY_MAX_CHARS), CATEGORY_MAX_CHARS),
      description: (value) =>
        problem(checkOptionalText(value, RESTRICTED_TEXT_MAX_CHARS), RESTRICTED_TEXT_MAX_CHARS),
      justification: (value) =>
        problem(checkOptionalText(value, RESTRICTED_TEXT_MAX_CHARS), RESTRICTED_TEXT_MAX_CHARS),
      requestedQuantity: (value) => problem(checkRequestedQuantity(value)),
      unit: (value) => problem(checkText(value, UNIT_MAX_CHARS), UNIT_MAX_CHARS),
      estimatedUnitCostMinor: (value) => (value === null ? t('validation.cost') : null),
      quantityStep: (value, values) => problem(checkQuantityStep(value, values.requestedQuantity)),
    },
    onValuesChange: () => {
      if (mutation.error) mutation.reset();
    },
  });
  const serverError = (...fields: string[]) => fieldErrorOf(mutation.error, ...fields);
  const above = formError(mutation.error, FIELDS);
  const areaOptions = (areas.data?.items ?? []).map((area) => ({
    value: area.code,
    label: area.names[format.language],
  }));

  return (
    <form
      noValidate
      data-testid="item-form"
      onSubmit={form.onSubmit(async (values) => {
        const fields: RequirementItemFields = {
          capabilityArea: values.capabilityArea,
          category: values.category.trim(),
          lethal: values.lethal,
          requestedQuantity: Number(values.requestedQuantity.trim()),
          unit: values.unit.trim(),
          estimatedUnitCostMinor: values.estimatedUnitCostMinor!,
          description: values.description.trim() === '' ? null : values.description.trim(),
          justification: values.justification.trim() === '' ? null : values.justification.trim(),
          quantityStep: Number(values.quantityStep.trim()),
          wholeOnly: values.wholeOnly,
        };
        try {
          if (item) await update.mutateAsync({ item, fields });
          else await add.mutateAsync({ ...fields, idempotencyKey: crypto.randomUUID() });
          notify.success(
            t(item ? 'itemForm.updated' : 'itemForm.added', { item: fields.category }),
          );
          onDone();
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
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label={t('fields.capabilityArea')}
            placeholder={t('fields.capabilityAreaPlaceholder')}
            data={areaOptions}
            required
            searchable
            data-testid="item-area"
            {...form.getInputProps('capabilityArea')}
            onChange={(value) => form.setFieldValue('capabilityArea', value ?? '')}
            error={form.errors.capabilityArea ?? serverError('capabilityArea')}
          />
          <TextInput
            label={t('fields.category')}
            description={t('fields.categoryHint')}
            required
            data-testid="item-category"
            {...form.getInputProps('category')}
            error={form.errors.category ?? serverError('category')}
          />
        </SimpleGrid>
        <Textarea
          label={t('fields.description')}
          description={t('fields.restrictedHint')}
          autosize
          minRows={2}
          data-testid="item-description"
          {...form.getInputProps('description')}
          error={form.errors.description ?? serverError('description')}
        />
        <Textarea
          label={t('fields.justification')}
          description={t('fields.restrictedHint')}
          autosize
          minRows={2}
          {...form.getInputProps('justification')}
          error={form.errors.justification ?? serverError('justification')}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput
            label={t('fields.requestedQuantity')}
            inputMode="numeric"
            required
            data-testid="item-quantity"
            {...form.getInputProps('requestedQuantity')}
            error={form.errors.requestedQuantity ?? serverError('requestedQuantity')}
          />
          <TextInput
            label={t('fields.unit')}
            description={t('fields.unitHint')}
            required
            data-testid="item-unit"
            {...form.getInputProps('unit')}
            error={form.errors.unit ?? serverError('unit')}
          />
          <MoneyInput
            label={t('fields.estimatedUnitCost')}
            required
            currency={LIST_CURRENCY}
            allowZero
            data-testid="item-cost"
            valueMinor={form.values.estimatedUnitCostMinor}
            onChangeMinor={(minor) => form.setFieldValue('estimatedUnitCostMinor', minor)}
            error={
              (form.errors.estimatedUnitCostMinor as string | undefined) ??
              serverError(
                'estimatedUnitCost',
                'estimatedUnitCost.amountMinor',
                'estimatedUnitCostUsdMinor',
              )
            }
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label={t('fields.quantityStep')}
            description={t('fields.quantityStepHint')}
            inputMode="numeric"
            required
            data-testid="item-step"
            {...form.getInputProps('quantityStep')}
            error={form.errors.quantityStep ?? serverError('quantityStep')}
          />
          <Checkbox
            label={t('fields.wholeOnly')}
            description={t('fields.wholeOnlyHint')}
            mt={{ base: 0, sm: 'lg' }}
            data-testid="item-whole-only"
            {...form.getInputProps('wholeOnly', { type: 'checkbox' })}
            error={serverError('wholeOnly')}
          />
        </SimpleGrid>
        <Checkbox
          label={t('fields.lethal')}
          description={t('fields.lethalHint')}
          {...form.getInputProps('lethal', { type: 'checkbox' })}
          error={serverError('lethal')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={mutation.isPending}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} data-testid="item-submit">
            {item ? t('itemForm.save') : t('itemForm.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
