/** Hooks of the reference data: capability areas (with their names in en, fr, uk). */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';

export function useCapabilityAreas() {
  return useQuery({
    queryKey: ['reference', 'capability-areas'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/capability-areas', { signal })),
    staleTime: 10 * 60_000,
  });
}
