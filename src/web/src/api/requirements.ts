/**
 * Hooks of the `requirement-lists` resource: the lists (filtered, cursor-paged), one list with
 * its items and signatures, and every command on them — create a list, add / edit / remove an
 * item, set the priority order, set an approved quantity, and the transitions (submit,
 * validate, approve, close, withdraw).
 *
 * Writes to a versioned record send `If-Match: "<version>"` with the version the page shows
 * (the list's for list commands, the item's for item commands), so a stale edit is refused
 * (`PRECONDITION_FAILED`) instead of overwriting someone else's. Creating calls send an
 * `Idempotency-Key` per form submission. After every command the lists and the list are
 * fetched again (and the analyses, which read approved requirements); after a refusal for a
 * stale version too, so the page shows the latest one.
 */
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { idempotencyKey, ifMatch, useCommand } from './commands';
import { isApiError } from './errors';
import type { components } from './schema';

export type RequirementList = components['schemas']['RequirementList'];
export type RequirementListSummary = components['schemas']['RequirementListSummary'];
export type RequirementItem = components['schemas']['RequirementItem'];
export type RequirementListStatus = RequirementList['status'];
export type ApprovalRole = RequirementList['approvals'][number]['role'];

export const REQUIREMENT_LIST_STATUSES = [
  'draft',
  'submitted',
  'validated',
  'approved',
  'closed',
  'withdrawn',
] as const satisfies readonly RequirementListStatus[];

/** The roles whose signatures together approve a list, in the order the panel lists them. */
export const APPROVAL_ROLES = [
  'recipient',
  'coordinator',
  'supplier',
] as const satisfies readonly ApprovalRole[];

export interface RequirementListsQuery {
  status?: RequirementListStatus | undefined;
  cycle?: string | undefined;
  cursor?: string | undefined;
}

const ROOT = ['requirements'] as const;
const listKey = (id: string) => [...ROOT, 'list', id] as const;

/** `If-Match` for the version the page shows. */
export function useRequirementLists(query: RequirementListsQuery) {
  return useQuery({
    queryKey: [...ROOT, 'lists', query],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/requirement-lists', {
          params: {
            query: {
              ...(query.status ? { status: query.status } : {}),
              ...(query.cycle ? { cycle: query.cycle } : {}),
              ...(query.cursor ? { cursor: query.cursor } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: (previous) => previous,
  });
}

export function useRequirementList(id: string | undefined) {
  return useQuery({
    queryKey: listKey(id ?? ''),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/requirement-lists/{id}', { params: { path: { id: id! } }, signal })),
    enabled: id !== undefined,
  });
}

/** Signatures of validated lists (the summaries do not carry them): one read per such list. */
export function requirementListQuery(id: string) {
  return {
    queryKey: listKey(id),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      unwrap(api.GET('/api/v1/requirement-lists/{id}', { params: { path: { id } }, signal })),
  };
}

async function refresh(client: QueryClient, listId?: string): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: [...ROOT, 'lists'] }),
    ...(listId ? [client.invalidateQueries({ queryKey: listKey(listId) })] : []),
    client.invalidateQueries({ queryKey: ['analytics'] }),
  ]);
}

/** After a refusal for a stale version, the page fetches the latest one. */
function refreshIfStale(listId: string) {
  return (client: QueryClient, error: Error) => {
    if (isApiError(error) && error.code === 'PRECONDITION_FAILED') void refresh(client, listId);
  };
}

/** After a command on an item of list `listId`: the list refreshed, also when refused as stale. */
function afterItemCommand(listId: string) {
  return {
    onSuccess: (client: QueryClient) => refresh(client, listId),
    onError: refreshIfStale(listId),
  };
}

/** After a command answered with the list itself: shown at once, then refreshed. */
function afterListCommand(listId: string) {
  return {
    onSuccess: async (client: QueryClient, updated: RequirementList) => {
      client.setQueryData(listKey(listId), updated);
      await refresh(client, listId);
    },
    onError: refreshIfStale(listId),
  };
}

export interface NewRequirementList {
  cycle: string;
  title: string;
  sourceNote?: string | null;
  idempotencyKey: string;
}

