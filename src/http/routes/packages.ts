/** Packages: `/api/v1/packages` — compose, open, allocate, authorise, disburse, cancel. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PACKAGE_STATUSES } from '../../core/packages.js';
import {
  addPackageLine,
  allocateToPackage,
  authorizePackage,
  cancelPackage,
  createPackage,
  disbursePackage,
  getPackage,
  listPackages,
  openPackage,
  removePackageLine,
} from '../../services/packages-service.js';
import type { AppDependencies } from '../app.js';
import { PageQuery, actorOf, ifMatchVersion, pageOf, withEtag } from '../request-context.js';
import { bigintString, isoDate, cycleMonth as cycle, restricted } from '../schemas.js';

const PackageSummary = z
  .object({
    id: bigintString,
    number: z.string().describe('PURL-001, PURL-002, …'),
    cycle: z.string(),
    title: z.string(),
    currency: z.string(),
    status: z.enum(PACKAGE_STATUSES),
    targetMinor: bigintString,
    priceMinor: bigintString.describe('Σ lines; the final price once authorised.'),
    fundedMinor: bigintString.describe(
      'Σ allocations (pending and posted), in the package currency.',
    ),
    gapMinor: bigintString,
    surplusMinor: bigintString,
    disbursedMinor: bigintString,
    authorizationReference: z.string().nullable(),
    authorizedOn: isoDate.nullable(),
    statusReason: z.string().nullable(),
    synthetic: z
      .boolean()
      .describe('True for demonstration data: package contents are not public.'),
    sourceNote: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'PackageSummary' });

const PackageLine = z
  .object({
    id: bigintString,
    requirementItemId: bigintString,
    capabilityArea: z.string(),
    category: z.string(),
    lethal: z.boolean(),
    quantity: z.number().int(),
    unit: z.string(),
    unitPriceMinor: restricted(bigintString).describe(
      'Restricted: `{ "redacted": true }` unless the reader may see the package contents.',
    ),
    lineTotalMinor: restricted(bigintString).describe('Restricted, as unitPriceMinor.'),
    description: restricted(z.string().nullable()).describe('Restricted, as unitPriceMinor.'),
    synthetic: z.boolean(),
  })
  .meta({
    id: 'PackageLine',
    description:
      'Contents (description, unit price, line total) are visible to coordinator, recipient, ' +
      'supplier, auditor and a donor whose party funds the package; others get `{ "redacted": true }`.',
  });

const Allocation = z
  .object({
    id: bigintString,
    contributionId: bigintString,
    status: z.enum(['pending', 'posted', 'voided']),
    amountMinor: bigintString.describe('Leaves the contribution, in its currency.'),
    currency: z.string(),
    packageAmountMinor: bigintString.describe('Reaches the package, in its currency.'),
    valueDate: isoDate,
    rate: z
      .string()
      .describe('Package currency per contribution currency (display, 10 significant digits).'),
    fromRatePerEur: z.string(),
    toRatePerEur: z.string(),
    rateDate: isoDate,
    rateSource: z.string(),
    holdTransferIds: z.array(bigintString),
    createdAt: z.date(),
  })
  .meta({ id: 'Allocation' });

export const PackageDetail = PackageSummary.extend({
  lines: z.array(PackageLine),
  allocations: z.array(Allocation),
}).meta({ id: 'PackageDetail' });
const IdParams = z.object({ id: bigintString });
const tags = ['packages'];

export const packageRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { database }) => {
  app.get(
    '/packages',
    {
      config: { readCache: true },
      schema: {
        operationId: 'listPackages',
        tags,
        querystring: PageQuery.extend({
          status: z.enum(PACKAGE_STATUSES).optional(),
          cycle: cycle.optional(),
          capabilityArea: z
            .string()
            .max(40)
            .optional()
            .describe('Packages with a line in this capability area.'),
          donor: z
            .string()
            .regex(/^[A-Z][A-Z0-9-]{1,19}$/)
            .optional()
            .describe('Packages funded by this party.'),
          createdFrom: isoDate.optional(),
          createdTo: isoDate.optional(),
        }),
        response: { 200: pageOf(PackageSummary) },
      },
    },
    async (request) => {
      const { donor, ...rest } = request.query;
      return listPackages(database, actorOf(request), { ...rest, donorPartyId: donor });
    },
  );

  app.post(
    '/packages',
    {
      config: { idempotent: true },
      schema: {
        operationId: 'createPackage',
        tags,
        summary: 'Start a draft package (numbered PURL-NNN)',
        body: z.object({
          cycle,
          title: z.string().min(1).max(200),
          targetMinor: bigintString,
          synthetic: z.boolean().optional(),
          sourceNote: z.string().max(2000).nullable().optional(),
        }),
        response: { 201: PackageDetail },
      },
    },
    async (request, reply) => {
      const created = await createPackage(database, actorOf(request), request.body);
      reply.code(201).header('location', `/api/v1/packages/${created.id}`);
      return withEtag(reply, created);
    },
  );

  app.get(
    '/packages/:id',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getPackage',
        tags,
        params: IdParams,
        response: { 200: PackageDetail },
      },
    },
    async (request, reply) =>
      withEtag(reply, await getPackage(database, actorOf(request), request.params.id)),
  );

  const action = <B extends z.ZodType>(
    path: string,
    operationId: string,
    summary: string,
    body: B,
    run: (
      request: { id: bigint; body: z.output<B> },
      actor: ReturnType<typeof actorOf>,
      expectedVersion: number | undefined,
    ) => Promise<unknown>,
  ) =>
    app.post(
      `/packages/:id/${path}`,
      {
        schema: {
          operationId,
          tags,
          summary,
          params: IdParams,
          body,
          response: { 200: PackageDetail },
        },
      },
      async (request, reply) =>
        withEtag(
          reply,
          (await run(
            { id: request.params.id, body: request.body as z.output<B> },
            actorOf(request),
            ifMatchVersion(request),
          )) as {
            version: number;
          },
        ) as never,
    );

  action(
    'lines',
    'addPackageLine',
    'Add an approved requirement item (draft packages)',
    z.object({
      requirementItemId: bigintString,
      quantity: z.number().int().positive(),
      unitPriceMinor: bigintString.optional(),
    }),
    (r, actor, v) => addPackageLine(database, actor, r.id, r.body, { expectedVersion: v }),
  );
  app.delete(
    '/packages/:id/lines/:lineId',
    {
      schema: {
        operationId: 'removePackageLine',
        tags,
        params: z.object({ id: bigintString, lineId: bigintString }),
        response: { 200: PackageDetail },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await removePackageLine(
          database,
          actorOf(request),
          request.params.id,
          request.params.lineId,
          { expectedVersion: ifMatchVersion(request) },
        ),
      ),
  );
  action('open', 'openPackage', 'Open for funding', z.object({}).optional(), (r, actor, v) =>
    openPackage(database, actor, r.id, { expectedVersion: v }),
  );
  action(
    'allocations',
    'allocateToPackage',
    'Allocate part of a committed contribution (a pending hold until authorisation)',
    z.object({
      contributionId: bigintString,
      amountMinor: bigintString.describe('In the contribution’s currency.'),
      valueDate: isoDate,
    }),
    (r, actor, v) => allocateToPackage(database, actor, r.id, r.body, { expectedVersion: v }),
  );
  action(
    'authorize',
    'authorizePackage',
    'The supplier authorises at the final price (above the funding, the gap re-opens)',
    z.object({
      reference: z.string().min(1).max(200),
      authorizedOn: isoDate,
      finalPriceMinor: bigintString.optional(),
    }),
    (r, actor, v) => authorizePackage(database, actor, r.id, r.body, { expectedVersion: v }),
  );
  action(
    'disbursements',
    'disbursePackage',
    'Pay the supplier from the package funding',
    z.object({ amountMinor: bigintString, paidOn: isoDate }),
    (r, actor, v) => disbursePackage(database, actor, r.id, r.body, { expectedVersion: v }),
  );
  action(
    'cancel',
    'cancelPackage',
    'Cancel (pending allocations are voided)',
    z.object({ reason: z.string().min(1).max(1000) }),
    (r, actor, v) => cancelPackage(database, actor, r.id, r.body, { expectedVersion: v }),
  );
};
