/** Deliveries: shipments (status and dates only), receipts with discrepancies, closing. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DISCREPANCY_KINDS,
  DISCREPANCY_RESOLUTIONS,
  SHIPMENT_STATUSES,
} from '../../core/deliveries.js';
import {
  advanceShipment,
  closePackage,
  createShipment,
  getDeliveries,
  recordReceipt,
  resolveDiscrepancy,
} from '../../services/deliveries-service.js';
import type { AppDependencies } from '../app.js';
import { actorOf, ifMatchVersion, withEtag } from '../request-context.js';
import { bigintString, isoDate } from '../schemas.js';
import { PackageDetail } from './packages.js';

const tags = ['deliveries'];

const Deliveries = z
  .object({
    packageId: bigintString,
    shipments: z.array(
      z.object({
        id: bigintString,
        reference: z.string(),
        status: z.enum(SHIPMENT_STATUSES),
        plannedOn: isoDate,
        dispatchedOn: isoDate.nullable(),
        arrivedHubOn: isoDate.nullable(),
        handedOverOn: isoDate.nullable(),
        receivedOn: isoDate.nullable(),
        synthetic: z.boolean(),
        version: z.number().int(),
        lines: z.array(z.object({ packageLineId: bigintString, quantity: z.number().int() })),
      }),
    ),
    receipts: z.array(
      z.object({
        id: bigintString,
        shipmentId: bigintString,
        packageLineId: bigintString,
        receivedQuantity: z.number().int(),
        receivedOn: isoDate,
      }),
    ),
    discrepancies: z.array(
      z.object({
        id: bigintString,
        receiptId: bigintString,
        packageLineId: bigintString,
        kind: z.enum(DISCREPANCY_KINDS),
        quantity: z.number().int(),
        reason: z.string(),
        resolution: z.enum(DISCREPANCY_RESOLUTIONS).nullable(),
        resolutionNote: z.string().nullable(),
        resolvedAt: z.date().nullable(),
      }),
    ),
    lines: z.array(
      z.object({
        packageLineId: bigintString,
        quantity: z.number().int(),
        shippedQuantity: z.number().int(),
        receivedQuantity: z.number().int().describe('Received in good order.'),
        closedShortQuantity: z.number().int().describe('Shortfalls credited or written off.'),
        complete: z.boolean(),
      }),
    ),
    delivered: z.boolean(),
  })
  .meta({ id: 'Deliveries' });

const quantity = z.number().int().min(0).max(1_000_000_000);

export const deliveryRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { database }) => {
  app.get(
    '/packages/:id/deliveries',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getDeliveries',
        tags,
        params: z.object({ id: bigintString }),
        response: { 200: Deliveries },
      },
    },
    async (request) => getDeliveries(database, actorOf(request), request.params.id),
  );

  app.post(
    '/packages/:id/shipments',
    {
      config: { idempotent: true },
      schema: {
        operationId: 'createShipment',
        tags,
        summary: 'Plan a shipment of an authorised package (supplier); a label, never a location',
        params: z.object({ id: bigintString }),
        body: z.object({
          reference: z.string().min(1).max(100),
          plannedOn: isoDate,
          lines: z
            .array(z.object({ packageLineId: bigintString, quantity: quantity.min(1) }))
            .min(1)
            .max(500),
          synthetic: z.boolean().optional(),
        }),
        response: { 201: Deliveries },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createShipment(database, actorOf(request), request.params.id, request.body);
    },
  );

  app.post(
    '/shipments/:id/status',
    {
      schema: {
        operationId: 'advanceShipment',
        tags,
        summary: 'Move a shipment forward: dispatched, arrived_hub, handed_over (supplier)',
        params: z.object({ id: bigintString }),
        body: z.object({
          status: z.enum(['dispatched', 'arrived_hub', 'handed_over']),
          on: isoDate,
        }),
        response: { 200: Deliveries },
      },
    },
    async (request) =>
      advanceShipment(database, actorOf(request), request.params.id, request.body, {
        expectedVersion: ifMatchVersion(request),
      }),
  );

  app.post(
    '/shipments/:id/receipt',
    {
      schema: {
        operationId: 'recordReceipt',
        tags,
        summary: 'Record what arrived, per line, with discrepancies and their reasons (recipient)',
        params: z.object({ id: bigintString }),
        body: z.object({
          receivedOn: isoDate,
          lines: z
            .array(
              z.object({
                packageLineId: bigintString,
                receivedQuantity: quantity,
                discrepancies: z
                  .array(
                    z.object({
                      kind: z.enum(DISCREPANCY_KINDS),
                      quantity: quantity.min(1),
                      reason: z.string().min(1).max(1000),
                    }),
                  )
                  .max(10)
                  .optional(),
              }),
            )
            .min(1)
            .max(500),
        }),
        response: { 200: Deliveries },
      },
    },
    async (request) => recordReceipt(database, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/discrepancies/:id/resolve',
    {
      schema: {
        operationId: 'resolveDiscrepancy',
        tags,
        summary: 'Resolve a discrepancy: replaced, credited or written off (coordinator, supplier)',
        params: z.object({ id: bigintString }),
        body: z.object({
          resolution: z.enum(DISCREPANCY_RESOLUTIONS),
          note: z.string().max(1000).nullable().optional(),
        }),
        response: { 200: Deliveries },
      },
    },
    async (request) =>
      resolveDiscrepancy(database, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/packages/:id/close',
    {
      schema: {
        operationId: 'closePackage',
        tags,
        summary:
          'Close a delivered, fully disbursed package; any surplus returns to its contributions',
        params: z.object({ id: bigintString }),
        body: z.object({}).optional(),
        response: { 200: PackageDetail },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await closePackage(database, actorOf(request), request.params.id, {
          expectedVersion: ifMatchVersion(request),
        }),
      ),
  );
};
