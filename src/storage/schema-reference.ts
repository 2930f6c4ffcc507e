/** Kysely table types of the reference data (parties, capability areas) — see migration 0004. */
import type { ColumnType, Generated } from 'kysely';
import type { CapabilityAreaCode, PartyKind } from '../core/reference.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PartyTable {
  /** ISO 3166 alpha-3 for a nation (`NLD`); `NATO-HQ`, `SHAPE`, `NSATU` for NATO bodies. */
  id: string;
  kind: PartyKind;
  nato_member: boolean;
  name_en: string;
  name_fr: string;
  name_uk: string;
  /** ISO 4217 (FK → currency): the currency its contributions are usually announced in. */
  currency: string;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CapabilityAreaTable {
  code: CapabilityAreaCode;
  /** One of the eight UDCG capability coalitions (false for `sustainment`, `other`). */
  coalition: boolean;
  name_en: string;
  name_fr: string;
  name_uk: string;
  sort_order: number;
}

export interface CapabilityAreaLeadTable {
  area_code: CapabilityAreaCode;
  party_id: string;
}

export interface ReferenceSchema {
  party: PartyTable;
  capability_area: CapabilityAreaTable;
  capability_area_lead: CapabilityAreaLeadTable;
}