export function useCreateRequirementList() {
  return useCommand(
    ({ idempotencyKey: key, ...body }: NewRequirementList) =>
      api.POST('/api/v1/requirement-lists', { body, headers: idempotencyKey(key) }),
    {
      onSuccess: async (client, list) => {
        client.setQueryData(listKey(list.id), list);
        await refresh(client);
      },
    },
  );
}

export interface RequirementItemFields {
  capabilityArea: string;
  category: string;
  lethal: boolean;
  requestedQuantity: number;
  unit: string;
  estimatedUnitCostMinor: string;
  description: string | null;
  justification: string | null;
  /** Packages take the item in multiples of this, the last part excepted (1: any quantity). */
  quantityStep: number;
  /** Packages take only the whole remaining quantity. */
  wholeOnly: boolean;
}

function itemBody(fields: RequirementItemFields) {
  const { estimatedUnitCostMinor, ...rest } = fields;
  return {
    ...rest,
    estimatedUnitCost: { amountMinor: estimatedUnitCostMinor, currency: 'USD' as const },
  };
}

export function useAddRequirementItem(list: Pick<RequirementList, 'id' | 'version'>) {
  return useCommand(
    ({ idempotencyKey: key, ...fields }: RequirementItemFields & { idempotencyKey: string }) =>
      api.POST('/api/v1/requirement-lists/{id}/items', {
        params: { path: { id: list.id } },
        body: itemBody(fields),
        headers: { ...ifMatch(list.version), ...idempotencyKey(key) },
      }),
    afterItemCommand(list.id),
  );
}

export function useUpdateRequirementItem(listId: string) {
  return useCommand(
    ({ item, fields }: { item: RequirementItem; fields: RequirementItemFields }) =>
      api.PATCH('/api/v1/requirement-lists/{id}/items/{itemId}', {
        params: { path: { id: listId, itemId: item.id } },
        body: itemBody(fields),
        headers: ifMatch(item.version),
      }),
    afterItemCommand(listId),
  );
}

export function useRemoveRequirementItem(listId: string) {
  return useCommand(
    (item: RequirementItem) =>
      api.DELETE('/api/v1/requirement-lists/{id}/items/{itemId}', {
        params: { path: { id: listId, itemId: item.id } },
        headers: ifMatch(item.version),
      }),
    afterItemCommand(listId),
  );
}

export function useReorderRequirementItems(list: Pick<RequirementList, 'id' | 'version'>) {
  return useCommand(
    (itemIds: string[]) =>
      api.PUT('/api/v1/requirement-lists/{id}/priorities', {
        params: { path: { id: list.id } },
        body: { itemIds },
        headers: ifMatch(list.version),
      }),
    afterListCommand(list.id),
  );
}

export function useSetApprovedQuantity(listId: string) {
  return useCommand(
    ({ item, approvedQuantity }: { item: RequirementItem; approvedQuantity: number }) =>
      api.PATCH('/api/v1/requirement-lists/{id}/items/{itemId}/approved-quantity', {
        params: { path: { id: listId, itemId: item.id } },
        body: { approvedQuantity },
        headers: ifMatch(item.version),
      }),
    afterItemCommand(listId),
  );
}

export type RequirementListTransition = 'submit' | 'validate' | 'approve' | 'close' | 'withdraw';

export function useRequirementListTransition(list: Pick<RequirementList, 'id' | 'version'>) {
  return useCommand((action: RequirementListTransition) => {
    const options = { params: { path: { id: list.id } }, headers: ifMatch(list.version) };
    switch (action) {
      case 'submit':
        return api.POST('/api/v1/requirement-lists/{id}/submit', options);
      case 'validate':
        return api.POST('/api/v1/requirement-lists/{id}/validate', options);
      case 'approve':
        return api.POST('/api/v1/requirement-lists/{id}/approve', options);
      case 'close':
        return api.POST('/api/v1/requirement-lists/{id}/close', options);
      case 'withdraw':
        return api.POST('/api/v1/requirement-lists/{id}/withdraw', options);
    }
  }, afterListCommand(list.id));
}
