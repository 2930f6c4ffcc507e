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
  title: string;
  internal_note: string | null;
  source_note: string | null;
  synthetic: Generated<boolean>;
  status_reason: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
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

export interface FundingSchema {
  contribution: ContributionTable;
  contribution_payment: ContributionPaymentTable;
}
