/**
 * Requirement lists under `/api/v1/requirement-lists`: create and read lists, edit their items
 * and priorities (draft), set approved quantities (validator, submitted), and move a list along
 * `draft → submitted → validated → approved → closed` (or `withdrawn` before approval).
 *
 * Thin: each handler parses with the schemas below, calls one service of
 * `services/requirements-service.ts` and maps its answer to the wire shape (money as
 * `{ amountMinor: "123", currency: "USD" }`). `ETag` is the version of the record returned;
 * `If-Match` on an item route is compared with the item's version, on a list route with the
 * list's. Creating calls honour `Idempotency-Key`.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  APPROVAL_ROLES,
  REQUIREMENT_LIMITS,
  REQUIREMENT_LIST_STATUSES,
  type RequirementTotals,
} from '../../core/requirements.js';
import { isRedacted } from '../../core/redaction.js';
import {
  addRequirementItem,
  approveRequirementList,
  closeRequirementList,
  createRequirementList,
  getRequirementList,
  listApprovedItems,
  listRequirementLists,
  removeRequirementItem,
  reorderRequirementItems,
  setApprovedQuantity,
  submitRequirementList,
  updateRequirementItem,
  validateRequirementList,
  withdrawRequirementList,
  type PresentedRequirementItem,
  type RequirementListDetail,
  type RequirementListSummary,
} from '../../services/requirements-service.js';
import type { AppDependencies } from '../app.js';
import { actorOf, ifMatchVersion, PageQuery, pageOf, withEtag } from '../request-context.js';
import { bigintString, restricted } from '../schemas.js';

const TAGS = ['requirements'];
const CYCLE = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

// ---------------------------------------------------------------------------------------------
// Schemas. Only response schemas carry an OpenAPI id: an id on a request schema would add an
// `…Input` twin component.

/** USD in minor units (cents), as a decimal string. */
const usdAmount = () =>
  z.object({
    amountMinor: bigintString.describe('US cents, as a decimal string.'),
    currency: z.literal('USD'),
  });

const UsdAmount = usdAmount().meta({
  id: 'UsdAmount',
  description: 'An amount in US dollars: minor units (cents) as a decimal string.',
});

const quantity = (min: number) => z.number().int().min(min).max(REQUIREMENT_LIMITS.quantityMax);
const text = (max: number) => z.string().min(1).max(max);

const RequirementListStatus = z.enum(REQUIREMENT_LIST_STATUSES);

