/**
 * Contributions: `/api/v1/contributions` — pledge, commit, pay, reduce, cancel. Money fields
 * are minor units as decimal strings beside the contribution's `currency`.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CONTRIBUTION_STATUSES } from '../../core/contributions.js';
import { PACKAGE_STATUSES } from '../../core/packages.js';
import {
  cancelContribution,
  setPackagePreference,
  commitContribution,
  createContribution,
  getContribution,
  listContributions,
  recordPayment,
  reduceContribution,
} from '../../services/contributions-service.js';
import { getContributionFlow } from '../../services/contribution-flow.js';
import type { AppDependencies } from '../app.js';
import { PageQuery, actorOf, ifMatchVersion, pageOf, withEtag } from '../request-context.js';
import {
  bigintString,
  isoDate,
  partyId,
  restricted,
  currencyCode as currency,
} from '../schemas.js';

const Contribution = z
  .object({
    id: bigintString,
    donorPartyId: z.string(),
    currency: z.string(),
    status: z.enum(CONTRIBUTION_STATUSES),
    pledgedMinor: bigintString.describe('Announced amount. A pledge is not funding.'),
    committedMinor: bigintString.describe('Committed amount: counts as funding.'),
    paidMinor: bigintString,
    availableMinor: bigintString.describe('Committed and not yet allocated to a package.'),
    allocatedMinor: bigintString,
    announcedOn: isoDate,
    committedOn: isoDate.nullable(),
    earmarks: z.object({
      capabilityAreas: z.array(z.string()),
      packageId: bigintString.nullable(),
    }),
    fundsPackageAlone: z
      .boolean()
      .describe('The donor asks this money to fund whole packages alone (the planner honours it).'),
    title: z.string(),
    internalNote: z.union([z.string(), z.null(), z.object({ redacted: z.literal(true) })]),
    sourceNote: z.string().nullable(),
    synthetic: z.boolean().describe('True for demonstration data that is not a public fact.'),
    statusReason: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Contribution' });

const ContributionDetail = Contribution.extend({
  payments: z.array(
    z.object({
      id: bigintString,
      amountMinor: bigintString,
      paidOn: isoDate,
      transferId: bigintString,
      reference: z.string().nullable(),
    }),
  ),
}).meta({ id: 'ContributionDetail' });

const CreateContribution = z.object({
  donorPartyId: partyId,
  currency,
  amountMinor: bigintString.describe('The pledged amount in minor units (cents for EUR).'),
  announcedOn: isoDate,
  title: z.string().min(1).max(200),
  earmarkAreas: z.array(z.string().max(40)).max(10).optional(),
  earmarkPackageId: bigintString.nullable().optional(),
  fundsPackageAlone: z.boolean().optional(),
  internalNote: z.string().max(2000).nullable().optional(),
  sourceNote: z.string().max(1000).nullable().optional(),
  synthetic: z.boolean().optional(),
});

const FlowOutcome = z
  .object({
    deliveredMinor: bigintString.describe('Its share of the value received in good order.'),
    disbursedNotDeliveredMinor: bigintString.describe('Paid to the supplier, not yet delivered.'),
    notDisbursedMinor: bigintString.describe('Not yet paid to the supplier.'),
  })
  .meta({
    id: 'ContributionFlowOutcome',
    description: 'What the money a contribution holds in a package became; the parts add up.',
  });

const ContributionFlow = z
  .object({
    contribution: z.object({
      id: bigintString,
      donorPartyId: z.string(),
      title: z.string(),
      currency: z.string(),
      status: z.enum(CONTRIBUTION_STATUSES),
      pledgedMinor: bigintString,
      committedMinor: bigintString,
      paidMinor: bigintString,
      allocatedMinor: bigintString,
      availableMinor: bigintString,
    }),
    complete: z
      .boolean()
      .describe('False when a package’s outcome is redacted for this reader (unit prices).'),
    allocations: z.array(
      z.object({
        id: bigintString,
        status: z.enum(['pending', 'posted', 'voided']),
        amountMinor: bigintString.describe('Leaves the contribution, in its currency.'),
        currency: z.string(),
        packageId: bigintString,
        packageNumber: z.string(),
        packageAmountMinor: bigintString.describe('Reaches the package, in its currency.'),
        packageCurrency: z.string(),
        valueDate: isoDate,
        rate: z.string().describe('Package currency per contribution currency (display).'),
        rateDate: isoDate,
        rateSource: z.string(),
        returnedMinor: bigintString.describe('Surplus returned at the package’s closing.'),
      }),
    ),
    packages: z.array(
      z.object({
        package: z.object({
          id: bigintString,
          number: z.string(),
          title: z.string(),
          status: z.enum(PACKAGE_STATUSES),
          currency: z.string(),
          priceMinor: bigintString,
          fundedMinor: bigintString,
          disbursedMinor: bigintString,
          deliveredMinor: restricted(bigintString).describe(
            'Value received in good order (quantity × unit price); restricted as unit prices.',
          ),
        }),
        allocatedMinor: bigintString.describe('Contribution currency: its live allocations.'),
        returnedMinor: bigintString,
        netAllocatedMinor: bigintString,
        fundedMinor: bigintString.describe('Package currency: what reached the package.'),
        returnedPackageMinor: bigintString,
        netFundedMinor: bigintString,
        disbursedShareMinor: bigintString.describe(
          'Its pro-rata share (largest remainder) of the package’s disbursed amount.',
        ),
        deliveredShareMinor: restricted(bigintString).describe(
          'Its pro-rata share, receipt by receipt, of the delivered value.',
        ),
        packageOutcome: restricted(FlowOutcome).describe('In the package currency.'),
        outcome: restricted(FlowOutcome).describe(
          'In the contribution currency; adds up to netAllocatedMinor.',
        ),
      }),
    ),
    totals: z.object({
      allocatedMinor: bigintString,
      returnedMinor: bigintString,
      netAllocatedMinor: bigintString,
      availableMinor: bigintString,
      outcome: restricted(FlowOutcome),
    }),
  })
  .meta({ id: 'ContributionFlow' });

const IdParams = z.object({ id: bigintString });
const tags = ['contributions'];

export const contributionRoutes: FastifyPluginAsyncZod<AppDependencies> = async (
  app,
  { database },
) => {
  app.get(
    '/contributions',
    {
      config: { readCache: true },
      schema: {
        operationId: 'listContributions',
        tags,
        summary: 'Contributions, newest first, filtered',
        querystring: PageQuery.extend({
          status: z.enum(CONTRIBUTION_STATUSES).optional(),
          donor: partyId.optional(),
          currency: currency.optional(),
          capabilityArea: z.string().max(40).optional(),
          announcedFrom: isoDate.optional(),
          announcedTo: isoDate.optional(),
          available: z
            .enum(['true', 'false'])
            .transform((value) => value === 'true')
            .optional()
            .describe(
              '`true`: only contributions with money not yet allocated (`availableMinor` > 0), ' +
                'what an allocation may draw on; `false` (default): no such filter.',
            ),
          eligibleFor: bigintString
            .optional()
            .describe(
              'A package id: only contributions whose earmarks let them fund that package ' +
                '(no earmark, earmarked to it, or earmarked to areas holding every area of ' +
                'its lines) — the rule an allocation enforces. An unknown package is 404.',
            ),
        }),
        response: { 200: pageOf(Contribution) },
      },
    },
    async (request) => {
      const q = request.query;
      return listContributions(database, actorOf(request), {
        limit: q.limit,
        cursor: q.cursor,
        status: q.status,
        donorPartyId: q.donor,
        currency: q.currency,
        capabilityArea: q.capabilityArea,
        announcedFrom: q.announcedFrom,
        announcedTo: q.announcedTo,
        available: q.available,
        eligibleFor: q.eligibleFor,
      });
    },
  );

  app.post(
    '/contributions',
    {
      config: { idempotent: true },
      schema: {
        operationId: 'createContribution',
        tags,
        summary: 'Record a pledge (send Idempotency-Key to make a retry safe)',
        body: CreateContribution,
        response: { 201: ContributionDetail },
      },
    },
    async (request, reply) => {
      const created = await createContribution(database, actorOf(request), request.body);
      reply.code(201).header('location', `/api/v1/contributions/${created.id}`);
      return withEtag(reply, created);
    },
  );

  app.get(
    '/contributions/:id',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getContribution',
        tags,
        params: IdParams,
        response: { 200: ContributionDetail },
      },
    },
    async (request, reply) =>
      withEtag(reply, await getContribution(database, actorOf(request), request.params.id)),
  );

  app.get(
    '/contributions/:id/flow',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getContributionFlow',
        tags,
        summary: 'Where the money went: allocations, packages, disbursed and delivered shares',
        params: IdParams,
        response: { 200: ContributionFlow },
      },
    },
    async (request) => getContributionFlow(database, actorOf(request), request.params.id),
  );

  app.post(
    '/contributions/:id/commit',
    {
      schema: {
        operationId: 'commitContribution',
        tags,
        summary: 'Commit a pledge (it then counts as funding); If-Match honoured',
        params: IdParams,
        body: z.object({ amountMinor: bigintString.optional(), committedOn: isoDate }),
        response: { 200: ContributionDetail },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await commitContribution(database, actorOf(request), request.params.id, request.body, {
          expectedVersion: ifMatchVersion(request),
        }),
      ),
  );

  app.post(
    '/contributions/:id/payments',
    {
      schema: {
        operationId: 'recordContributionPayment',
        tags,
        summary: 'Record money received from the donor; If-Match honoured',
        params: IdParams,
        body: z.object({
          amountMinor: bigintString,
          paidOn: isoDate,
          reference: z.string().max(200).nullable().optional(),
        }),
        response: { 200: ContributionDetail },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await recordPayment(database, actorOf(request), request.params.id, request.body, {
          expectedVersion: ifMatchVersion(request),
        }),
      ),
  );

  app.post(
    '/contributions/:id/reduce',
    {
      schema: {
        operationId: 'reduceContribution',
        tags,
        summary: 'Lower the amount, with a reason; never below what is allocated or paid',
        params: IdParams,
        body: z.object({ amountMinor: bigintString, reason: z.string().min(1).max(1000) }),
        response: { 200: ContributionDetail },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await reduceContribution(database, actorOf(request), request.params.id, request.body, {
          expectedVersion: ifMatchVersion(request),
        }),
      ),
  );

  app.post(
    '/contributions/:id/cancel',
    {
      schema: {
        operationId: 'cancelContribution',
        tags,
        summary: 'Cancel a pledge, or a commitment with nothing allocated or paid',
        params: IdParams,
        body: z.object({ reason: z.string().min(1).max(1000) }),
        response: { 200: ContributionDetail },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await cancelContribution(database, actorOf(request), request.params.id, request.body, {
          expectedVersion: ifMatchVersion(request),
        }),
      ),
  );

  app.post(
    '/contributions/:id/package-preference',
    {
      schema: {
        operationId: 'setContributionPackagePreference',
        tags,
        summary: 'Record whether the donor asks this money to fund whole packages alone',
        params: IdParams,
        body: z.object({ fundsPackageAlone: z.boolean() }),
        response: { 200: ContributionDetail },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await setPackagePreference(database, actorOf(request), request.params.id, request.body, {
          expectedVersion: ifMatchVersion(request),
        }),
      ),
  );
};
