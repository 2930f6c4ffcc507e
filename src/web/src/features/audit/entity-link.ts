/**
 * Where an audit event's entity can be opened in the app, and how a hash is shortened for a
 * table (the full hash stays available to copy).
 */

/** The entity types audit events name, in the order the filter lists them. */
export const ENTITY_TYPES = [
  'package',
  'contribution',
  'requirement_list',
  'requirement_item',
  'meeting',
  'shipment',
  'discrepancy',
  'public_snapshot',
  'user',
  'auth_session',
  'api_token',
  'party',
  'fx_rate',
  'country_indicator',
  'kiel_figure',
  'ledger_account',
  'ledger_transfer',
  'ledger_conversion',
  'database',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export function isEntityType(value: string): value is EntityType {
  return (ENTITY_TYPES as readonly string[]).includes(value);
}

const PAGES: Partial<Record<EntityType, string>> = {
  package: '/packages/',
  contribution: '/contributions/',
  requirement_list: '/requirements/',
  meeting: '/meetings/',
};

/** The page of the event's entity, when the app has one and the id is a record id. */
export function entityPath(entity: string, entityId: string | null): string | undefined {
  if (entityId === null || !/^\d{1,19}$/.test(entityId) || !isEntityType(entity)) return undefined;
  const base = PAGES[entity];
  return base ? `${base}${entityId}` : undefined;
}

/** The first 12 hex digits, then an ellipsis: enough to tell hashes apart at a glance. */
export function shortHash(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}

/** A payload as indented JSON for reading (null when there is none). */
export function prettyJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return JSON.stringify(value, null, 2);
}
