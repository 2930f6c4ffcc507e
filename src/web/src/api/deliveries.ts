/**
 * Hooks of a package's deliveries: its shipments (status and dates only), receipts and
 * discrepancies (`GET /packages/:id/deliveries`), and the commands on them — plan a shipment,
 * move it forward, record its receipt, resolve a discrepancy. Each answer is the package's
 * deliveries as they now stand; the package itself may change status (in delivery, delivered),
 * so it is fetched again.
 */
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { idempotencyKey, ifMatch, useCommand } from './commands';
import type { components } from './schema';

export type Deliveries = components['schemas']['Deliveries'];
export type Shipment = Deliveries['shipments'][number];
export type Discrepancy = Deliveries['discrepancies'][number];
export type DiscrepancyKind = Discrepancy['kind'];
export type DiscrepancyResolution = NonNullable<Discrepancy['resolution']>;
export type ShipmentStatus = Shipment['status'];

export const SHIPMENT_STATUSES = [
  'planned',
  'dispatched',
  'arrived_hub',
  'handed_over',
  'received',
] as const satisfies readonly ShipmentStatus[];
export const DISCREPANCY_KINDS = [
  'short',
  'over',
  'damaged',
  'wrong_item',
] as const satisfies readonly DiscrepancyKind[];
export const DISCREPANCY_RESOLUTIONS = [
  'replaced',
  'credited',
  'written_off',
] as const satisfies readonly DiscrepancyResolution[];

export function useDeliveries(packageId: string | undefined) {
  return useQuery({
    queryKey: ['packages', 'deliveries', packageId],
    enabled: packageId !== undefined,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/packages/{id}/deliveries', {
          params: { path: { id: packageId! } },
          signal,
        }),
      ),
  });
}

/** The deliveries as they now stand; the package (its status) and the analyses may have moved. */
function refreshDeliveries(client: QueryClient, deliveries: Deliveries) {
  client.setQueryData(['packages', 'deliveries', deliveries.packageId], deliveries);
  return Promise.all([
    client.invalidateQueries({ queryKey: ['packages'] }),
    client.invalidateQueries({ queryKey: ['analytics'] }),
  ]);
}

const AFTER_DELIVERY = { onSuccess: refreshDeliveries };

export function useCreateShipment() {
  return useCommand(
    ({
      packageId,
      body,
    }: {
      packageId: string;
      body: {
        reference: string;
        plannedOn: string;
        lines: { packageLineId: string; quantity: number }[];
      };
    }) =>
      api.POST('/api/v1/packages/{id}/shipments', {
        params: { path: { id: packageId } },
        body,
        headers: idempotencyKey(),
      }),
    AFTER_DELIVERY,
  );
}

export function useAdvanceShipment() {
  return useCommand(
    ({
      shipment,
      body,
    }: {
      shipment: Pick<Shipment, 'id' | 'version'>;
      body: { status: 'dispatched' | 'arrived_hub' | 'handed_over'; on: string };
    }) =>
      api.POST('/api/v1/shipments/{id}/status', {
        params: { path: { id: shipment.id } },
        body,
        headers: ifMatch(shipment.version),
      }),
    AFTER_DELIVERY,
  );
}

export interface ReceiptLineInput {
  packageLineId: string;
  receivedQuantity: number;
  discrepancies?: { kind: DiscrepancyKind; quantity: number; reason: string }[];
}

export function useRecordReceipt() {
  return useCommand(
    ({
      shipmentId,
      body,
    }: {
      shipmentId: string;
      body: { receivedOn: string; lines: ReceiptLineInput[] };
    }) =>
      api.POST('/api/v1/shipments/{id}/receipt', { params: { path: { id: shipmentId } }, body }),
    AFTER_DELIVERY,
  );
}

export function useResolveDiscrepancy() {
  return useCommand(
    ({
      discrepancyId,
      body,
    }: {
      discrepancyId: string;
      body: { resolution: DiscrepancyResolution; note?: string | null };
    }) =>
      api.POST('/api/v1/discrepancies/{id}/resolve', {
        params: { path: { id: discrepancyId } },
        body,
      }),
    AFTER_DELIVERY,
  );
}
