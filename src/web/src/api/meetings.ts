/**
 * Hooks of the `meetings` resource used so far: the next meeting (the earliest held on or after
 * today), else the latest one held.
 */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { components } from './schema';

export type Meeting = components['schemas']['Meeting'];

export interface NextMeeting {
  meeting: Meeting | null;
  /** `upcoming`: held today or later; `latest`: none is planned, this is the last one held. */
  when: 'upcoming' | 'latest';
}

/** Today as `YYYY-MM-DD` in UTC (the server's calendar). */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function useNextMeeting() {
  return useQuery({
    queryKey: ['meetings', 'next', todayIso()],
    queryFn: async ({ signal }): Promise<NextMeeting> => {
      // Newest first: the last item of the upcoming ones is the soonest.
      const upcoming = await unwrap(
        api.GET('/api/v1/meetings', {
          params: { query: { from: todayIso(), limit: 100 } },
          signal,
        }),
      );
      const soonest = upcoming.items.at(-1);
      if (soonest) return { meeting: soonest, when: 'upcoming' };
      const latest = await unwrap(
        api.GET('/api/v1/meetings', { params: { query: { limit: 1 } }, signal }),
      );
      return { meeting: latest.items[0] ?? null, when: 'latest' };
    },
  });
}
