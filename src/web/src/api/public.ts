/** Hooks of the public figures (`GET /api/v1/public/summary`: no sign-in needed). */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { components } from './schema';

export type PublicSummary = components['schemas']['PublicSummary'];

export function usePublicSummary() {
  return useQuery({
    queryKey: ['public', 'summary'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/public/summary', { signal })),
  });
}
