/** Kysely table types of contributions, packages and allocations — see migration 0006. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by its migration's work
export interface FundingSchema {}
