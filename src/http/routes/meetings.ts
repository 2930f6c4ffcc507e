/**
 * Meetings: `/api/v1/meetings` — UDCG meetings and ministerials, their announcements, the
 * contributions each announcement became, and the follow-up (announced → committed → paid).
 * Money is minor units as decimal strings beside a currency code. Announcement writes change the
 * meeting: they bump its version (its ETag) and honour `If-Match` against it.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CONTRIBUTION_STATUSES } from '../../core/contributions.js';
import { FOLLOW_UP_STATUSES, MEETING_KINDS } from '../../core/meetings.js';
import {
  addAnnouncement,
  createMeeting,
  getMeeting,
  getMeetingFollowUp,
  linkAnnouncementToContribution,
  listMeetings,
  unlinkAnnouncementContribution,
  updateMeeting,
} from '../../services/meetings-service.js';
import type { AppDependencies } from '../app.js';
import { PageQuery, actorOf, ifMatchVersion, pageOf, withEtag } from '../request-context.js';
import { bigintString, isoDate, partyId, currencyCode as currency } from '../schemas.js';

const Meeting = z
  .object({
    id: bigintString,
    number: z.number().int().describe('The meeting’s number (the 31st UDCG meeting: 31).'),
    kind: z.enum(MEETING_KINDS),
    heldOn: isoDate,
    place: z.string(),
    chairs: z.array(z.string()).describe('Party ids of the chairs.'),
    participants: z.array(z.string()).describe('Party ids of the participants.'),
    title: z.string().nullable(),
    summary: z.string().nullable(),
    synthetic: z.boolean().describe('True for demonstration data that is not a public fact.'),
    sourceNote: z.string().nullable().describe('Where the record comes from.'),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Meeting' });

const announcementFields = {
  id: bigintString,
  meetingId: bigintString,
  partyId: z.string(),
  text: z.string().describe('What was announced, in the language it was reported in.'),
  amountMinor: bigintString.nullable().describe('Announced amount in minor units, if any.'),
  currency: z.string().nullable().describe('Currency of the announced amount.'),
  synthetic: z.boolean(),
  sourceNote: z.string().nullable(),
  createdAt: z.date(),
};

const Announcement = z
  .object({
    ...announcementFields,
    contributionIds: z.array(bigintString).describe('The contributions this announcement became.'),
  })
  .meta({ id: 'MeetingAnnouncement' });

const AnnouncementResult = Announcement.extend({
  meetingVersion: z.number().int().describe('The meeting’s version after this write (its ETag).'),
}).meta({ id: 'MeetingAnnouncementResult' });

const MeetingDetail = Meeting.extend({ announcements: z.array(Announcement) }).meta({
  id: 'MeetingDetail',
});

const CurrencyTotals = z
  .object({
    currency: z.string(),
    announcedMinor: bigintString,
    committedMinor: bigintString,
    paidMinor: bigintString,
  })
  .meta({
    id: 'MeetingCurrencyTotals',
    description:
      'Per currency, unconverted: announced amounts in the currency announced; committed and ' +
      'paid amounts in each linked contribution’s currency.',
  });

const FollowUp = z
  .object({
    meeting: Meeting,
    announcements: z.array(
      z.object({
        ...announcementFields,
        status: z.enum(FOLLOW_UP_STATUSES).describe('Where the announcement stands.'),
        contributions: z.array(
          z.object({
            id: bigintString,
            status: z.enum(CONTRIBUTION_STATUSES),
            currency: z.string(),
            pledgedMinor: bigintString,
            committedMinor: bigintString.describe('Counts as funding.'),
            paidMinor: bigintString,
          }),
        ),
        totals: z.array(CurrencyTotals),
      }),
    ),
    totals: z
      .array(CurrencyTotals)
      .describe('The whole meeting; a contribution linked twice counts once.'),
  })
  .meta({ id: 'MeetingFollowUp' });

const meetingBody = {
  number: z.number().int().min(1).max(100_000),
  kind: z.enum(MEETING_KINDS),
  heldOn: isoDate,
  place: z.string().min(1).max(200),
  chairs: z.array(partyId).min(1).max(10),
  participants: z.array(partyId).max(200).optional(),
  title: z.string().max(200).nullable().optional(),
  summary: z.string().max(5000).nullable().optional(),
  synthetic: z.boolean().optional(),
  sourceNote: z.string().max(1000).nullable().optional(),
};

const CreateMeeting = z.object(meetingBody);
const UpdateMeeting = z
  .object(meetingBody)
  .partial()
  .describe('The fields to change; the others stay.');

const CreateAnnouncement = z.object({
  partyId,
  text: z.string().min(1).max(2000),
  amountMinor: bigintString.nullable().optional().describe('With currency, or neither.'),
  currency: currency.nullable().optional(),
  synthetic: z.boolean().optional(),
  sourceNote: z.string().max(1000).nullable().optional(),
});

const IdParams = z.object({ id: bigintString });
const LinkParams = z.object({
  id: bigintString,
  announcementId: bigintString,
  contributionId: bigintString,
});
const tags = ['meetings'];

export const meetingRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { database }) => {
  app.get(
    '/meetings',
    {
      config: { readCache: true },
      schema: {
        operationId: 'listMeetings',
        tags,
        summary: 'Meetings by date (newest first, or oldest first), filtered by kind and date',
        querystring: PageQuery.extend({
          kind: z.enum(MEETING_KINDS).optional(),
          from: isoDate.optional().describe('Held on or after.'),
          to: isoDate.optional().describe('Held on or before.'),
          order: z
            .enum(['desc', 'asc'])
            .optional()
            .describe(
              '`desc` (default): newest first; `asc`: oldest first — with `from` (today) and ' +
                '`limit=1`, the next meeting. A cursor pages in the order it was issued with.',
            ),
        }),
        response: { 200: pageOf(Meeting) },
      },
    },
    async (request) => {
      const q = request.query;
      return listMeetings(database, actorOf(request), {
        limit: q.limit,
        cursor: q.cursor,
        kind: q.kind,
        from: q.from,
        to: q.to,
        order: q.order,
      });
    },
  );

  app.post(
    '/meetings',
    {
      config: { idempotent: true },
      schema: {
        operationId: 'createMeeting',
        tags,
        summary: 'Record a meeting (send Idempotency-Key to make a retry safe)',
        body: CreateMeeting,
        response: { 201: MeetingDetail },
      },
    },
    async (request, reply) => {
      const created = await createMeeting(database, actorOf(request), request.body);
      reply.code(201).header('location', `/api/v1/meetings/${created.id}`);
      return withEtag(reply, created);
    },
  );

  app.get(
    '/meetings/:id',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getMeeting',
        tags,
        summary: 'A meeting with its announcements and the contributions they became',
        params: IdParams,
        response: { 200: MeetingDetail },
      },
    },
    async (request, reply) =>
      withEtag(reply, await getMeeting(database, actorOf(request), request.params.id)),
  );

  app.patch(
    '/meetings/:id',
    {
      schema: {
        operationId: 'updateMeeting',
        tags,
        summary: 'Change a meeting’s fields; If-Match honoured',
        params: IdParams,
        body: UpdateMeeting,
        response: { 200: MeetingDetail },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await updateMeeting(database, actorOf(request), request.params.id, request.body, {
          expectedVersion: ifMatchVersion(request),
        }),
      ),
  );

  app.get(
    '/meetings/:id/follow-up',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getMeetingFollowUp',
        tags,
        summary: 'Each announcement beside what its contributions committed and paid',
        params: IdParams,
        response: { 200: FollowUp },
      },
    },
    async (request) => getMeetingFollowUp(database, actorOf(request), request.params.id),
  );

  app.post(
    '/meetings/:id/announcements',
    {
      config: { idempotent: true },
      schema: {
        operationId: 'addMeetingAnnouncement',
        tags,
        summary: 'Record what a party announced; If-Match (the meeting’s ETag) honoured',
        params: IdParams,
        body: CreateAnnouncement,
        response: { 201: AnnouncementResult },
      },
    },
    async (request, reply) => {
      const created = await addAnnouncement(
        database,
        actorOf(request),
        request.params.id,
        request.body,
        { expectedVersion: ifMatchVersion(request) },
      );
      reply.code(201);
      return created;
    },
  );

  app.put(
    '/meetings/:id/announcements/:announcementId/contributions/:contributionId',
    {
      schema: {
        operationId: 'linkMeetingAnnouncementContribution',
        tags,
        summary: 'Link an announcement to a contribution of the same party it became',
        params: LinkParams,
        response: { 200: AnnouncementResult },
      },
    },
    async (request) =>
      linkAnnouncementToContribution(
        database,
        actorOf(request),
        {
          meetingId: request.params.id,
          announcementId: request.params.announcementId,
          contributionId: request.params.contributionId,
        },
        { expectedVersion: ifMatchVersion(request) },
      ),
  );

  app.delete(
    '/meetings/:id/announcements/:announcementId/contributions/:contributionId',
    {
      schema: {
        operationId: 'unlinkMeetingAnnouncementContribution',
        tags,
        summary: 'Remove the link between an announcement and a contribution',
        params: LinkParams,
        response: { 200: AnnouncementResult },
      },
    },
    async (request) =>
      unlinkAnnouncementContribution(
        database,
        actorOf(request),
        {
          meetingId: request.params.id,
          announcementId: request.params.announcementId,
          contributionId: request.params.contributionId,
        },
        { expectedVersion: ifMatchVersion(request) },
      ),
  );
};
