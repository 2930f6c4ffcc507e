/**
 * Hooks of the `packages` resource: the list (filtered, cursor-paged), one package with its
 * lines and allocations, and every command on it (compose, open, allocate, authorise, disburse,
 * cancel, close). Also the few reads the package page needs from other resources: the
 * contributions an allocation may come from, the approved requirement items not yet packaged,
 * and the ECB rate an allocation in another currency would be converted at.
 *
 * Writes to a package send `If-Match` with the version shown, so a stale page gets
 * PRECONDITION_FAILED; creating calls send an `Idempotency-Key`.
 */
import { keepPreviousData, useQuery, type QueryClient } from '@tanstack/react-query';
import { allPages, api, unwrap } from './client';
import { idempotencyKey, ifMatch, useCommand } from './commands';
import type { components, operations } from './schema';

export type PackageSummary = components['schemas']['PackageSummary'];
export type PackageDetail = components['schemas']['PackageDetail'];
export type PackageLine = components['schemas']['PackageLine'];
export type Allocation = components['schemas']['Allocation'];
export type PackageStatus = PackageSummary['status'];
export type Contribution = components['schemas']['Contribution'];
export type RequirementItem = components['schemas']['RequirementItem'];
export type RequirementList = components['schemas']['RequirementList'];
export type FxRate = components['schemas']['FxRate'];

export type PackageListQuery = NonNullable<operations['listPackages']['parameters']['query']>;

export const PACKAGE_STATUSES = [
  'draft',
  'open',
  'funded',
  'authorized',
  'in_delivery',
  'delivered',
  'closed',
  'cancelled',
] as const satisfies readonly PackageStatus[];

export function usePackages(query: PackageListQuery) {
  return useQuery({
    queryKey: ['packages', 'list', query],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/packages', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function usePackage(id: string | undefined) {
  return useQuery({
    queryKey: ['packages', 'detail', id],
    enabled: id !== undefined,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/packages/{id}', { params: { path: { id: id! } }, signal })),
  });
}

/** Contributions shown per page of the allocation panel. */
export const ALLOCATABLE_PAGE_SIZE = 50;

/**
 * One page of the contributions an allocation to `packageId` may draw on, newest first: the
 * server keeps those with money not yet allocated (`available=true`) whose earmarks let them
 * fund the package (`eligibleFor`, the rule the allocation itself enforces).
 */
export function useAllocatableContributions(packageId: string, cursor: string | undefined) {
  return useQuery({
    queryKey: ['contributions', 'allocatable', packageId, cursor ?? null],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/contributions', {
          params: {
            query: {
              available: 'true',
              eligibleFor: packageId,
              limit: ALLOCATABLE_PAGE_SIZE,
              ...(cursor ? { cursor } : {}),
            },
          },
          signal,
        }),
      ),
    // The page shown stays while the next one loads — never another package's candidates.
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[2] === packageId ? previous : undefined,
  });
}

export interface ApprovedItem {
  item: RequirementItem;
  list: Pick<RequirementList, 'id' | 'cycle' | 'title'>;
  /** Already in packages that are not cancelled. */
  packagedQuantity: number;
  /** Approved quantity not yet in a package that is not cancelled. */
  remainingQuantity: number;
}

/**
 * The items of approved requirement lists with part of their approved quantity not yet in a
 * package (cancelled packages do not count), by cycle and priority: the server's composer list
 * (`GET /requirement-lists/approved-items`), every page of it.
 */
export function useApprovedItems(enabled: boolean) {
  return useQuery({
    queryKey: ['packages', 'approved-items'],
    enabled,
    queryFn: async ({ signal }): Promise<ApprovedItem[]> => {
      const items = await allPages((cursor) =>
        unwrap(
          api.GET('/api/v1/requirement-lists/approved-items', {
            params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        ),
      );
      return items.map(({ cycle, listTitle, packagedQuantity, remainingQuantity, ...item }) => ({
        item,
        list: { id: item.listId, cycle, title: listTitle },
        packagedQuantity,
        remainingQuantity,
      }));
    },
  });
}

/**
 * The ECB rate `from` → `to` a conversion on `date` would use. Asked for the same currency too:
 * the server values every allocation on a day with ECB rates, so the answer says whether the
 * day has one (and, when not, the latest earlier day that has: `details.latestRateDate`).
 */
export function useFxRate(from: string | undefined, to: string, date: string | undefined) {
  const valid = date !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(date);
  return useQuery({
    queryKey: ['fx', 'rate', from, to, date],
    enabled: from !== undefined && valid,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/fx/rate', {
          params: { query: { from: from!, to, date: date! } },
          signal,
        }),
      ),
    staleTime: 10 * 60_000,
    retry: false,
  });
}

