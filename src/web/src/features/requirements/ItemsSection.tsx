/**
 * The items of a list in priority order (rank 1 first). On a draft list the recipient adds,
 * edits and removes items and changes the priority order — by dragging a row's handle, by the
 * keyboard on that handle (Space picks up, arrows move, Space drops, Escape cancels; each step
 * announced in the reader's language), or with the row's "Move up" / "Move down" buttons — then
 * saves the whole order at once (`PUT …/priorities` with the list's version) or resets it. On a
 * submitted list the validator sets approved quantities in the rows. Each row says how packages
 * may split the item: in steps of N, the whole quantity only, or any quantity.
 */
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useMemo, useRef, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { useCapabilityAreas } from '../../api/reference';
import {
  useRemoveRequirementItem,
  useReorderRequirementItems,
  type RequirementItem,
  type RequirementList,
} from '../../api/requirements';
import { useMay } from '../../app/access';
import { useFormat } from '../../i18n/format';
import { useFormError } from '../../ui/form-errors';
import { Money, RedactedMark, isRedacted } from '../../ui/Money';
import { ApprovedQuantityInput } from './ApprovedQuantityInput';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { Dialog } from '../../ui/Dialog';
import { ItemForm, LIST_CURRENCY } from './ItemForm';
import { effectiveOrder, moveItem, sameOrder } from './priority-order';
import { ScrollRegion } from './ScrollRegion';
import { SectionTitle } from './SectionTitle';
import { useNotify } from '../../ui/notify';

export function ItemsSection({ list }: { list: RequirementList }) {
  const { t } = useTranslation('requirements');
  const notify = useNotify();
  const formError = useFormError();
  const mayWrite = useMay('requirements.write');
  const mayValidate = useMay('requirements.validate');
  const editable = mayWrite && list.status === 'draft';
  const validating = mayValidate && list.status === 'submitted';
  const reorder = useReorderRequirementItems(list);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<RequirementItem | null>(null);
  const [edited, setEdited] = useState<string[] | null>(null);

  const serverOrder = list.items.map((item) => item.id);
  const order = effectiveOrder(serverOrder, edited);
  const changed = !sameOrder(order, serverOrder);
  const byId = new Map(list.items.map((item) => [item.id, item]));
  const items = order.map((id) => byId.get(id)!);
  const reorderError = formError(reorder.error);

  const move = (from: number, to: number) => {
    reorder.reset();
    setEdited(moveItem(order, from, to));
  };

  return (
    <section aria-labelledby="items-heading" data-testid="items-section">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <SectionTitle id="items-heading">
            {t('items.heading', { count: list.items.length })}
          </SectionTitle>
          {editable ? (
            <Button onClick={() => setAdding(true)} data-testid="add-item">
              {t('items.add')}
            </Button>
          ) : null}
        </Group>
        {editable ? (
          <Text size="sm" c="dimmed" id="reorder-help">
            {t('order.help')}
          </Text>
        ) : null}
        {validating ? (
          <Text size="sm" c="dimmed">
            {t('validation.help')}
          </Text>
        ) : null}
        {list.items.length === 0 ? (
          <Text c="dimmed" data-testid="items-empty">
            {editable ? t('items.emptyDraft') : t('items.empty')}
          </Text>
        ) : (
          <ItemsTable
            list={list}
            items={items}
            editable={editable}
            validating={validating}
            onMove={move}
            onEdit={setEditing}
          />
        )}
        {editable && list.items.length > 1 ? (
          <Group gap="sm" data-testid="order-actions">
            <Button
              disabled={!changed}
              loading={reorder.isPending}
              data-testid="save-order"
              onClick={async () => {
                try {
                  await reorder.mutateAsync(order);
                  setEdited(null);
                  notify.success(t('order.saved'));
                } catch {
                  // Shown below.
                }
              }}
            >
              {t('order.save')}
            </Button>
            <Button
              variant="default"
              disabled={!changed || reorder.isPending}
              data-testid="reset-order"
              onClick={() => {
                reorder.reset();
                setEdited(null);
              }}
            >
              {t('order.reset')}
            </Button>
            {changed ? (
              <Text size="sm" c="orange.9" aria-live="polite">
                {t('order.unsaved')}
              </Text>
            ) : null}
          </Group>
        ) : null}
        {reorderError ? (
          <Alert color="red" variant="light" role="alert">
            {reorderError}
          </Alert>
        ) : null}
      </Stack>
      <Dialog
        opened={adding || editing !== null}
        onClose={() => {
          setAdding(false);
          setEditing(null);
        }}
        title={
          editing ? t('itemForm.editTitle', { item: editing.category }) : t('itemForm.addTitle')
        }
        size="lg"
      >
        {adding || editing ? (
          <ItemForm
            key={editing?.id ?? 'new'}
            list={list}
            {...(editing ? { item: editing } : {})}
            onDone={() => {
              setAdding(false);
              setEditing(null);
            }}
          />
        ) : null}
      </Dialog>
    </section>
  );
}

