/**
 * Hooks of the `meetings` resource: the next meeting (the earliest held on or after today, else
 * the latest one held) for the dashboard; the list (filtered, cursor-paged); one meeting with
 * its announcements; the follow-up analysis of a meeting on an analysis basis; the briefing's
 * address; and the commands (record a meeting, add an announcement, link and unlink the
 * contribution an announcement became).
 *
 * Announcement writes change the meeting: they send `If-Match` with the meeting's version, so
 * a stale page gets PRECONDITION_FAILED; creating calls send an `Idempotency-Key`.
 */
import { keepPreviousData, useQuery, type QueryClient } from '@tanstack/react-query';
import { analysisSearchEntries, type AnalysisOptions } from './analysis-options';
import { api, unwrap } from './client';
import { idempotencyKey, ifMatch, useCommand } from './commands';
import { todayIso } from '../ui/days';
import type { components, operations } from './schema';

export type Meeting = components['schemas']['Meeting'];
export type MeetingDetail = components['schemas']['MeetingDetail'];
export type MeetingAnnouncement = components['schemas']['MeetingAnnouncement'];
export type MeetingKind = Meeting['kind'];
export type AnalyticsFollowUp = components['schemas']['AnalyticsFollowUp'];
export type MeetingListQuery = NonNullable<operations['listMeetings']['parameters']['query']>;
export type CreateMeetingBody = NonNullable<
  operations['createMeeting']['requestBody']
>['content']['application/json'];
export type CreateAnnouncementBody = NonNullable<
  operations['addMeetingAnnouncement']['requestBody']
>['content']['application/json'];

export const MEETING_KINDS = [
  'udcg',
  'ministerial',
  'other',
] as const satisfies readonly MeetingKind[];

export interface NextMeeting {
  meeting: Meeting | null;
  /** `upcoming`: held today or later; `latest`: none is planned, this is the last one held. */
  when: 'upcoming' | 'latest';
}

export function useNextMeeting() {
  return useQuery({
    queryKey: ['meetings', 'next', todayIso()],
    queryFn: async ({ signal }): Promise<NextMeeting> => {
      // Oldest first from today: the one item is the soonest upcoming meeting.
      const upcoming = await unwrap(
        api.GET('/api/v1/meetings', {
          params: { query: { from: todayIso(), order: 'asc', limit: 1 } },
          signal,
        }),
      );
      const soonest = upcoming.items[0];
      if (soonest) return { meeting: soonest, when: 'upcoming' };
      const latest = await unwrap(
        api.GET('/api/v1/meetings', { params: { query: { limit: 1 } }, signal }),
      );
      return { meeting: latest.items[0] ?? null, when: 'latest' };
    },
  });
}

export function useMeetings(query: MeetingListQuery) {
  return useQuery({
    queryKey: ['meetings', 'list', query],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/meetings', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useMeeting(id: string | undefined) {
  return useQuery({
    queryKey: ['meetings', 'detail', id],
    enabled: id !== undefined,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/meetings/{id}', { params: { path: { id: id! } }, signal })),
  });
}

/** The follow-up analysis of a meeting (announced → committed → paid → delivered). */
export function useMeetingFollowUp(id: string | undefined, options: AnalysisOptions) {
  return useQuery({
    queryKey: ['analytics', 'follow-up', id, options],
    enabled: id !== undefined,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/analytics/meetings/{id}/follow-up', {
          params: {
            path: { id: id! },
            query: Object.fromEntries(analysisSearchEntries(options)),
          },
          signal,
        }),
      ),
  });
}

/** The briefing PDF's address, in `lang`, on the analysis basis shown. */
export function briefingHref(id: string, lang: 'en' | 'fr', options: AnalysisOptions): string {
  const search = new URLSearchParams([['lang', lang], ...analysisSearchEntries(options)]);
  return `/api/v1/meetings/${encodeURIComponent(id)}/briefing?${search.toString()}`;
}

function invalidate(client: QueryClient) {
  void client.invalidateQueries({ queryKey: ['meetings'] });
  void client.invalidateQueries({ queryKey: ['analytics', 'follow-up'] });
}

export function useCreateMeeting() {
  return useCommand(
    ({ body, key }: { body: CreateMeetingBody; key: string }) =>
      api.POST('/api/v1/meetings', { body, headers: idempotencyKey(key) }),
    { onSuccess: invalidate },
  );
}

export function useAddAnnouncement() {
  return useCommand(
    ({
      meeting,
      body,
      key,
    }: {
      meeting: { id: string; version: number };
      body: CreateAnnouncementBody;
      key: string;
    }) =>
      api.POST('/api/v1/meetings/{id}/announcements', {
        params: { path: { id: meeting.id } },
        headers: { ...ifMatch(meeting.version), ...idempotencyKey(key) },
        body,
      }),
    { onSettled: invalidate },
  );
}

interface LinkVariables {
  meeting: { id: string; version: number };
  announcementId: string;
  contributionId: string;
}

function linkParams({ meeting, announcementId, contributionId }: LinkVariables) {
  return {
    params: { path: { id: meeting.id, announcementId, contributionId } },
    headers: ifMatch(meeting.version),
  };
}

export function useLinkContribution() {
  return useCommand(
    (variables: LinkVariables) =>
      api.PUT(
        '/api/v1/meetings/{id}/announcements/{announcementId}/contributions/{contributionId}',
        linkParams(variables),
      ),
    { onSettled: invalidate },
  );
}

export function useUnlinkContribution() {
  return useCommand(
    (variables: LinkVariables) =>
      api.DELETE(
        '/api/v1/meetings/{id}/announcements/{announcementId}/contributions/{contributionId}',
        linkParams(variables),
      ),
    { onSettled: invalidate },
  );
}

export function useAllParties(enabled = true) {
  return useQuery({
    queryKey: ['meetings', 'parties'],
    enabled,
    staleTime: 10 * 60_000,
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/api/v1/parties', { params: { query: { limit: 200 } }, signal })))
        .items,
  });
}

/** A party's contributions (to link one to its announcement). */
export function usePartyContributions(partyId: string | null) {
  return useQuery({
    queryKey: ['meetings', 'party-contributions', partyId],
    enabled: partyId !== null,
    queryFn: async ({ signal }) =>
      (
        await unwrap(
          api.GET('/api/v1/contributions', {
            params: { query: { donor: partyId!, limit: 200 } },
            signal,
          }),
        )
      ).items,
  });
}