/** Refreshes what a change of a package may change: it, the lists, contributions, analyses. */
function refreshPackage(client: QueryClient, detail?: PackageDetail) {
  if (detail) client.setQueryData(['packages', 'detail', detail.id], detail);
  return Promise.all([
    client.invalidateQueries({ queryKey: ['packages'] }),
    client.invalidateQueries({ queryKey: ['contributions'] }),
    client.invalidateQueries({ queryKey: ['analytics'] }),
  ]);
}

const AFTER_PACKAGE = { onSuccess: refreshPackage };

export interface CreatePackageInput {
  cycle: string;
  title: string;
  targetMinor: string;
}

export function useCreatePackage() {
  return useCommand(
    (body: CreatePackageInput) => api.POST('/api/v1/packages', { body, headers: idempotencyKey() }),
    AFTER_PACKAGE,
  );
}

type PackageRef = Pick<PackageDetail, 'id' | 'version'>;

/** The path and `If-Match` of a command on `pkg`. */
function onPackage(pkg: PackageRef) {
  return { params: { path: { id: pkg.id } }, headers: ifMatch(pkg.version) };
}

export function useAddPackageLine() {
  return useCommand(
    ({
      pkg,
      body,
    }: {
      pkg: PackageRef;
      body: { requirementItemId: string; quantity: number; unitPriceMinor?: string };
    }) => api.POST('/api/v1/packages/{id}/lines', { ...onPackage(pkg), body }),
    AFTER_PACKAGE,
  );
}

export function useRemovePackageLine() {
  return useCommand(
    ({ pkg, lineId }: { pkg: PackageRef; lineId: string }) =>
      api.DELETE('/api/v1/packages/{id}/lines/{lineId}', {
        params: { path: { id: pkg.id, lineId } },
        headers: ifMatch(pkg.version),
      }),
    AFTER_PACKAGE,
  );
}

export function useOpenPackage() {
  return useCommand(
    ({ pkg }: { pkg: PackageRef }) =>
      api.POST('/api/v1/packages/{id}/open', { ...onPackage(pkg), body: {} }),
    AFTER_PACKAGE,
  );
}

export function useAllocate() {
  return useCommand(
    ({
      pkg,
      body,
    }: {
      pkg: PackageRef;
      body: { contributionId: string; amountMinor: string; valueDate: string };
    }) => api.POST('/api/v1/packages/{id}/allocations', { ...onPackage(pkg), body }),
    AFTER_PACKAGE,
  );
}

export function useAuthorizePackage() {
  return useCommand(
    ({
      pkg,
      body,
    }: {
      pkg: PackageRef;
      body: { reference: string; authorizedOn: string; finalPriceMinor?: string };
    }) => api.POST('/api/v1/packages/{id}/authorize', { ...onPackage(pkg), body }),
    AFTER_PACKAGE,
  );
}

export function useDisburse() {
  return useCommand(
    ({ pkg, body }: { pkg: PackageRef; body: { amountMinor: string; paidOn: string } }) =>
      api.POST('/api/v1/packages/{id}/disbursements', { ...onPackage(pkg), body }),
    AFTER_PACKAGE,
  );
}

export function useCancelPackage() {
  return useCommand(
    ({ pkg, reason }: { pkg: PackageRef; reason: string }) =>
      api.POST('/api/v1/packages/{id}/cancel', { ...onPackage(pkg), body: { reason } }),
    AFTER_PACKAGE,
  );
}

export function useClosePackage() {
  return useCommand(
    ({ pkg }: { pkg: PackageRef }) =>
      api.POST('/api/v1/packages/{id}/close', { ...onPackage(pkg), body: {} }),
    AFTER_PACKAGE,
  );
}

/** The contributions behind a package's allocations (donor, title), by id. */
export function useContributionsOf(ids: readonly string[]) {
  const unique = [...new Set(ids)].sort();
  return useQuery({
    queryKey: ['contributions', 'of', unique],
    enabled: unique.length > 0,
    queryFn: async ({ signal }) => {
      const found = await Promise.all(
        unique.map((id) =>
          unwrap(api.GET('/api/v1/contributions/{id}', { params: { path: { id } }, signal })),
        ),
      );
      return new Map(found.map((c) => [c.id, c]));
    },
  });
}
