/**
 * SQL of the reference data: parties, capability areas and their lead nations. Every function
 * takes the Kysely instance or the caller's `Tx`; `lockParty` is for updates (row lock, taken
 * before the audit head's, as every command does).
 */
import { sql, type Selectable } from 'kysely';
import type { CapabilityArea, Names, Party, PartyFilter } from '../core/reference.js';
import type { Database } from './database.js';
import type { PartyTable } from './schema-reference.js';
import type { Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];

const PARTY_COLUMNS = [
  'id',
  'kind',
  'nato_member',
  'name_en',
  'name_fr',
  'name_uk',
  'currency',
  'version',
] as const;

type PartyRow = Pick<Selectable<PartyTable>, (typeof PARTY_COLUMNS)[number]>;

function toParty(row: PartyRow): Party {
  return {
    id: row.id,
    kind: row.kind,
    natoMember: row.nato_member,
    names: { en: row.name_en, fr: row.name_fr, uk: row.name_uk },
    currency: row.currency,
    version: row.version,
  };
}

/**
 * Ids compared byte by byte (`COLLATE "C"`), so the order — and with it the pages — is the same
 * on every engine whatever the database's collation.
 */
const partyIdOrder = sql<string>`id COLLATE "C"`;

/** Parties in id order, after `afterId`, at most `limit` rows. */
export async function listParties(
  db: Executor,
  filter: PartyFilter,
  afterId: string | undefined,
  limit: number,
): Promise<Party[]> {
  let query = db.selectFrom('party').select(PARTY_COLUMNS);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.natoMember !== undefined) query = query.where('nato_member', '=', filter.natoMember);
  if (afterId !== undefined) query = query.where(partyIdOrder, '>', afterId);
  const rows = await query.orderBy(partyIdOrder).limit(limit).execute();
  return rows.map(toParty);
}

export async function findParty(db: Executor, id: string): Promise<Party | undefined> {
  const row = await db
    .selectFrom('party')
    .select(PARTY_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toParty(row);
}

/** Reads a party and locks its row until the transaction ends. */
export async function lockParty(tx: Tx, id: string): Promise<Party | undefined> {
  const row = await tx
    .selectFrom('party')
    .select(PARTY_COLUMNS)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row && toParty(row);
}

/** Writes a party's editable fields and its new version (the caller checked the old one). */
export async function updateParty(
  tx: Tx,
  id: string,
  fields: { names: Names; currency: string },
  version: number,
): Promise<Party> {
  const row = await tx
    .updateTable('party')
    .set((eb) => ({
      name_en: fields.names.en,
      name_fr: fields.names.fr,
      name_uk: fields.names.uk,
      currency: fields.currency,
      version,
      updated_at: eb.fn('now'),
    }))
    .where('id', '=', id)
    .returning(PARTY_COLUMNS)
    .executeTakeFirstOrThrow();
  return toParty(row);
}

/** Every capability area in `sort_order`, each with its lead nations (sorted by party id). */
export async function listCapabilityAreas(db: Executor): Promise<CapabilityArea[]> {
  const areas = await db
    .selectFrom('capability_area')
    .select(['code', 'coalition', 'name_en', 'name_fr', 'name_uk', 'sort_order'])
    .orderBy('sort_order')
    .execute();
  const leads = await db
    .selectFrom('capability_area_lead')
    .select(['area_code', 'party_id'])
    .orderBy('area_code')
    .orderBy('party_id')
    .execute();
  return areas.map((area) => ({
    code: area.code,
    coalition: area.coalition,
    names: { en: area.name_en, fr: area.name_fr, uk: area.name_uk },
    sortOrder: area.sort_order,
    leadNations: leads.filter((l) => l.area_code === area.code).map((l) => l.party_id),
  }));
}