function ItemsTable({
  list,
  items,
  editable,
  validating,
  onMove,
  onEdit,
}: {
  list: RequirementList;
  items: RequirementItem[];
  editable: boolean;
  validating: boolean;
  onMove: (from: number, to: number) => void;
  onEdit: (item: RequirementItem) => void;
}) {
  const { t } = useTranslation('requirements');
  const sensors = useSensors(
    useSensor(PointerSensor),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const ids = items.map((item) => item.id);
  const nameOf = (id: UniqueIdentifier) =>
    items.find((item) => item.id === String(id))?.category ?? String(id);
  const positionOf = (id: UniqueIdentifier) => ids.indexOf(String(id)) + 1;
  const count = items.length;
  // What the dragged item is over: a move is announced when that changes (dnd-kit reports the
  // item over itself right after the pick-up, which would drown the pick-up's announcement).
  const lastOver = useRef<UniqueIdentifier | null>(null);

  const announcements: Announcements = {
    onDragStart: ({ active }) => {
      lastOver.current = active.id;
      return t('dnd.pickedUp', {
        item: nameOf(active.id),
        position: positionOf(active.id),
        count,
      });
    },
    onDragOver: ({ active, over }) => {
      const overId = over?.id ?? null;
      if (overId === lastOver.current) return undefined;
      lastOver.current = overId;
      return over
        ? t('dnd.movedOver', { item: nameOf(active.id), position: positionOf(over.id), count })
        : t('dnd.outside', { item: nameOf(active.id) });
    },
    onDragEnd: ({ active, over }) =>
      over
        ? t('dnd.dropped', { item: nameOf(active.id), position: positionOf(over.id), count })
        : t('dnd.droppedOutside', { item: nameOf(active.id) }),
    onDragCancel: ({ active }) =>
      t('dnd.cancelled', { item: nameOf(active.id), position: positionOf(active.id), count }),
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    onMove(ids.indexOf(String(active.id)), ids.indexOf(String(over.id)));
  };

  const table = (
    <ScrollRegion label={t('items.caption')}>
      <Table
        verticalSpacing="xs"
        fz="sm"
        striped
        miw={editable ? 1220 : 1080}
        data-testid="items-table"
      >
        <caption>
          <VisuallyHidden>{t('items.caption')}</VisuallyHidden>
        </caption>
        <Table.Thead>
          <Table.Tr>
            {editable ? (
              <Table.Th scope="col">
                <VisuallyHidden>{t('order.handleColumn')}</VisuallyHidden>
              </Table.Th>
            ) : null}
            <Table.Th scope="col" ta="right">
              {t('columns.rank')}
            </Table.Th>
            <Table.Th scope="col">{t('columns.capabilityArea')}</Table.Th>
            <Table.Th scope="col">{t('columns.category')}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('columns.requested')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('columns.approved')}
            </Table.Th>
            <Table.Th scope="col">{t('columns.unit')}</Table.Th>
            <Table.Th scope="col">{t('columns.packaging')}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('columns.unitCost')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('columns.total')}
            </Table.Th>
            <Table.Th scope="col">{t('columns.lethal')}</Table.Th>
            {editable ? <Table.Th scope="col">{t('columns.actions')}</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item, index) => (
            <ItemRow
              key={item.id}
              list={list}
              item={item}
              position={index + 1}
              count={count}
              editable={editable}
              validating={validating}
              onMoveUp={() => onMove(index, index - 1)}
              onMoveDown={() => onMove(index, index + 1)}
              onEdit={() => onEdit(item)}
            />
          ))}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );

  if (!editable) return table;
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{
        announcements,
        screenReaderInstructions: { draggable: t('dnd.instructions') },
      }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        {table}
      </SortableContext>
    </DndContext>
  );
}