const RequirementItemResponse = z
  .object({
    id: bigintString,
    listId: bigintString,
    capabilityArea: z.string(),
    category: z.string(),
    lethal: z.boolean(),
    requestedQuantity: z.number().int(),
    approvedQuantity: z
      .number()
      .int()
      .nullable()
      .describe('Set by the validator (null until then); the requested quantity is kept.'),
    unit: z.string(),
    estimatedUnitCost: restricted(UsdAmount).describe(
      'Restricted: `{ "redacted": true }` unless the reader may see requirement details.',
    ),
    priorityRank: z.number().int().describe('1 is the most important; unique in the list.'),
    description: restricted(z.string().nullable()).describe('Restricted, as estimatedUnitCost.'),
    justification: restricted(z.string().nullable()).describe('Restricted, as estimatedUnitCost.'),
    quantityStep: z
      .number()
      .int()
      .describe(
        'Packages take the item in multiples of this; the last part (what is left) may be smaller. 1: any quantity.',
      ),
    wholeOnly: z.boolean().describe('Packages take only the whole remaining quantity of the item.'),
    synthetic: z.boolean(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({
    id: 'RequirementItem',
    description:
      'Description, justification and estimated unit cost are visible to recipient, validator, ' +
      'coordinator, supplier, auditor and a donor whose party funds a package holding the item; ' +
      'others get `{ "redacted": true }`.',
  });

const ApprovedItemResponse = RequirementItemResponse.extend({
  approvedQuantity: z.number().int(),
  cycle: z.string().describe('The cycle of the item’s approved list.'),
  listTitle: z.string(),
  packagedQuantity: z.number().int().describe('Already in packages that are not cancelled.'),
  remainingQuantity: z.number().int().describe('Approved quantity not yet packaged.'),
}).meta({ id: 'ApprovedRequirementItem' });

const listFields = {
  id: bigintString,
  cycle: z.string().describe('The month, YYYY-MM; one list per cycle.'),
  title: z.string(),
  status: RequirementListStatus,
  synthetic: z.boolean().describe('Demo data, not real requirements.'),
  sourceNote: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
  submittedAt: z.date().nullable(),
  validatedAt: z.date().nullable(),
  approvedAt: z.date().nullable(),
  closedAt: z.date().nullable(),
  withdrawnAt: z.date().nullable(),
  totals: z
    .object({ requested: UsdAmount, approved: UsdAmount })
    .describe('Σ quantity × estimated unit cost, requested and approved.'),
};

const RequirementListResponse = z
  .object({
    ...listFields,
    items: z.array(RequirementItemResponse).describe('In priority order.'),
    approvals: z.array(
      z.object({ role: z.enum(APPROVAL_ROLES), actorId: z.string(), signedAt: z.date() }),
    ),
  })
  .meta({ id: 'RequirementList' });

const RequirementListSummaryResponse = z
  .object({
    ...listFields,
    itemCount: z.number().int(),
    signedRoles: z
      .array(z.enum(APPROVAL_ROLES))
      .describe('The roles that have signed the joint approval; the third signature approves.'),
  })
  .meta({ id: 'RequirementListSummary' });

const RequirementListPage = pageOf(RequirementListSummaryResponse).meta({
  id: 'RequirementListPage',
});

const ListParams = z.object({ id: bigintString });
const ItemParams = z.object({ id: bigintString, itemId: bigintString });

const ListQuery = PageQuery.extend({
  status: RequirementListStatus.optional(),
  cycle: z.string().regex(CYCLE).optional().describe('YYYY-MM'),
});

const NewListBody = z.strictObject({
  cycle: z.string().regex(CYCLE).describe('The month, YYYY-MM (one list per cycle).'),
  title: text(REQUIREMENT_LIMITS.titleMaxChars),
  synthetic: z.boolean().optional().describe('Demo data: mark it so.'),
  sourceNote: z.string().max(REQUIREMENT_LIMITS.sourceNoteMaxChars).nullable().optional(),
});

const itemFields = {
  capabilityArea: z.string().min(1).max(40).describe('A capability area code: artillery, …'),
  category: text(REQUIREMENT_LIMITS.categoryMaxChars).describe(
    'Item category (e.g. 155mm artillery ammunition); never serial numbers or locations.',
  ),
  lethal: z.boolean(),
  requestedQuantity: quantity(1),
  unit: text(REQUIREMENT_LIMITS.unitMaxChars).describe('rounds, systems, units, …'),
  estimatedUnitCost: usdAmount(),
  priorityRank: quantity(1).describe('Unique in the list; default: after the last item.'),
  description: z
    .string()
    .max(REQUIREMENT_LIMITS.restrictedTextMaxChars)
    .nullable()
    .describe('Restricted.'),
  justification: z
    .string()
    .max(REQUIREMENT_LIMITS.restrictedTextMaxChars)
    .nullable()
    .describe('Restricted.'),
  quantityStep: quantity(1).describe(
    'Packages take the item in multiples of this (the last part, what is left, may be smaller); at most the requested quantity. Default 1: any quantity.',
  ),
  wholeOnly: z
    .boolean()
    .describe('Packages take only the whole remaining quantity. Default false.'),
};

const NewItemBody = z.strictObject({
  ...itemFields,
  priorityRank: itemFields.priorityRank.optional(),
  description: itemFields.description.optional(),
  justification: itemFields.justification.optional(),
  quantityStep: itemFields.quantityStep.optional(),
  wholeOnly: itemFields.wholeOnly.optional(),
  synthetic: z.boolean().optional().describe('Default: as the list.'),
});

const ItemPatchBody = z.strictObject(itemFields).partial();

const PrioritiesBody = z.strictObject({
  itemIds: z
    .array(bigintString)
    .max(REQUIREMENT_LIMITS.itemsPerListMax)
    .describe('Every item of the list once, most important first: they get ranks 1..n.'),
});

const ApprovedQuantityBody = z.strictObject({ approvedQuantity: quantity(0) });

// ---------------------------------------------------------------------------------------------
// Wire shapes

const usd = (amountMinor: bigint) => ({ amountMinor, currency: 'USD' as const });

function totalsResponse(totals: RequirementTotals) {
  return { requested: usd(totals.requestedUsdMinor), approved: usd(totals.approvedUsdMinor) };
}

function itemResponse(item: PresentedRequirementItem) {
  const cost = item.estimatedUnitCostUsdMinor;
  return { ...item, estimatedUnitCost: isRedacted(cost) ? cost : usd(cost) };
}

function listResponse(list: RequirementListDetail) {
  return { ...list, items: list.items.map(itemResponse), totals: totalsResponse(list.totals) };
}

function summaryResponse(list: RequirementListSummary) {
  return { ...list, totals: totalsResponse(list.totals) };
}

/** A patch body → the service's patch (money unwrapped to minor units). */
function itemPatch(body: z.output<typeof ItemPatchBody>) {
  const { estimatedUnitCost, ...rest } = body;
  return {
    ...rest,
    ...(estimatedUnitCost ? { estimatedUnitCostUsdMinor: estimatedUnitCost.amountMinor } : {}),
  };
}

// ---------------------------------------------------------------------------------------------

export const requirementRoutes: FastifyPluginAsyncZod<AppDependencies> = async (
  app,
  { database },
) => {
  app.get(
    '/requirement-lists',
    {
      config: { readCache: true },
      schema: {
        operationId: 'listRequirementLists',
        tags: TAGS,
        summary: 'Requirement lists, newest cycle first',
        querystring: ListQuery,
        response: { 200: RequirementListPage },
      },
    },
    async (request) => {
      const page = await listRequirementLists(database, actorOf(request), request.query);
      return { items: page.items.map(summaryResponse), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/requirement-lists',
    {
      config: { idempotent: true },
      schema: {
        operationId: 'createRequirementList',
        tags: TAGS,
        summary: 'Create the draft requirement list of a cycle (recipient)',
        body: NewListBody,
        response: { 201: RequirementListResponse },
      },
    },
    async (request, reply) => {
      const list = await createRequirementList(database, actorOf(request), request.body);
      reply.code(201);
      return withEtag(reply, listResponse(list));
    },
  );

  app.get(
    '/requirement-lists/approved-items',
    {
      config: { readCache: true },
      schema: {
        operationId: 'listApprovedRequirementItems',
        tags: TAGS,
        summary: 'Approved items a package can be composed from, by cycle and priority',
        querystring: PageQuery.extend({
          listId: bigintString.optional(),
          capabilityArea: z.string().max(40).optional(),
          remaining: z
            .enum(['true', 'false'])
            .optional()
            .describe('true (default): only items with approved quantity not yet packaged.'),
        }),
        response: { 200: pageOf(ApprovedItemResponse) },
      },
    },
    async (request) => {
      const { remaining, ...query } = request.query;
      const page = await listApprovedItems(database, actorOf(request), {
        ...query,
        remainingOnly: remaining !== 'false',
      });
      return {
        items: page.items.map((item) => ({
          ...itemResponse(item),
          approvedQuantity: item.approvedQuantity,
          cycle: item.cycle,
          listTitle: item.listTitle,
          packagedQuantity: item.packagedQuantity,
          remainingQuantity: item.approvedQuantity - item.packagedQuantity,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/requirement-lists/:id',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getRequirementList',
        tags: TAGS,
        summary: 'A requirement list with its items, signatures and totals',
        params: ListParams,
        response: { 200: RequirementListResponse },
      },
    },
    async (request, reply) => {
      const list = await getRequirementList(database, actorOf(request), request.params.id);
      return withEtag(reply, listResponse(list));
    },
  );

  app.post(
    '/requirement-lists/:id/items',
    {
      config: { idempotent: true },
      schema: {
        operationId: 'addRequirementItem',
        tags: TAGS,
        summary: 'Add an item to a draft list (recipient); If-Match (optional): the list’s ETag',
        params: ListParams,
        body: NewItemBody,
        response: { 201: RequirementItemResponse },
      },
    },
    async (request, reply) => {
      const { estimatedUnitCost, ...fields } = request.body;
      const item = await addRequirementItem(
        database,
        actorOf(request),
        request.params.id,
        { ...fields, estimatedUnitCostUsdMinor: estimatedUnitCost.amountMinor },
        { expectedVersion: ifMatchVersion(request) },
      );
      reply.code(201);
      return withEtag(reply, itemResponse(item));
    },
  );

  app.patch(
    '/requirement-lists/:id/items/:itemId',
    {
      schema: {
        operationId: 'updateRequirementItem',
        tags: TAGS,
        summary: 'Edit an item of a draft list (recipient); If-Match: the item’s ETag',
        params: ItemParams,
        body: ItemPatchBody,
        response: { 200: RequirementItemResponse },
      },
    },
    async (request, reply) => {
      const item = await updateRequirementItem(
        database,
        actorOf(request),
        request.params.id,
        request.params.itemId,
        itemPatch(request.body),
        { expectedVersion: ifMatchVersion(request) },
      );
      return withEtag(reply, itemResponse(item));
    },
  );

  app.delete(
    '/requirement-lists/:id/items/:itemId',
    {
      schema: {
        operationId: 'removeRequirementItem',
        tags: TAGS,
        summary: 'Remove an item of a draft list (recipient); If-Match: the item’s ETag',
        params: ItemParams,
        response: { 204: z.null().describe('Removed.') },
      },
    },
    async (request, reply) => {
      await removeRequirementItem(
        database,
        actorOf(request),
        request.params.id,
        request.params.itemId,
        { expectedVersion: ifMatchVersion(request) },
      );
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/requirement-lists/:id/priorities',
    {
      schema: {
        operationId: 'reorderRequirementItems',
        tags: TAGS,
        summary: 'Set the priority order of a draft list (recipient); If-Match: the list’s ETag',
        params: ListParams,
        body: PrioritiesBody,
        response: { 200: RequirementListResponse },
      },
    },
    async (request, reply) => {
      const list = await reorderRequirementItems(
        database,
        actorOf(request),
        request.params.id,
        request.body.itemIds,
        { expectedVersion: ifMatchVersion(request) },
      );
      return withEtag(reply, listResponse(list));
    },
  );

  app.patch(
    '/requirement-lists/:id/items/:itemId/approved-quantity',
    {
      schema: {
        operationId: 'setApprovedQuantity',
        tags: TAGS,
        summary: 'Set the approved quantity of an item of a submitted list (validator)',
        params: ItemParams,
        body: ApprovedQuantityBody,
        response: { 200: RequirementItemResponse },
      },
    },
    async (request, reply) => {
      const item = await setApprovedQuantity(
        database,
        actorOf(request),
        request.params.id,
        request.params.itemId,
        request.body.approvedQuantity,
        { expectedVersion: ifMatchVersion(request) },
      );
      return withEtag(reply, itemResponse(item));
    },
  );

  const transitions = [
    ['submit', submitRequirementList, 'submitRequirementList', 'Submit a draft list (recipient)'],
    [
      'validate',
      validateRequirementList,
      'validateRequirementList',
      'Validate a submitted list (validator); unset approved quantities become the requested ones',
    ],
    [
      'approve',
      approveRequirementList,
      'approveRequirementList',
      'Sign the joint approval in your role (recipient, coordinator, supplier); the third signature approves the list',
    ],
    ['close', closeRequirementList, 'closeRequirementList', 'Close an approved list (coordinator)'],
    [
      'withdraw',
      withdrawRequirementList,
      'withdrawRequirementList',
      'Withdraw a list before approval (recipient, coordinator)',
    ],
  ] as const;

  for (const [action, run, operationId, summary] of transitions) {
    app.post(
      `/requirement-lists/:id/${action}`,
      {
        schema: {
          operationId,
          tags: TAGS,
          summary: `${summary}; If-Match: the list’s ETag`,
          params: ListParams,
          response: { 200: RequirementListResponse },
        },
      },
      async (request, reply) => {
        const list = await run(database, actorOf(request), request.params.id, {
          expectedVersion: ifMatchVersion(request),
        });
        return withEtag(reply, listResponse(list));
      },
    );
  }
};
