/**
 * The audit log for its readers: `/api/v1/audit`.
 *
 * - `GET /audit/events` — the events, newest first, filtered by action, entity type and id,
 *   actor (an actor id such as `user:12`, with that user's tokens, or a user's email) and day
 *   (`from`/`to`, UTC, inclusive); each with its actor, payload (before/after; left out of the
 *   list when longer than 20,000 characters of JSON — `payloadTruncated`), hash and previous hash.
 * - `GET /audit/events/:id` — one event with its whole payload.
 * - `GET /audit/verification` — recomputes the hash chain (and, for those who may, the ledger):
 *   ok or broken, events checked, the head, the first problems.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getAuditEvent, listAuditEvents } from '../../services/audit-service.js';
import { verifyRecords } from '../../services/verification-service.js';
import type { AppDependencies } from '../app.js';
import { PageQuery, actorOf, pageOf } from '../request-context.js';
import { bigintString, isoDate } from '../schemas.js';

const tags = ['audit'];

const AuditActor = z
  .object({
    id: z
      .string()
      .describe('As recorded: `user:12`, `user:12/token:3`, `system:cli:user`, `anonymous:<ip>`.'),
    role: z.string().describe('The role it acted as, recorded with the event.'),
    userId: bigintString.nullable().describe('The signed-in user behind the actor, if any.'),
    email: z.string().nullable().describe('That user’s email now.'),
    displayName: z.string().nullable(),
    partyId: z
      .string()
      .nullable()
      .describe('That user’s party now (a contributor’s); events record the role, not the party.'),
  })
  .meta({ id: 'AuditActor' });

const AuditEvent = z
  .object({
    id: bigintString.describe('Gapless, in chain order.'),
    at: z.date(),
    actor: AuditActor,
    action: z.string(),
    entity: z.string().describe('The entity type: `user`, `package`, `contribution`…'),
    entityId: z.string().nullable(),
    summary: z.string().describe('One line of the payload’s JSON (after, else before), cut short.'),
    payloadTruncated: z
      .boolean()
      .describe('The payload is too long for a list: read `GET /audit/events/{id}`.'),
    before: z.unknown().describe('The record before the command (JSON), or null.'),
    after: z.unknown().describe('The record after the command (JSON), or null.'),
    prevHash: z.string(),
    hash: z.string().describe('SHA-256 of the previous hash and this event’s canonical JSON.'),
  })
  .meta({ id: 'AuditEvent' });

const AuditEventQuery = PageQuery.extend({
  action: z.string().max(100).optional().describe('e.g. `create`, `disable`, `login_failed`.'),
  entityType: z.string().max(100).optional().describe('e.g. `user`, `package`.'),
  entityId: z.string().max(100).optional(),
  actor: z
    .string()
    .max(254)
    .optional()
    .describe('An actor id (`user:12` includes its tokens) or a user’s email.'),
  from: isoDate.optional().describe('Events on or after this day (UTC).'),
  to: isoDate.optional().describe('Events on or before this day (UTC).'),
});

const AuditProblem = z.object({
  id: bigintString.describe('The event at fault.'),
  problem: z.enum(['edited', 'reordered', 'deleted']),
  message: z.string(),
});

const Verification = z
  .object({
    ok: z.boolean().describe('Every check passed.'),
    checkedAt: z.date(),
    audit: z.object({
      ok: z.boolean(),
      events: z.number().int().describe('Events checked.'),
      headId: bigintString.describe('The last event of the chain.'),
      headHash: z.string(),
      problemCount: z.number().int(),
      problems: z
        .array(AuditProblem)
        .describe('The first 20 problems in chain order: the first is the first broken event.'),
    }),
    ledger: z
      .object({
        ok: z.boolean(),
        ledgers: z.number().int().describe('Ledgers (currencies) checked.'),
        unbalancedLedgers: z.array(z.string()),
        mismatches: z.number().int().describe('Accounts whose balance differs from its transfers.'),
        inconsistencies: z.number().int(),
      })
      .nullable()
      .describe('Null when the caller may not verify the ledger.'),
  })
  .meta({ id: 'RecordsVerification' });

const IdParams = z.object({ id: bigintString });

export const auditRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { database }) => {
  app.get(
    '/audit/events',
    {
      config: { readCache: true },
      schema: {
        operationId: 'listAuditEvents',
        tags,
        summary: 'The audit log, newest first, filtered',
        querystring: AuditEventQuery,
        response: { 200: pageOf(AuditEvent).meta({ id: 'AuditEventPage' }) },
      },
    },
    async (request) => {
      const q = request.query;
      return listAuditEvents(database, actorOf(request), {
        limit: q.limit,
        cursor: q.cursor,
        action: q.action,
        entity: q.entityType,
        entityId: q.entityId,
        actor: q.actor,
        from: q.from,
        to: q.to,
      });
    },
  );

  app.get(
    '/audit/events/:id',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getAuditEvent',
        tags,
        summary: 'One audit event with its whole payload',
        params: IdParams,
        response: { 200: AuditEvent },
      },
    },
    async (request) => getAuditEvent(database, actorOf(request), request.params.id),
  );

  app.get(
    '/audit/verification',
    {
      schema: {
        operationId: 'verifyRecords',
        tags,
        summary: 'Verify the audit chain (and the ledger, for those who may) now',
        description:
          'Recomputes every event’s hash in chain order (edited, deleted or reordered events are ' +
          'named) and, when the caller may `ledger.verify`, every ledger balance from its ' +
          'transfers. Takes longer as the log grows.',
        response: { 200: Verification },
      },
    },
    async (request) => verifyRecords(database, actorOf(request)),
  );
};
