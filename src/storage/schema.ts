/**
 * Kysely's view of the tables, one interface per table, kept in step with the migrations.
 * Column types are what the driver returns (int8 → bigint, numeric → string, date → string).
 */
import type { ColumnType, Generated } from 'kysely';
import type { AnalyticsSchema } from './schema-analytics.js';
import type { FundingSchema } from './schema-funding.js';
import type { IdentitySchema } from './schema-identity.js';
import type { MeetingsSchema } from './schema-meetings.js';
import type { PublicSchema } from './schema-public.js';
import type { ReferenceSchema } from './schema-reference.js';
import type { RequirementsSchema } from './schema-requirements.js';
import type { SecuritySchema } from './schema-security.js';

type Int8 = ColumnType<bigint, bigint | number | string, bigint | number | string>;
type GeneratedInt8 = ColumnType<bigint, bigint | number | string | undefined, never>;
/** An int8 column with a default. */
type DefaultInt8 = ColumnType<
  bigint,
  bigint | number | string | undefined,
  bigint | number | string
>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface CurrencyTable {
  code: string;
  name: string;
  minor_unit: number;
  withdrawn: Generated<boolean>;
}

export interface LedgerAccountTable {
  id: GeneratedInt8;
  ledger: string;
  code: number;
  reference: string;
  debits_must_not_exceed_credits: Generated<boolean>;
  credits_must_not_exceed_debits: Generated<boolean>;
  debits_pending: DefaultInt8;
  debits_posted: DefaultInt8;
  credits_pending: DefaultInt8;
  credits_posted: DefaultInt8;
  created_at: Timestamp;
}

export type TransferKind = 'posted' | 'pending' | 'post_pending' | 'void_pending' | 'reversal';

export interface LedgerTransferTable {
  id: GeneratedInt8;
  idempotency_key: string;
  payload_hash: string;
  ledger: string;
  kind: TransferKind;
  debit_account_id: Int8;
  credit_account_id: Int8;
  amount: Int8;
  code: number;
  pending_id: Int8 | null;
  reverses_id: Int8 | null;
  batch_id: Int8 | null;
  memo: string | null;
  created_at: Timestamp;
}

export interface LedgerConversionTable {
  id: GeneratedInt8;
  from_transfer_id: Int8;
  to_transfer_id: Int8;
  from_rate_per_eur: string;
  to_rate_per_eur: string;
  /** The applied cross rate (to per from) as shown, 10 significant digits. */
  rate: string;
  rate_date: string;
  rate_source: string;
}

export interface AuditEventTable {
  id: Int8;
  at: Timestamp;
  actor: string;
  role: string;
  entity: string;
  entity_id: string | null;
  action: string;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  singleton: boolean;
  last_id: Int8;
  last_hash: string;
  /** Per versioned table, the audit event id of the last transaction that changed it (0025). */
  table_versions: ColumnType<Record<string, string>, never, never>;
}

export interface FxRateTable {
  currency: string;
  rate_date: string;
  /** Units of `currency` per 1 EUR, exact as published. */
  rate_per_eur: string;
  source: string;
}

export interface HttpIdempotencyTable {
  scope: string;
  key: string;
  request_hash: string;
  state: 'in_progress' | 'committed' | 'done';
  status: number | null;
  response: ColumnType<unknown, string | null | undefined, string | null>;
  committed_entity: ColumnType<string | null, string | null | undefined, string | null>;
  committed_entity_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface SchemaMigrationTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

/** Every table. Each area keeps its own table types in `schema-<area>.ts`. */
export interface Schema
  extends
    ReferenceSchema,
    RequirementsSchema,
    FundingSchema,
    MeetingsSchema,
    IdentitySchema,
    SecuritySchema,
    PublicSchema,
    AnalyticsSchema {
  currency: CurrencyTable;
  ledger_account: LedgerAccountTable;
  ledger_transfer: LedgerTransferTable;
  ledger_conversion: LedgerConversionTable;
  audit_event: AuditEventTable;
  audit_head: AuditHeadTable;
  fx_rate: FxRateTable;
  schema_migration: SchemaMigrationTable;
  http_idempotency: HttpIdempotencyTable;
}
