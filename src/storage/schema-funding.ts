/** Kysely table types of contributions, packages and allocations — see migration 0006. */
import type { ColumnType, Generated } from 'kysely';

type Int8 = ColumnType<bigint, bigint | number | string, bigint | number | string>;
type DefaultInt8 = ColumnType<
  bigint,
  bigint | number | string | undefined,
  bigint | number | string
>;
type GeneratedInt8 = ColumnType<bigint, bigint | number | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type ContributionStatus = 'pledged' | 'committed' | 'partially_paid' | 'paid' | 'cancelled';

export interface ContributionTable {
  id: GeneratedInt8;
  donor_party_id: string;
  currency: string;
  status: ContributionStatus;
  pledged_minor: Int8;
  committed_minor: DefaultInt8;
  paid_minor: DefaultInt8;
  announced_on: string;
  committed_on: string | null;
  earmark_areas: Generated<string[]>;
  earmark_package_id: Int8 | null;
  /** The donor asked this money to fund whole packages alone (migration 0023). */
  funds_package_alone: Generated<boolean>;
  title: string;
  internal_note: string | null;
  source_note: string | null;
  synthetic: Generated<boolean>;
  status_reason: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The donor's own reference, unique per donor (migration 0016; set by imports). */
  external_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ContributionPaymentTable {
  id: GeneratedInt8;
  contribution_id: Int8;
  amount_minor: Int8;
  paid_on: string;
  transfer_id: Int8;
  reference: string | null;
  created_at: Timestamp;
}

export type PackageStatus =
  'draft' | 'open' | 'funded' | 'authorized' | 'in_delivery' | 'delivered' | 'closed' | 'cancelled';

export interface PackageTable {
  id: GeneratedInt8;
  number: string;
  cycle: string;
  title: string;
  currency: Generated<string>;
  target_minor: Int8;
  price_minor: DefaultInt8;
  funded_minor: DefaultInt8;
  disbursed_minor: DefaultInt8;
  status: Generated<PackageStatus>;
  authorization_reference: string | null;
  authorized_on: string | null;
  status_reason: string | null;
  synthetic: Generated<boolean>;
  source_note: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  opened_at: Date | null;
  funded_at: Date | null;
  authorized_at: Date | null;
  cancelled_at: Date | null;
  closed_at: Date | null;
}

export interface PackageLineTable {
  id: GeneratedInt8;
  package_id: Int8;
  requirement_item_id: Int8;
  capability_area: string;
  category: string;
  lethal: boolean;
  quantity: number;
  unit: string;
  unit_price_minor: Int8;
  description: string | null;
  synthetic: Generated<boolean>;
  created_at: Timestamp;
}

export type AllocationStatus = 'pending' | 'posted' | 'voided';

export interface AllocationTable {
  id: GeneratedInt8;
  package_id: Int8;
  contribution_id: Int8;
  status: AllocationStatus;
  amount_minor: Int8;
  currency: string;
  package_amount_minor: Int8;
  value_date: string;
  rate: string;
  from_rate_per_eur: string;
  to_rate_per_eur: string;
  rate_date: string;
  rate_source: string;
  hold_transfer_ids: ColumnType<bigint[], bigint[], bigint[]>;
  synthetic: Generated<boolean>;
  created_at: Timestamp;
  resolved_at: Date | null;
}

export type ShipmentStatus = 'planned' | 'dispatched' | 'arrived_hub' | 'handed_over' | 'received';

export interface ShipmentTable {
  id: GeneratedInt8;
  package_id: Int8;
  reference: string;
  status: Generated<ShipmentStatus>;
  planned_on: string;
  dispatched_on: string | null;
  arrived_hub_on: string | null;
  handed_over_on: string | null;
  received_on: string | null;
  synthetic: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ShipmentLineTable {
  shipment_id: Int8;
  package_line_id: Int8;
  quantity: number;
}

export interface ReceiptTable {
  id: GeneratedInt8;
  shipment_id: Int8;
  package_line_id: Int8;
  received_quantity: number;
  received_on: string;
  created_at: Timestamp;
}

export type DiscrepancyKind = 'short' | 'over' | 'damaged' | 'wrong_item';
export type DiscrepancyResolution = 'replaced' | 'credited' | 'written_off';

export interface DiscrepancyTable {
  id: GeneratedInt8;
  receipt_id: Int8;
  package_line_id: Int8;
  kind: DiscrepancyKind;
  quantity: number;
  reason: string;
  resolution: DiscrepancyResolution | null;
  resolution_note: string | null;
  resolved_at: Date | null;
  version: Generated<number>;
  created_at: Timestamp;
}

export interface FundingSchema {
  shipment: ShipmentTable;
  shipment_line: ShipmentLineTable;
  receipt: ReceiptTable;
  discrepancy: DiscrepancyTable;
  contribution: ContributionTable;
  contribution_payment: ContributionPaymentTable;
  package: PackageTable;
  package_line: PackageLineTable;
  allocation: AllocationTable;
}
