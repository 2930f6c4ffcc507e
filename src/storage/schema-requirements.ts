/** Kysely table types of requirement lists — see migration 0005. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by its migration's work
export interface RequirementsSchema {}
