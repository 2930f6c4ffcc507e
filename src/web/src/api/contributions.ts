/**
 * Hooks of the `contributions` resource: the list (filtered, cursor-paged), one contribution
 * with its payments, its flow ("where each euro went"), the donors one may pledge for, and every
 * command (pledge, commit, pay, reduce, cancel).
 *
 * Commands on a contribution send `If-Match` with the version shown, so a stale page gets
 * PRECONDITION_FAILED; a pledge sends an `Idempotency-Key`. After a write the contribution's
 * queries, the lists and the analyses are invalidated (every figure may have moved).
 */
import { keepPreviousData, useQuery, type QueryClient } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { idempotencyKey, ifMatch, useCommand } from './commands';
import type { components, operations } from './schema';

export type Contribution = components['schemas']['Contribution'];
export type ContributionDetail = components['schemas']['ContributionDetail'];
export type ContributionStatus = Contribution['status'];
export type ContributionFlow = components['schemas']['ContributionFlow'];
export type FlowOutcome = components['schemas']['ContributionFlowOutcome'];
export type Party = components['schemas']['Party'];
export type ContributionListQuery = NonNullable<
  operations['listContributions']['parameters']['query']
>;
export type CreateContributionBody = NonNullable<
  operations['createContribution']['requestBody']
>['content']['application/json'];

export const CONTRIBUTION_STATUSES = [
  'pledged',
  'committed',
  'partially_paid',
  'paid',
  'cancelled',
] as const satisfies readonly ContributionStatus[];

export function useContributions(query: ContributionListQuery) {
  return useQuery({
    queryKey: ['contributions', 'list', query],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/contributions', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useContribution(id: string | undefined) {
  return useQuery({
    queryKey: ['contributions', 'detail', id],
    enabled: id !== undefined,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/contributions/{id}', { params: { path: { id: id! } }, signal })),
  });
}

export function useContributionFlow(id: string | undefined) {
  return useQuery({
    queryKey: ['contributions', 'flow', id],
    enabled: id !== undefined,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/contributions/{id}/flow', { params: { path: { id: id! } }, signal })),
  });
}

/** After any write: the contribution, the lists, and every figure built on contributions. */
function invalidate(client: QueryClient, id?: string) {
  void client.invalidateQueries({ queryKey: ['contributions'] });
  void client.invalidateQueries({ queryKey: ['analytics'] });
  void client.invalidateQueries({ queryKey: ['meetings'] });
  if (id) void client.invalidateQueries({ queryKey: ['contributions', 'detail', id] });
}

export function useCreateContribution() {
  return useCommand(
    ({ body, key }: { body: CreateContributionBody; key: string }) =>
      api.POST('/api/v1/contributions', { body, headers: idempotencyKey(key) }),
    { onSuccess: (client, created) => invalidate(client, created.id) },
  );
}

interface Versioned {
  id: string;
  version: number;
}

/** The path and `If-Match` of a command on `contribution`. */
function onContribution(contribution: Versioned) {
  return { params: { path: { id: contribution.id } }, headers: ifMatch(contribution.version) };
}

/** Refreshed after the answer, accepted or refused (a stale version shows the current one). */
const AFTER_COMMAND = {
  onSettled: (client: QueryClient, { contribution }: { contribution: Versioned }) =>
    invalidate(client, contribution.id),
};

export function useCommitContribution() {
  return useCommand(
    ({
      contribution,
      amountMinor,
      committedOn,
    }: {
      contribution: Versioned;
      amountMinor: string;
      committedOn: string;
    }) =>
      api.POST('/api/v1/contributions/{id}/commit', {
        ...onContribution(contribution),
        body: { amountMinor, committedOn },
      }),
    AFTER_COMMAND,
  );
}

export function useRecordPayment() {
  return useCommand(
    ({
      contribution,
      amountMinor,
      paidOn,
      reference,
    }: {
      contribution: Versioned;
      amountMinor: string;
      paidOn: string;
      reference: string | null;
    }) =>
      api.POST('/api/v1/contributions/{id}/payments', {
        ...onContribution(contribution),
        body: { amountMinor, paidOn, reference },
      }),
    AFTER_COMMAND,
  );
}

export function useReduceContribution() {
  return useCommand(
    ({
      contribution,
      amountMinor,
      reason,
    }: {
      contribution: Versioned;
      amountMinor: string;
      reason: string;
    }) =>
      api.POST('/api/v1/contributions/{id}/reduce', {
        ...onContribution(contribution),
        body: { amountMinor, reason },
      }),
    AFTER_COMMAND,
  );
}

export function useCancelContribution() {
  return useCommand(
    ({ contribution, reason }: { contribution: Versioned; reason: string }) =>
      api.POST('/api/v1/contributions/{id}/cancel', {
        ...onContribution(contribution),
        body: { reason },
      }),
    AFTER_COMMAND,
  );
}

export function useEarmarkPackages(enabled: boolean) {
  return useQuery({
    queryKey: ['contributions', 'earmark-packages'],
    enabled,
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/api/v1/packages', { params: { query: { limit: 200 } }, signal })))
        .items,
  });
}
