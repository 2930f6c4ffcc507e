/** Kysely table types of the reference data (parties, capability areas) — see migration 0004. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by its migration's work
export interface ReferenceSchema {}
