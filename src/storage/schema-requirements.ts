/** Kysely table types of requirement lists — see migrations 0005 and 0024. */
import type { ColumnType } from 'kysely';

type Int8 = ColumnType<bigint, bigint | number | string, bigint | number | string>;
type GeneratedInt8 = ColumnType<bigint, bigint | number | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** A column with a default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type RequirementListStatusColumn =
  'draft' | 'submitted' | 'validated' | 'approved' | 'closed' | 'withdrawn';

export interface RequirementListTable {
  id: GeneratedInt8;
  /** `YYYY-MM`, unique: one list per cycle. */
  cycle: string;
  title: string;
  status: Defaulted<RequirementListStatusColumn>;
  synthetic: Defaulted<boolean>;
  source_note: string | null;
  version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  submitted_at: NullableTimestamp;
  validated_at: NullableTimestamp;
  approved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  withdrawn_at: NullableTimestamp;
}

export interface RequirementApprovalTable {
  list_id: Int8;
  role: 'recipient' | 'coordinator' | 'supplier';
  actor_id: string;
  signed_at: Timestamp;
}

export interface RequirementItemTable {
  id: GeneratedInt8;
  list_id: Int8;
  /** FK `capability_area (code)`. */
  capability_area: string;
  category: string;
  lethal: boolean;
  requested_quantity: number;
  approved_quantity: number | null;
  unit: string;
  estimated_unit_cost_usd_minor: Int8;
  /** Unique in the list, checked at commit (DEFERRABLE INITIALLY DEFERRED). */
  priority_rank: number;
  /** Restricted. */
  description: string | null;
  /** Restricted. */
  justification: string | null;
  /**
   * Packages take the item in multiples of this (the last part, what is left, may be smaller);
   * 1 ≤ step ≤ requested quantity (migration 0024).
   */
  quantity_step: Defaulted<number>;
  /** Packages take only the whole remaining quantity (0024). */
  whole_only: Defaulted<boolean>;
  synthetic: Defaulted<boolean>;
  version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RequirementsSchema {
  requirement_list: RequirementListTable;
  requirement_approval: RequirementApprovalTable;
  requirement_item: RequirementItemTable;
}
