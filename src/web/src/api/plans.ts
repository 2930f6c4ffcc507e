/**
 * Hooks of the allocation planner (`/plans`): making a plan — one scenario, or a base and a
 * what-if side by side — which writes nothing (a mutation only because it is asked for by a
 * button and its body is large), accepting the reviewed plan (its packages created, with an
 * `Idempotency-Key`; packages, contributions and analyses refreshed), and the donors whose
 * contributions still have money to allocate (the choices of "funds whole packages alone").
 */
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { allPages, api, unwrap } from './client';
import { idempotencyKey, useCommand } from './commands';
import type { components, operations } from './schema';

export type PlanResult = components['schemas']['PlanResult'];
export type ScenarioPlan = components['schemas']['ScenarioPlan'];
export type PlannedPackage = ScenarioPlan['packages'][number];
export type PlannedLine = PlannedPackage['lines'][number];
export type PlannedAllocation = PlannedPackage['allocations'][number];
export type ItemExplanation = ScenarioPlan['items'][number];
export type BindingConstraint = ScenarioPlan['binding'][number];
export type NextMoney = ScenarioPlan['nextMoney'][number];
export type FundUse = ScenarioPlan['funds'][number];
export type PlanComparison = NonNullable<PlanResult['comparison']>;
export type AcceptedPlan = components['schemas']['AcceptedPlan'];

export type PlanRequest = NonNullable<
  operations['makePlan']['requestBody']
>['content']['application/json'];
export type ScenarioInput = NonNullable<PlanRequest['scenarios']>[number];
export type HypotheticalPledge = NonNullable<ScenarioInput['hypotheticalPledges']>[number];
export type PriceChange = NonNullable<ScenarioInput['priceChanges']>[number];
export type AcceptRequest = NonNullable<
  operations['acceptPlan']['requestBody']
>['content']['application/json'];

/** Makes a plan (or a base and a what-if). Writes nothing, so nothing is refreshed after it. */
export function useMakePlan() {
  return useCommand((body: PlanRequest) => api.POST('/api/v1/plans', { body }));
}

/** What accepting may have changed: packages, contributions' available money, every analysis. */
function refreshAfterAccept(client: QueryClient) {
  return Promise.all([
    client.invalidateQueries({ queryKey: ['packages'] }),
    client.invalidateQueries({ queryKey: ['contributions'] }),
    client.invalidateQueries({ queryKey: ['analytics'] }),
    client.invalidateQueries({ queryKey: ['plans'] }),
  ]);
}

/** Accepts a plan: `key` is the Idempotency-Key of this one confirmation. */
export function useAcceptPlan() {
  return useCommand(
    ({ body, key }: { body: AcceptRequest; key: string }) =>
      api.POST('/api/v1/plans/accept', { body, headers: idempotencyKey(key) }),
    { onSuccess: refreshAfterAccept },
  );
}

/**
 * The donors of committed contributions with money not yet allocated (sorted, unique): those a
 * plan can draw on, so those that may ask to fund whole packages alone.
 */
export function usePlanDonors() {
  return useQuery({
    queryKey: ['plans', 'donors'],
    queryFn: async ({ signal }) => {
      const contributions = await allPages((cursor) =>
        unwrap(
          api.GET('/api/v1/contributions', {
            params: { query: { available: 'true', limit: 200, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        ),
      );
      return [...new Set(contributions.map((c) => c.donorPartyId))].sort();
    },
    staleTime: 60_000,
  });
}
