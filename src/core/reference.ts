/**
 * Reference data: parties (nations, NATO bodies, the supplier, the recipient) and the UDCG
 * capability areas. The rows themselves are loaded by migration 0004 (so every fresh database
 * has them); this module holds the vocabularies and the rules of an edit, pure.
 */
import { isCurrencyCodeSyntax } from './currency.js';
import { DomainError } from './errors.js';

/** The languages every reference name is kept in. */
export const LANGUAGES = ['en', 'fr', 'uk'] as const;
export type Language = (typeof LANGUAGES)[number];

export const PARTY_KINDS = ['ally', 'partner', 'nato_body', 'recipient', 'supplier'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/**
 * A party id: ISO 3166 alpha-3 for a nation (`NLD`), a short upper-case name for a NATO body
 * (`NATO-HQ`, `SHAPE`, `NSATU`). The same pattern is a CHECK on `party.id`.
 */
export const PARTY_ID_PATTERN = /^[A-Z][A-Z0-9-]{1,19}$/;

/** The UDCG capability coalitions, then the two areas that are not coalitions, in display order. */
export const CAPABILITY_AREA_CODES = [
  'air_force',
  'air_missile_defence',
  'artillery',
  'armour',
  'maritime',
  'it',
  'demining',
  'drones',
  'sustainment',
  'other',
] as const;
export type CapabilityAreaCode = (typeof CAPABILITY_AREA_CODES)[number];

/** The eight capability coalitions of the UDCG (every area but `sustainment` and `other`). */
export const COALITION_CODES = [
  'air_force',
  'air_missile_defence',
  'artillery',
  'armour',
  'maritime',
  'it',
  'demining',
  'drones',
] as const satisfies readonly CapabilityAreaCode[];

/** Characters of one name of a party (any language). */
export const PARTY_NAME_MAX_CHARS = 200;

export type Names = Record<Language, string>;

export interface Party {
  id: string;
  kind: PartyKind;
  natoMember: boolean;
  names: Names;
  /** ISO 4217 code its contributions are usually announced in. */
  currency: string;
  /** Optimistic-concurrency version (the ETag); starts at 1, +1 per update. */
  version: number;
}

export interface CapabilityArea {
  code: CapabilityAreaCode;
  /** One of the eight UDCG capability coalitions. */
  coalition: boolean;
  names: Names;
  sortOrder: number;
  /** Party ids of the lead nations (coalitions only), sorted. */
  leadNations: string[];
}

export interface PartyFilter {
  kind?: PartyKind | undefined;
  natoMember?: boolean | undefined;
}

/** What an admin may change on a party: its names (any of the three) and its currency. */
export interface PartyUpdate {
  names?: Partial<Names> | undefined;
  currency?: string | undefined;
}

export function isPartyKind(value: unknown): value is PartyKind {
  return typeof value === 'string' && (PARTY_KINDS as readonly string[]).includes(value);
}

export function isPartyId(value: unknown): value is string {
  return typeof value === 'string' && PARTY_ID_PATTERN.test(value);
}

export function checkPartyFilter(filter: PartyFilter): void {
  if (filter.kind !== undefined && !isPartyKind(filter.kind)) {
    throw new DomainError('VALIDATION_FAILED', `kind must be one of ${PARTY_KINDS.join(', ')}.`, {
      field: 'kind',
    });
  }
}

const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;

/**
 * Checks an update's fields, names trimmed: 1 to `PARTY_NAME_MAX_CHARS` characters, the
 * Ukrainian name in Cyrillic (no Latin letters); the currency three upper-case letters (that it
 * exists is checked against the `currency` table by the service). Returns the trimmed update.
 */
export function normalizePartyUpdate(update: PartyUpdate): PartyUpdate {
  const result: PartyUpdate = {};
  if (update.names !== undefined) {
    const names: Partial<Names> = {};
    for (const language of LANGUAGES) {
      const raw = update.names[language];
      if (raw === undefined) continue;
      const field = `names.${language}`;
      const name = typeof raw === 'string' ? raw.trim() : '';
      if (name.length === 0 || name.length > PARTY_NAME_MAX_CHARS) {
        throw new DomainError(
          'VALIDATION_FAILED',
          `${field} must be 1 to ${PARTY_NAME_MAX_CHARS} characters.`,
          { field },
        );
      }
      if (language === 'uk' && (!CYRILLIC.test(name) || LATIN.test(name))) {
        throw new DomainError('VALIDATION_FAILED', `${field} must be written in Cyrillic.`, {
          field,
        });
      }
      names[language] = name;
    }
    result.names = names;
  }
  if (update.currency !== undefined) {
    if (!isCurrencyCodeSyntax(update.currency)) {
      throw new DomainError('CURRENCY_UNKNOWN', 'currency must be an ISO 4217 code such as EUR.', {
        field: 'currency',
        value: String(update.currency),
      });
    }
    result.currency = update.currency;
  }
  return result;
}

/** The party after a (normalized) update; the same object when nothing changes. */
export function applyPartyUpdate(party: Party, update: PartyUpdate): Party {
  const names = { ...party.names, ...update.names };
  const currency = update.currency ?? party.currency;
  const changed = currency !== party.currency || LANGUAGES.some((l) => names[l] !== party.names[l]);
  return changed ? { ...party, names, currency, version: party.version + 1 } : party;
}
