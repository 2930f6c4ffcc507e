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
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from './client';
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

/** `If-Match` for a record at `version`. */
export function ifMatch(version: number) {
  return { 'If-Match': `"${version}"` };
}

/** A fresh `Idempotency-Key` (one per form submission). */
export function idempotencyKey() {
  return { 'Idempotency-Key': crypto.randomUUID() };
}

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

/** Every page of a cursor-paged list, up to `maxPages` pages of 200. */
async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  maxPages = 20,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await fetchPage(cursor);
    items.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return items;
}

/** Statuses of a contribution that may fund a package (a pledge may not). */
export const ALLOCATABLE_CONTRIBUTION_STATUSES = ['committed', 'partially_paid', 'paid'] as const;

/** The committed contributions with something left to allocate. */
export function useAllocatableContributions(enabled: boolean) {
  return useQuery({
    queryKey: ['contributions', 'allocatable'],
    enabled,
    queryFn: async ({ signal }) => {
      const lists = await Promise.all(
        ALLOCATABLE_CONTRIBUTION_STATUSES.map((status) =>
          allPages((cursor) =>
            unwrap(
              api.GET('/api/v1/contributions', {
                params: { query: { status, limit: 200, ...(cursor ? { cursor } : {}) } },
                signal,
              }),
            ),
          ),
        ),
      );
      return lists.flat().filter((c) => BigInt(c.availableMinor) > 0n);
    },
  });
}

export interface ApprovedItem {
  item: RequirementItem;
  list: Pick<RequirementList, 'id' | 'cycle' | 'title'>;
  /** Approved quantity not yet in a package that is not cancelled. */
  remainingQuantity: number;
}

/**
 * The items of approved requirement lists with part of their approved quantity not yet in a
 * package (cancelled packages do not count): the lists' details, less the lines of every
 * package that is not cancelled.
 */
