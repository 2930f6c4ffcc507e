/**
 * Hooks of the reference data: capability areas (with their names in en, fr, uk), and the
 * parties that may fund packages.
 */
import { useQuery } from '@tanstack/react-query';
import { allPages, api, unwrap } from './client';

export function useCapabilityAreas() {
  return useQuery({
    queryKey: ['reference', 'capability-areas'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/capability-areas', { signal })),
    staleTime: 10 * 60_000,
  });
}

/** The parties that may fund packages (allies and partners), for the donor filter. */
export function useDonorParties(enabled = true) {
  return useQuery({
    queryKey: ['reference', 'parties', 'donors'],
    enabled,
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