function ItemRow({
  list,
  item,
  position,
  count,
  editable,
  validating,
  onMoveUp,
  onMoveDown,
  onEdit,
}: {
  list: RequirementList;
  item: RequirementItem;
  /** Its place in the order shown (which may differ from its saved rank until saved). */
  position: number;
  count: number;
  editable: boolean;
  validating: boolean;
  onMoveUp: () => void;
  onMoveDown: () => void;
  onEdit: () => void;
}) {
  const { t } = useTranslation('requirements');
  const notify = useNotify();
  const format = useFormat();
  const areas = useCapabilityAreas();
  const remove = useRemoveRequirementItem(list.id);
  const sortable = useSortable({
    id: item.id,
    disabled: !editable,
    attributes: { roleDescription: t('dnd.roleDescription') },
  });
  const areaName = useMemo(
    () =>
      areas.data?.items.find((area) => area.code === item.capabilityArea)?.names[format.language] ??
      item.capabilityArea,
    [areas.data, item.capabilityArea, format.language],
  );
  const style: CSSProperties | undefined = editable
    ? {
        transform: sortable.transform
          ? `translate3d(0, ${Math.round(sortable.transform.y)}px, 0)`
          : undefined,
        transition: sortable.transition,
        position: 'relative',
        zIndex: sortable.isDragging ? 2 : undefined,
        background: sortable.isDragging ? 'var(--mantine-color-blue-0)' : undefined,
      }
    : undefined;
  const cost = item.estimatedUnitCost;
  const total = isRedacted(cost)
    ? cost
    : String(BigInt(cost.amountMinor) * BigInt(item.requestedQuantity));
  const numeric: CSSProperties = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' };

  return (
    <Table.Tr
      ref={editable ? sortable.setNodeRef : undefined}
      style={style}
      data-testid={`item-row-${item.id}`}
      data-item-id={item.id}
    >
      {editable ? (
        <Table.Td>
          <ActionIcon
            ref={sortable.setActivatorNodeRef}
            variant="subtle"
            color="gray"
            style={{ cursor: 'grab', touchAction: 'none' }}
            {...sortable.attributes}
            {...sortable.listeners}
            aria-label={t('order.handle', { item: item.category })}
            data-testid={`drag-handle-${item.id}`}
          >
            <span aria-hidden="true">⠿</span>
          </ActionIcon>
        </Table.Td>
      ) : null}
      <Table.Td ta="right" style={numeric} data-testid="item-rank">
        {format.integer(editable ? position : item.priorityRank)}
      </Table.Td>
      <Table.Td>{areaName}</Table.Td>
      <Table.Td>
        <Stack gap={2}>
          <Text size="sm" fw={600}>
            {item.category}
          </Text>
          {isRedacted(item.description) ? (
            <Group gap={4}>
              <Text size="xs" c="dimmed">
                {t('columns.description')}
              </Text>
              <RedactedMark />
            </Group>
          ) : item.description ? (
            <Text size="xs" c="dimmed">
              {item.description}
            </Text>
          ) : null}
          {item.synthetic ? (
            <Badge size="xs" variant="outline" color="gray">
              {t('items.synthetic')}
            </Badge>
          ) : null}
        </Stack>
      </Table.Td>
      <Table.Td ta="right" style={numeric}>
        {format.integer(item.requestedQuantity)}
      </Table.Td>
      <Table.Td ta="right" style={numeric}>
        {validating ? (
          <ApprovedQuantityInput listId={list.id} item={item} />
        ) : item.approvedQuantity === null ? (
          <Text span size="sm" c="dimmed" title={t('items.notApprovedYet')}>
            —
          </Text>
        ) : (
          format.integer(item.approvedQuantity)
        )}
      </Table.Td>
      <Table.Td>{item.unit}</Table.Td>
      <Table.Td data-testid="item-packaging">
        {item.wholeOnly ? (
          t('items.wholeOnly')
        ) : item.quantityStep > 1 ? (
          t('items.stepsOf', { step: format.integer(item.quantityStep) })
        ) : (
          <Text span size="sm" c="dimmed">
            {t('items.anyQuantity')}
          </Text>
        )}
      </Table.Td>
      <Table.Td ta="right" style={numeric}>
        <Money minor={isRedacted(cost) ? cost : cost.amountMinor} currency={LIST_CURRENCY} />
      </Table.Td>
      <Table.Td ta="right" style={numeric}>
        <Money minor={total} currency={LIST_CURRENCY} />
      </Table.Td>
      <Table.Td>{item.lethal ? t('items.lethal') : t('items.nonLethal')}</Table.Td>
      {editable ? (
        <Table.Td>
          <Group gap={4} wrap="nowrap">
            <Button
              size="compact-xs"
              variant="subtle"
              disabled={position === 1}
              onClick={onMoveUp}
              aria-label={t('order.moveUpLabel', { item: item.category })}
              data-testid={`move-up-${item.id}`}
            >
              {t('order.moveUp')}
            </Button>
            <Button
              size="compact-xs"
              variant="subtle"
              disabled={position === count}
              onClick={onMoveDown}
              aria-label={t('order.moveDownLabel', { item: item.category })}
              data-testid={`move-down-${item.id}`}
            >
              {t('order.moveDown')}
            </Button>
            <Button
              size="compact-xs"
              variant="light"
              onClick={onEdit}
              aria-label={t('items.editLabel', { item: item.category })}
              data-testid={`edit-item-${item.id}`}
            >
              {t('items.edit')}
            </Button>
            <ConfirmButton
              label={t('items.delete')}
              ariaLabel={t('items.deleteLabel', { item: item.category })}
              title={t('items.deleteTitle')}
              message={t('items.deleteMessage', { item: item.category })}
              confirmLabel={t('items.delete')}
              testId={`delete-item-${item.id}`}
              buttonProps={{ size: 'compact-xs', variant: 'light', color: 'red' }}
              onConfirm={async () => {
                await remove.mutateAsync(item);
                notify.success(t('items.deleted', { item: item.category }));
              }}
            />
          </Group>
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
}
