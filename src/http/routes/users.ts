/**
 * Users, administered by admins: `/api/v1/users` — the same service functions as `purl user`.
 *
 * - `GET /users` — a page of users in email order, filtered by role, party, status and a search
 *   text (part of the email or display name).
 * - `POST /users` — creates a user with an initial password (the password policy of
 *   `core/identity.ts`); a contributor needs its party, no other role has one.
 * - `GET /users/:id` — one user, its version as `ETag`.
 * - `PATCH /users/:id` — display name, role, party, disabled; `If-Match` honoured (users are
 *   versioned). Disabling signs the user out everywhere and revokes its API tokens. An admin may
 *   not disable or demote itself (403 naming the field).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DISPLAY_NAME_MAX_CHARS,
  EMAIL_MAX_CHARS,
  PASSWORD_MAX_CHARS,
  USER_ROLES,
} from '../../core/identity.js';
import { createUser, findUsers, getUser, updateUser } from '../../services/identity-service.js';
import type { AppDependencies } from '../app.js';
import { PageQuery, actorOf, ifMatchVersion, pageOf, withEtag } from '../request-context.js';
import { bigintString, partyId } from '../schemas.js';
import { User } from './auth.js';

const tags = ['users'];

const UserListQuery = PageQuery.extend({
  role: z.enum(USER_ROLES).optional(),
  partyId: partyId.optional(),
  status: z.enum(['active', 'disabled']).optional(),
  search: z.string().max(EMAIL_MAX_CHARS).optional().describe('Part of the email or name.'),
});

const CreateUser = z.object({
  email: z.string().min(1).max(EMAIL_MAX_CHARS),
  displayName: z
    .string()
    .max(DISPLAY_NAME_MAX_CHARS)
    .optional()
    .describe('Default: the part of the email before @.'),
  role: z.enum(USER_ROLES),
  partyId: partyId.nullable().optional().describe('A contributor’s party; required for one.'),
  password: z
    .string()
    .max(PASSWORD_MAX_CHARS * 4)
    .describe('The initial password: at least 12 characters, not the email, not a common one.'),
});

const UpdateUser = z
  .strictObject({
    displayName: z.string().max(DISPLAY_NAME_MAX_CHARS).optional(),
    role: z.enum(USER_ROLES).optional(),
    partyId: partyId
      .nullable()
      .optional()
      .describe('A contributor’s party. Left out: kept for a contributor, dropped otherwise.'),
    disabled: z
      .boolean()
      .optional()
      .describe('true signs the user out everywhere and revokes its API tokens.'),
  })
  .describe('The fields to change; the others stay.');

const IfMatchHeaders = z.looseObject({
  'if-match': z
    .string()
    .optional()
    .describe('The ETag of the version you read, e.g. `"3"`; a stale one answers 412.'),
});

const IdParams = z.object({ id: bigintString });

export const userRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { database }) => {
  app.get(
    '/users',
    {
      schema: {
        operationId: 'listUsers',
        tags,
        summary: 'Users in email order, filtered by role, party, status and a search text',
        querystring: UserListQuery,
        response: { 200: pageOf(User).meta({ id: 'UserPage' }) },
      },
    },
    async (request) => {
      const q = request.query;
      return findUsers(database, actorOf(request), {
        limit: q.limit,
        cursor: q.cursor,
        role: q.role,
        partyId: q.partyId,
        status: q.status,
        search: q.search,
      });
    },
  );

  app.post(
    '/users',
    {
      // The body carries a password: never stored for Idempotency-Key replay.
      config: { idempotent: false },
      schema: {
        operationId: 'createUser',
        tags,
        summary: 'Create a user with an initial password',
        body: CreateUser,
        response: { 201: User },
      },
    },
    async (request, reply) => {
      const created = await createUser(database, actorOf(request), request.body);
      reply.code(201).header('location', `/api/v1/users/${created.id}`);
      return withEtag(reply, created);
    },
  );

  app.get(
    '/users/:id',
    {
      schema: {
        operationId: 'getUser',
        tags,
        summary: 'One user',
        params: IdParams,
        response: { 200: User },
      },
    },
    async (request, reply) =>
      withEtag(reply, await getUser(database, actorOf(request), request.params.id)),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        operationId: 'updateUser',
        tags,
        summary: 'Change a user’s display name, role, party or disabled flag; If-Match honoured',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateUser,
        response: { 200: User },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await updateUser(database, actorOf(request), request.params.id, request.body, {
          expectedVersion: ifMatchVersion(request),
        }),
      ),
  );
};