export function useApprovedItems(enabled: boolean) {
  return useQuery({
    queryKey: ['packages', 'approved-items'],
    enabled,
    queryFn: async ({ signal }): Promise<ApprovedItem[]> => {
      const [lists, packages] = await Promise.all([
        allPages((cursor) =>
          unwrap(
            api.GET('/api/v1/requirement-lists', {
              params: {
                query: { status: 'approved', limit: 200, ...(cursor ? { cursor } : {}) },
              },
              signal,
            }),
          ),
        ),
        allPages((cursor) =>
          unwrap(
            api.GET('/api/v1/packages', {
              params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } },
              signal,
            }),
          ),
        ),
      ]);
      const [details, packageDetails] = await Promise.all([
        Promise.all(
          lists.map((list) =>
            unwrap(
              api.GET('/api/v1/requirement-lists/{id}', {
                params: { path: { id: list.id } },
                signal,
              }),
            ),
          ),
        ),
        Promise.all(
          packages
            .filter((p) => p.status !== 'cancelled')
            .map((p) =>
              unwrap(api.GET('/api/v1/packages/{id}', { params: { path: { id: p.id } }, signal })),
            ),
        ),
      ]);
      const packaged = new Map<string, number>();
      for (const detail of packageDetails) {
        for (const line of detail.lines) {
          packaged.set(
            line.requirementItemId,
            (packaged.get(line.requirementItemId) ?? 0) + line.quantity,
          );
        }
      }
      return details.flatMap((list) =>
        list.items.flatMap((item) => {
          const remaining = (item.approvedQuantity ?? 0) - (packaged.get(item.id) ?? 0);
          return remaining > 0
            ? [
                {
                  item,
                  list: { id: list.id, cycle: list.cycle, title: list.title },
                  remainingQuantity: remaining,
                },
              ]
            : [];
        }),
      );
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

/** Invalidates what a change of a package may change: it, the lists, contributions, analyses. */
function useInvalidatePackage() {
  const client = useQueryClient();
  return (detail?: PackageDetail) => {
    if (detail) client.setQueryData(['packages', 'detail', detail.id], detail);
    return Promise.all([
      client.invalidateQueries({ queryKey: ['packages'] }),
      client.invalidateQueries({ queryKey: ['contributions'] }),
      client.invalidateQueries({ queryKey: ['analytics'] }),
    ]);
  };
}

export interface CreatePackageInput {
  cycle: string;
  title: string;
  targetMinor: string;
}

export function useCreatePackage() {
  const invalidate = useInvalidatePackage();
  return useMutation({
    mutationFn: (body: CreatePackageInput) =>
      unwrap(api.POST('/api/v1/packages', { body, headers: idempotencyKey() })),
    onSuccess: (detail) => invalidate(detail),
  });
}

type PackageRef = Pick<PackageDetail, 'id' | 'version'>;

export function useAddPackageLine() {
  const invalidate = useInvalidatePackage();
  return useMutation({
    mutationFn: ({
      pkg,
      body,
    }: {
      pkg: PackageRef;
      body: { requirementItemId: string; quantity: number; unitPriceMinor?: string };
    }) =>
      unwrap(
        api.POST('/api/v1/packages/{id}/lines', {
          params: { path: { id: pkg.id } },
          body,
          headers: ifMatch(pkg.version),
        }),
      ),
    onSuccess: (detail) => invalidate(detail),
  });
}

export function useRemovePackageLine() {
  const invalidate = useInvalidatePackage();
  return useMutation({
    mutationFn: ({ pkg, lineId }: { pkg: PackageRef; lineId: string }) =>
      unwrap(
        api.DELETE('/api/v1/packages/{id}/lines/{lineId}', {
          params: { path: { id: pkg.id, lineId } },
          headers: ifMatch(pkg.version),
        }),
      ),
    onSuccess: (detail) => invalidate(detail),
  });
}

export function useOpenPackage() {
  const invalidate = useInvalidatePackage();
  return useMutation({
    mutationFn: ({ pkg }: { pkg: PackageRef }) =>
      unwrap(
        api.POST('/api/v1/packages/{id}/open', {
          params: { path: { id: pkg.id } },
          body: {},
          headers: ifMatch(pkg.version),
        }),
      ),
    onSuccess: (detail) => invalidate(detail),
  });
}

export function useAllocate() {
  const invalidate = useInvalidatePackage();
  return useMutation({
    mutationFn: ({
      pkg,
      body,
    }: {
      pkg: PackageRef;
      body: { contributionId: string; amountMinor: string; valueDate: string };
    }) =>
      unwrap(
        api.POST('/api/v1/packages/{id}/allocations', {
          params: { path: { id: pkg.id } },
          body,
          headers: ifMatch(pkg.version),
        }),
      ),
    onSuccess: (detail) => invalidate(detail),
  });
}

export function useAuthorizePackage() {
  const invalidate = useInvalidatePackage();
  return useMutation({
    mutationFn: ({
      pkg,
      body,
    }: {
      pkg: PackageRef;
      body: { reference: string; authorizedOn: string; finalPriceMinor?: string };
    }) =>
      unwrap(
        api.POST('/api/v1/packages/{id}/authorize', {
          params: { path: { id: pkg.id } },
          body,
          headers: ifMatch(pkg.version),
        }),
      ),
    onSuccess: (detail) => invalidate(detail),
  });
}

export function useDisburse() {
  const invalidate = useInvalidatePackage();
  return useMutation({
    mutationFn: ({
      pkg,
      body,
    }: {
      pkg: PackageRef;
      body: { amountMinor: string; paidOn: string };
    }) =>
      unwrap(
        api.POST('/api/v1/packages/{id}/disbursements', {
          params: { path: { id: pkg.id } },
          body,
          headers: ifMatch(pkg.version),
        }),
      ),
    onSuccess: (detail) => invalidate(detail),
  });
}

export function useCancelPackage() {
  const invalidate = useInvalidatePackage();
  return useMutation({
    mutationFn: ({ pkg, reason }: { pkg: PackageRef; reason: string }) =>
      unwrap(
        api.POST('/api/v1/packages/{id}/cancel', {
          params: { path: { id: pkg.id } },
          body: { reason },
          headers: ifMatch(pkg.version),
        }),
      ),
    onSuccess: (detail) => invalidate(detail),
  });
}

export function useClosePackage() {
  const invalidate = useInvalidatePackage();
  return useMutation({
    mutationFn: ({ pkg }: { pkg: PackageRef }) =>
      unwrap(
        api.POST('/api/v1/packages/{id}/close', {
          params: { path: { id: pkg.id } },
          body: {},
          headers: ifMatch(pkg.version),
        }),
      ),
    onSuccess: (detail) => invalidate(detail),
  });
}

/** The parties that may fund packages (allies and partners), for the donor filter. */
export function useDonorParties() {
  return useQuery({
    queryKey: ['reference', 'parties', 'donors'],
    queryFn: async ({ signal }) => {
      const kinds = ['ally', 'partner'] as const;
      const pages = await Promise.all(
        kinds.map((kind) =>
          allPages((cursor) =>
            unwrap(
              api.GET('/api/v1/parties', {
                params: { query: { kind, limit: 200, ...(cursor ? { cursor } : {}) } },
                signal,
              }),
            ),
          ),
        ),
      );
      return pages.flat();
    },
    staleTime: 10 * 60_000,
  });
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
