/**
 * The allocation planner: `POST /api/v1/plans` (a plan, or a base and a what-if side by side;
 * writes nothing) and `POST /api/v1/plans/accept` (the reviewed plan becomes packages).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptPlan, plan } from '../../services/planner-service.js';
import type { AppDependencies } from '../app.js';
import { actorOf } from '../request-context.js';
import { bigintString, currencyCode, cycleMonth, isoDate, partyId } from '../schemas.js';

const tags = ['plans'];
const area = z.string().min(1).max(40);

const Scenario = z
  .object({
    name: z.string().min(1).max(80).optional(),
    targetMinor: bigintString.optional().describe('Package target, US cents (default $500M).'),
    toleranceMinor: bigintString
      .optional()
      .describe('A package holds at most target + tolerance (default 10 % of the target).'),
    donorsFundingAlone: z
      .array(partyId)
      .max(100)
      .optional()
      .describe(
        'Donors that asked to fund whole packages alone: their money gets a package of its own.',
      ),
    hypotheticalPledges: z
      .array(
        z.object({
          donorPartyId: partyId,
          currency: currencyCode,
          amountMinor: bigintString,
          earmarkAreas: z.array(area).max(10).optional(),
          fundsPackageAlone: z.boolean().optional(),
        }),
      )
      .optional(),
    priceChanges: z
      .array(
        z.object({
          requirementItemId: bigintString.optional(),
          unitCostMinor: bigintString.optional(),
          capabilityArea: area.optional(),
          changePercent: z.number().int().optional(),
        }),
      )
      .optional()
      .describe("One item's new unit cost, or an area's costs up or down by a whole percentage."),
    excludedContributionIds: z.array(bigintString).max(2_000).optional(),
  })
  .describe('A scenario: the money and prices as they are, or with what-if changes.');

const common = {
  cycle: cycleMonth
    .optional()
    .describe('The approved list to plan; default the latest with items left to package.'),
  wholeOnlyItemIds: z.array(bigintString).max(5_000).optional(),
  partialQuantities: z
    .boolean()
    .optional()
    .describe('false: every item whole only (default: any whole number of units).'),
  timeLimitSeconds: z.number().int().min(1).max(60).optional(),
};

const Rate = z.object({
  rate: z.string(),
  fromRatePerEur: z.string(),
  toRatePerEur: z.string(),
  rateDate: isoDate,
  source: z.string(),
});

const ScenarioPlan = z
  .object({
    name: z.string(),
    whatIf: z.boolean(),
    options: z.object({ targetMinor: bigintString, toleranceMinor: bigintString }),
    donorsFundingAlone: z.array(z.string()),
    fingerprint: z.string().describe('Send it to /plans/accept to accept this very plan.'),
    plannedValueMinor: bigintString,
    weightedScore: bigintString,
    repairs: z.number().int(),
    solver: z.object({
      status: z.string(),
      optimal: z.boolean(),
      gap: z.number(),
      milliseconds: z.number(),
      variables: z.number().int(),
      integerVariables: z.number().int(),
      rows: z.number().int(),
    }),
    packages: z.array(
      z.object({
        slot: z.number().int(),
        kind: z.enum(['joint', 'earmarked', 'sole']),
        areas: z.array(z.string()),
        donorPartyId: z.string().nullable(),
        valueMinor: bigintString,
        fundedMinor: bigintString,
        roundingMinor: bigintString,
        upperMinor: bigintString,
        lowerMinor: bigintString,
        belowRange: z.boolean(),
        lines: z.array(
          z.object({
            requirementItemId: bigintString,
            priorityRank: z.number().int(),
            capabilityArea: z.string(),
            quantity: z.number().int(),
            unitCostMinor: bigintString,
            valueMinor: bigintString,
          }),
        ),
        allocations: z.array(
          z.object({
            fundKey: z.string(),
            contributionId: bigintString.nullable(),
            donorPartyId: z.string(),
            currency: z.string(),
            amountMinor: bigintString,
            usdMinor: bigintString,
            hypothetical: z.boolean(),
          }),
        ),
      }),
    ),
    items: z.array(
      z.object({
        requirementItemId: bigintString,
        priorityRank: z.number().int(),
        capabilityArea: z.string(),
        category: z.string(),
        unit: z.string(),
        remainingQuantity: z.number().int(),
        plannedQuantity: z.number().int(),
        unitCostMinor: bigintString,
        listUnitCostMinor: bigintString,
        plannedValueMinor: bigintString,
        status: z.enum(['funded', 'partly_funded', 'not_funded']),
        reason: z
          .enum([
            'no_eligible_money',
            'money_ran_out',
            'ranked_below_cut',
            'too_large_for_room',
            'step_larger_than_remaining',
          ])
          .nullable(),
        nextPartMinor: bigintString.nullable(),
        leftMinor: bigintString.nullable(),
      }),
    ),
    binding: z.array(
      z.object({
        kind: z.enum(['package_size', 'money', 'earmark', 'sole_funding']),
        slot: z.number().int().nullable(),
        capabilityArea: z.string().nullable(),
        fundKey: z.string().nullable(),
        amountMinor: bigintString,
        itemsKeptOut: z.number().int(),
      }),
    ),
    nextMoney: z.array(
      z.object({
        capabilityArea: z.string(),
        unusedEligibleMinor: bigintString,
        next: z.array(
          z.object({
            requirementItemId: bigintString,
            priorityRank: z.number().int(),
            costMinor: bigintString,
            extraMinor: bigintString,
          }),
        ),
      }),
    ),
    funds: z.array(
      z.object({
        fundKey: z.string(),
        contributionId: bigintString.nullable(),
        donorPartyId: z.string(),
        currency: z.string(),
        availableMinor: bigintString,
        usdMinor: bigintString,
        plannedMinor: bigintString,
        leftMinor: bigintString,
        earmarkAreas: z.array(z.string()),
        earmarkPackageNumber: z.string().nullable(),
        fundsPackageAlone: z.boolean(),
        hypothetical: z.boolean(),
        rate: Rate,
      }),
    ),
    currencies: z.array(
      z.object({
        currency: z.string(),
        availableMinor: bigintString,
        plannedMinor: bigintString,
        leftMinor: bigintString,
      }),
    ),
  })
  .meta({ id: 'ScenarioPlan' });

const PlanResult = z
  .object({
    list: z.object({ id: bigintString, cycle: z.string(), title: z.string() }),
    asOf: isoDate,
    itemsConsidered: z.number().int(),
    fundsConsidered: z.number().int(),
    fundsLeftOut: z.number().int(),
    scenarios: z.array(ScenarioPlan),
    comparison: z
      .object({
        plannedValueDeltaMinor: bigintString,
        weightedScoreDelta: bigintString,
        packagesDelta: z.number().int(),
        areas: z.array(
          z.object({
            capabilityArea: z.string(),
            baseMinor: bigintString,
            otherMinor: bigintString,
          }),
        ),
        items: z.array(
          z.object({
            requirementItemId: bigintString,
            priorityRank: z.number().int(),
            capabilityArea: z.string(),
            baseQuantity: z.number().int(),
            otherQuantity: z.number().int(),
          }),
        ),
      })
      .nullable(),
  })
  .meta({ id: 'PlanResult' });

const AcceptedPlan = z
  .object({
    fingerprint: z.string(),
    packages: z.array(
      z.object({
        id: bigintString,
        number: z.string(),
        title: z.string(),
        status: z.string(),
        priceMinor: bigintString,
        fundedMinor: bigintString,
      }),
    ),
  })
  .meta({ id: 'AcceptedPlan' });

export const planRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { database }) => {
  app.post(
    '/plans',
    {
      schema: {
        operationId: 'makePlan',
        tags,
        summary:
          'Propose packages for the money available (and a what-if beside it); writes nothing',
        body: z.object({
          ...common,
          scenarios: z.array(Scenario).min(1).max(2).optional(),
        }),
        response: { 200: PlanResult },
      },
    },
    async (request) => plan(database, actorOf(request), request.body),
  );

  app.post(
    '/plans/accept',
    {
      schema: {
        operationId: 'acceptPlan',
        tags,
        summary: 'Turn the reviewed plan into packages with pending allocations',
        body: z.object({
          ...common,
          scenario: Scenario.optional(),
          fingerprint: z
            .string()
            .length(64)
            .regex(/^[0-9a-f]{64}$/),
          titlePrefix: z.string().min(1).max(60).optional(),
          packages: z
            .array(
              z.object({
                lines: z
                  .array(
                    z.object({
                      requirementItemId: bigintString,
                      quantity: z.number().int().min(1),
                    }),
                  )
                  .min(1)
                  .max(5_000),
                allocations: z
                  .array(z.object({ contributionId: bigintString, amountMinor: bigintString }))
                  .min(1)
                  .max(2_000),
              }),
            )
            .max(20)
            .optional()
            .describe(
              'The packages of the plan as it was shown (lines and allocations); checked against the fingerprint and today’s data. Omitted: the plan is made again and must come out the same.',
            ),
        }),
        response: { 201: AcceptedPlan },
      },
    },
    async (request, reply) => {
      const accepted = await acceptPlan(database, actorOf(request), request.body);
      return reply.code(201).send({
        fingerprint: accepted.fingerprint,
        packages: accepted.packages.map((p) => ({
          id: p.id,
          number: p.number,
          title: p.title,
          status: p.status,
          priceMinor: p.priceMinor,
          fundedMinor: p.fundedMinor,
        })),
      });
    },
  );
};
