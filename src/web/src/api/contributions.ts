/**
 * Hooks of the `contributions` resource: the list (filtered, cursor-paged), one contribution
 * with its payments, its flow ("where each euro went"), the donors one may pledge for, and every
 * command (pledge, commit, pay, reduce, cancel).
 *
 * Commands on a contribution send `If-Match` with the version shown, so a stale page gets
 * PRECONDITION_FAILED; a pledge sends an `Idempotency-Key`. After a write the contribution's
 * queries, the lists and the analyses are invalidated (every figure may have moved).
 */
import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { api, unwrap } from './client';
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

function ifMatch(version: number) {
  return { 'If-Match': `"${version}"` };
}

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

/** The parties that may contribute (allies and partners), for the donor fields. */
export function useDonorParties(enabled = true) {
  return useQuery({
    queryKey: ['contributions', 'donor-parties'],
    enabled,
    staleTime: 10 * 60_000,
    queryFn: async ({ signal }) => {
      const [allies, partners] = await Promise.all(
        (['ally', 'partner'] as const).map((kind) =>
          unwrap(api.GET('/api/v1/parties', { params: { query: { kind, limit: 200 } }, signal })),
        ),
      );
      return [...allies!.items, ...partners!.items];
    },
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
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: CreateContributionBody; key: string }) =>
      unwrap(api.POST('/api/v1/contributions', { body, headers: { 'Idempotency-Key': key } })),
    onSuccess: (created) => invalidate(client, created.id),
  });
}

interface Versioned {
  id: string;
  version: number;
}

export function useCommitContribution() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      contribution,
      amountMinor,
      committedOn,
    }: {
      contribution: Versioned;
      amountMinor: string;
      committedOn: string;
    }) =>
      unwrap(
        api.POST('/api/v1/contributions/{id}/commit', {
          params: { path: { id: contribution.id } },
          headers: ifMatch(contribution.version),
          body: { amountMinor, committedOn },
        }),
      ),
    onSettled: (_data, _error, { contribution }) => invalidate(client, contribution.id),
  });
}

export function useRecordPayment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
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
      unwrap(
        api.POST('/api/v1/contributions/{id}/payments', {
          params: { path: { id: contribution.id } },
          headers: ifMatch(contribution.version),
          body: { amountMinor, paidOn, reference },
        }),
      ),
    onSettled: (_data, _error, { contribution }) => invalidate(client, contribution.id),
  });
}

export function useReduceContribution() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      contribution,
      amountMinor,
      reason,
    }: {
      contribution: Versioned;
      amountMinor: string;
      reason: string;
    }) =>
      unwrap(
        api.POST('/api/v1/contributions/{id}/reduce', {
          params: { path: { id: contribution.id } },
          headers: ifMatch(contribution.version),
          body: { amountMinor, reason },
        }),
      ),
    onSettled: (_data, _error, { contribution }) => invalidate(client, contribution.id),
  });
}

export function useCancelContribution() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ contribution, reason }: { contribution: Versioned; reason: string }) =>
      unwrap(
        api.POST('/api/v1/contributions/{id}/cancel', {
          params: { path: { id: contribution.id } },
          headers: ifMatch(contribution.version),
          body: { reason },
        }),
      ),
    onSettled: (_data, _error, { contribution }) => invalidate(client, contribution.id),
  });
}

/** Packages a pledge may be earmarked for (the first 200, newest first). */
export function useEarmarkPackages(enabled: boolean) {
  return useQuery({
    queryKey: ['contributions', 'earmark-packages'],
    enabled,
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/api/v1/packages', { params: { query: { limit: 200 } }, signal })))
        .items,
  });
}
