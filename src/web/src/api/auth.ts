/**
 * Hooks of the `auth` resource: who is signed in (`GET /auth/me`), how one may sign in
 * (`GET /auth/providers`), sign-in and sign-out. The role decides what the app shows; the
 * server decides what is allowed (every call is checked again there).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CSRF_COOKIE, api, readCookie, unwrap } from './client';
import { ApiError } from './errors';
import type { components } from './schema';

export type Me = components['schemas']['Me'];
export type Role = components['schemas']['User']['role'];
export type LoginBody = { email: string; password: string };

export const ME_QUERY_KEY = ['auth', 'me'] as const;

const NOT_SIGNED_IN = new ApiError({
  status: 401,
  code: 'UNAUTHENTICATED',
  message: 'Not signed in.',
});

/** Every role a person signs in with, in the order menus list them. */
export const ROLES = [
  'coordinator',
  'contributor',
  'recipient',
  'validator',
  'supplier',
  'auditor',
  'admin',
] as const satisfies readonly Role[];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The signed-in user; a 401 (`ApiError`) when nobody is. */
export function useMe() {
  return useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: ({ signal }) => {
      // The readable CSRF cookie lives exactly as long as the session cookie: without it there
      // is no session, and asking would only log a 401 in the console.
      if (!readCookie(CSRF_COOKIE)) throw NOT_SIGNED_IN;
      return unwrap(api.GET('/api/v1/auth/me', { signal }));
    },
    retry: false,
    staleTime: 60_000,
  });
}

export function useAuthProviders() {
  return useQuery({
    queryKey: ['auth', 'providers'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/auth/providers', { signal })),
    staleTime: Infinity,
  });
}

/** Signs in; on success every cached answer of a previous session is dropped. */
export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) => unwrap(api.POST('/api/v1/auth/login', { body })),
    onSuccess: () => queryClient.clear(),
  });
}

/** Signs out (ends the session server-side); the cache is cleared whatever the answer. */
export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/logout', {})),
    onSettled: () => queryClient.clear(),
  });
}
