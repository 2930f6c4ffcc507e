/**
 * Reference data: parties and capability areas.
 *
 * - `GET /api/v1/parties` — a page of parties in id order, filtered by `kind` and `natoMember`.
 * - `GET /api/v1/parties/:id` — one party, with its version as `ETag`.
 * - `PATCH /api/v1/parties/:id` — an admin edits names and currency; `If-Match` guards against
 *   overwriting a change made since the caller read it (412 `PRECONDITION_FAILED`).
 * - `GET /api/v1/capability-areas` — the ten capability areas, coalitions with lead nations.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CAPABILITY_AREA_CODES,
  PARTY_ID_PATTERN,
  PARTY_KINDS,
  PARTY_NAME_MAX_CHARS,
  type CapabilityArea as CapabilityAreaRecord,
  type Party as PartyRecord,
} from '../../core/reference.js';
import {
  getParty,
  listCapabilityAreas,
  listParties,
  updateParty,
} from '../../services/reference-service.js';
import type { AppDependencies } from '../app.js';
import { actorOf, ifMatchVersion, pageOf, PageQuery, withEtag } from '../request-context.js';

const TAGS = ['reference'];

export const LocalizedNames = z
  .object({
    en: z.string().describe('English.'),
    fr: z.string().describe('French.'),
    uk: z.string().describe('Ukrainian (Cyrillic).'),
  })
  .meta({ id: 'LocalizedNames', description: 'A name in English, French and Ukrainian.' });

export const Party = z
  .object({
    id: z
      .string()
      .describe(
        'ISO 3166 alpha-3 for a nation (`NLD`); `NATO-HQ`, `SHAPE`, `NSATU` for NATO bodies.',
      ),
    kind: z.enum(PARTY_KINDS),
    natoMember: z.boolean(),
    names: LocalizedNames,
    currency: z
      .string()
      .describe('ISO 4217: the currency its contributions are usually announced in.'),
    version: z.number().int().positive().describe('Increases with every change; the ETag.'),
  })
  .meta({
    id: 'Party',
    description: 'A nation, NATO body, the supplier (United States) or the recipient (Ukraine).',
  });

export const PartyPage = pageOf(Party).meta({ id: 'PartyPage' });

export const CapabilityArea = z
  .object({
    code: z.enum(CAPABILITY_AREA_CODES),
    coalition: z.boolean().describe('One of the eight UDCG capability coalitions.'),
    names: LocalizedNames,
    leadNations: z.array(z.string()).describe('Party ids of the lead nations, sorted.'),
  })
  .meta({ id: 'CapabilityArea' });

export const CapabilityAreaList = z
  .object({ items: z.array(CapabilityArea) })
  .meta({ id: 'CapabilityAreaList', description: 'Every capability area, in display order.' });

const name = z.string().min(1).max(PARTY_NAME_MAX_CHARS);

export const PartyUpdate = z
  .strictObject({
    names: z
      .strictObject({ en: name.optional(), fr: name.optional(), uk: name.optional() })
      .optional()
      .describe('The names to change; the others stay.'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional()
      .describe('ISO 4217 code of a current currency.'),
  })
  // No component id: a request schema with one is published as `PartyUpdateInput`, and the
  // document keeps no `…Input` twins (tests/http/app.test.ts).
  .meta({ description: 'The fields an admin may change; kind and NATO membership are fixed.' });

const PartyParams = z.object({
  id: z.string().regex(PARTY_ID_PATTERN).describe('The party id, e.g. `NLD` or `NSATU`.'),
});

const PartyListQuery = PageQuery.extend({
  kind: z.enum(PARTY_KINDS).optional(),
  natoMember: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .describe('`true`: NATO members only (the allies and the United States); `false`: others.'),
});

const IfMatchHeaders = z.looseObject({
  'if-match': z
    .string()
    .optional()
    .describe('The ETag of the version you read, e.g. `"3"`; a stale one answers 412.'),
});

function partyJson(party: PartyRecord) {
  return {
    id: party.id,
    kind: party.kind,
    natoMember: party.natoMember,
    names: party.names,
    currency: party.currency,
    version: party.version,
  };
}

function capabilityAreaJson(area: CapabilityAreaRecord) {
  return {
    code: area.code,
    coalition: area.coalition,
    names: area.names,
    leadNations: area.leadNations,
  };
}

export const referenceRoutes: FastifyPluginAsyncZod<AppDependencies> = async (
  app,
  { database },
) => {
  app.get(
    '/parties',
    {
      config: { readCache: true },
      schema: {
        operationId: 'listParties',
        tags: TAGS,
        summary: 'List parties',
        querystring: PartyListQuery,
        response: { 200: PartyPage },
      },
    },
    async (request) => {
      const page = await listParties(database, actorOf(request), request.query);
      return { items: page.items.map(partyJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/parties/:id',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getParty',
        tags: TAGS,
        summary: 'Get a party',
        params: PartyParams,
        response: { 200: Party },
      },
    },
    async (request, reply) =>
      withEtag(reply, partyJson(await getParty(database, actorOf(request), request.params.id))),
  );

  app.patch(
    '/parties/:id',
    {
      schema: {
        operationId: 'updateParty',
        tags: TAGS,
        summary: 'Edit a party’s names or currency (admin)',
        params: PartyParams,
        headers: IfMatchHeaders,
        body: PartyUpdate,
        response: { 200: Party },
      },
    },
    async (request, reply) => {
      const party = await updateParty(database, actorOf(request), request.params.id, request.body, {
        expectedVersion: ifMatchVersion(request),
      });
      return withEtag(reply, partyJson(party));
    },
  );

  app.get(
    '/capability-areas',
    {
      config: { readCache: true },
      schema: {
        operationId: 'listCapabilityAreas',
        tags: TAGS,
        summary: 'List capability areas with their lead nations',
        response: { 200: CapabilityAreaList },
      },
    },
    async (request) => ({
      items: (await listCapabilityAreas(database, actorOf(request))).map(capabilityAreaJson),
    }),
  );
};
