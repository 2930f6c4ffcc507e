/**
 * TanStack Query's cache for the whole app. Answers stay fresh for 30 s (a figure a user just
 * saw is not fetched again while they move between pages), are refetched when the window
 * regains focus, and a refused request (4xx) is never retried: only a network failure or a
 * 5xx is retried, twice.
 */
import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './errors';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: true,
        retry: (failures, error) =>
          failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      },
      mutations: { retry: false },
    },
  });
}
