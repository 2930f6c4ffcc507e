/**
 * Hooks of administration and of one's own account: users (admins: list, create, edit,
 * disable), parties (admins edit names and currency), and the signed-in user's sessions and API
 * tokens. Writes to versioned records (users, parties) send `If-Match` with the version shown.
 */
import { keepPreviousData, useQuery, type QueryClient } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { ifMatch, useCommand } from './commands';
import type { components } from './schema';

export type User = components['schemas']['User'];
export type Party = components['schemas']['Party'];
export type Session = components['schemas']['Session'];
export type ApiToken = components['schemas']['ApiToken'];
export type UserRole = User['role'];

export const USER_FILTERS = ['role', 'partyId', 'status', 'search'] as const;
export type UserFilter = (typeof USER_FILTERS)[number];
export const USER_PAGE_SIZE = 50;

export interface CreateUserBody {
  email: string;
  displayName?: string;
  role: UserRole;
  partyId?: string | null;
  password: string;
}

export interface UpdateUserBody {
  displayName?: string;
  role?: UserRole;
  partyId?: string | null;
  disabled?: boolean;
}

export function useUsers(filters: Record<UserFilter, string>, cursor: string | undefined) {
  const query: {
    role?: UserRole;
    partyId?: string;
    status?: 'active' | 'disabled';
    search?: string;
  } = {};
  if (filters.role) query.role = filters.role as UserRole;
  if (filters.partyId) query.partyId = filters.partyId;
  if (filters.status === 'active' || filters.status === 'disabled') query.status = filters.status;
  if (filters.search) query.search = filters.search;
  return useQuery({
    queryKey: ['users', 'list', query, cursor ?? null],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/users', {
          params: { query: { ...query, limit: USER_PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Refreshes the queries under `queryKey` (awaited). */
function refreshing(queryKey: readonly string[]) {
  return (client: QueryClient) => client.invalidateQueries({ queryKey });
}

export function useCreateUser() {
  return useCommand((body: CreateUserBody) => api.POST('/api/v1/users', { body }), {
    onSuccess: refreshing(['users']),
  });
}

export function useUpdateUser() {
  return useCommand(
    ({ user, body }: { user: User; body: UpdateUserBody }) =>
      api.PATCH('/api/v1/users/{id}', {
        params: { path: { id: user.id } },
        headers: ifMatch(user.version),
        body,
      }),
    { onSettled: refreshing(['users']) },
  );
}

/** Every party (43 in the reference data: one page). */
export function useParties() {
  return useQuery({
    queryKey: ['reference', 'parties'],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/parties', { params: { query: { limit: 200 } }, signal })),
    staleTime: 10 * 60_000,
  });
}

export interface PartyUpdateBody {
  names?: { en?: string; fr?: string; uk?: string };
  currency?: string;
}

export function useUpdateParty() {
  return useCommand(
    ({ party, body }: { party: Party; body: PartyUpdateBody }) =>
      api.PATCH('/api/v1/parties/{id}', {
        params: { path: { id: party.id } },
        headers: ifMatch(party.version),
        body,
      }),
    { onSettled: refreshing(['reference', 'parties']) },
  );
}

export function useMySessions() {
  return useQuery({
    queryKey: ['account', 'sessions'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/auth/sessions', { signal })),
  });
}

export function useRevokeSession() {
  return useCommand(
    (id: string) => api.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id } } }),
    { onSettled: refreshing(['account', 'sessions']) },
  );
}

export function useMyTokens() {
  return useQuery({
    queryKey: ['account', 'tokens'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/auth/tokens', { signal })),
  });
}

export interface CreateTokenBody {
  name: string;
  expiresInDays: number;
  readOnly: boolean;
}

export function useCreateToken() {
  return useCommand((body: CreateTokenBody) => api.POST('/api/v1/auth/tokens', { body }), {
    onSuccess: refreshing(['account', 'tokens']),
  });
}

export function useRevokeToken() {
  return useCommand(
    (id: string) => api.DELETE('/api/v1/auth/tokens/{id}', { params: { path: { id } } }),
    { onSettled: refreshing(['account', 'tokens']) },
  );
}
