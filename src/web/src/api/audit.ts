/**
 * Hooks of the audit log: a page of events (filters and cursor as the URL holds them), one
 * event whole (when a list row's payload was too long to come with it), and the verification
 * of the chain and the ledger (run on demand: it walks the whole chain).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { components } from './schema';

export type AuditEvent = components['schemas']['AuditEvent'];
export type RecordsVerification = components['schemas']['RecordsVerification'];

export const AUDIT_FILTERS = ['action', 'entityType', 'entityId', 'actor', 'from', 'to'] as const;
export type AuditFilter = (typeof AUDIT_FILTERS)[number];

export const AUDIT_PAGE_SIZE = 50;

export function useAuditEvents(filters: Record<AuditFilter, string>, cursor: string | undefined) {
  const query = Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== ''),
  ) as Partial<Record<AuditFilter, string>>;
  return useQuery({
    queryKey: ['audit', 'events', query, cursor ?? null],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/audit/events', {
          params: {
            query: { ...query, limit: AUDIT_PAGE_SIZE, ...(cursor ? { cursor } : {}) },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useAuditEvent(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['audit', 'event', id],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/audit/events/{id}', { params: { path: { id } }, signal })),
    enabled,
    staleTime: Infinity,
  });
}

export function useRecordsVerification() {
  return useQuery({
    queryKey: ['audit', 'verification'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/audit/verification', { signal })),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
