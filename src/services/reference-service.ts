/**
 * Use cases of the reference data. Reading parties and capability areas is open to every signed
 * in role (`reference.read`); an admin (`reference.write`) may edit a party's names and currency:
 * optimistic version check (`If-Match`), version + 1, one audit event with before and after, in
 * one transaction. Kind, NATO membership and lead nations change only by migration.
 */
import type { Actor } from '../core/actor.js';
import { DomainError } from '../core/errors.js';
import { checkVersion, decodeCursor, pageLimit, toPage, type Page } from '../core/pagination.js';
import { authorize } from '../core/policy.js';
import {
  applyPartyUpdate,
  checkPartyFilter,
  normalizePartyUpdate,
  type CapabilityArea,
  type Party,
  type PartyFilter,
  type PartyUpdate,
} from '../core/reference.js';
import type { Database } from '../storage/database.js';
import { findCurrency } from '../storage/fx-repository.js';
import * as repository from '../storage/reference-repository.js';
import { inTransaction } from '../storage/transaction.js';
import { recordAudit } from './audit-service.js';

export interface ListPartiesInput extends PartyFilter {
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** Parties in id order, a page at a time (the cursor is the last id returned). */
export async function listParties(
  database: Database,
  actor: Actor,
  input: ListPartiesInput = {},
): Promise<Page<Party>> {
  authorize(actor, 'reference.read');
  checkPartyFilter(input);
  const limit = pageLimit(input.limit);
  const after = decodeCursor(input.cursor, 1)?.[0];
  if (after !== undefined && typeof after !== 'string') {
    throw new DomainError('VALIDATION_FAILED', 'cursor is not one this server issued.', {
      field: 'cursor',
    });
  }
  const filter = { kind: input.kind, natoMember: input.natoMember };
  const rows = await repository.listParties(database.kysely, filter, after, limit + 1);
  return toPage(rows, limit, (party) => [party.id]);
}

export async function getParty(database: Database, actor: Actor, id: string): Promise<Party> {
  authorize(actor, 'reference.read');
  const party = await repository.findParty(database.kysely, id);
  if (!party) throw partyNotFound(id);
  return party;
}

/** Every capability area in display order, each with its lead nations. */
export async function listCapabilityAreas(
  database: Database,
  actor: Actor,
): Promise<CapabilityArea[]> {
  authorize(actor, 'reference.read');
  return repository.listCapabilityAreas(database.kysely);
}

export interface UpdateOptions {
  /** The version the caller last read (`If-Match`); absent: no check. */
  expectedVersion?: number | undefined;
}

/**
 * Changes a party's names (any of en, fr, uk) and/or currency. A request that changes nothing
 * returns the party as it is: no new version, no audit event.
 */
export async function updateParty(
  database: Database,
  actor: Actor,
  id: string,
  update: PartyUpdate,
  options: UpdateOptions = {},
): Promise<Party> {
  authorize(actor, 'reference.write');
  const wanted = normalizePartyUpdate(update);
  return inTransaction(database, async (tx) => {
    const before = await repository.lockParty(tx, id);
    if (!before) throw partyNotFound(id);
    checkVersion('party', before.version, options.expectedVersion);
    if (wanted.currency !== undefined && wanted.currency !== before.currency) {
      const currency = await findCurrency(tx, wanted.currency);
      if (!currency || currency.withdrawn) {
        throw new DomainError(
          'CURRENCY_UNKNOWN',
          `${wanted.currency} is not a current ISO 4217 currency.`,
          { field: 'currency', value: wanted.currency },
        );
      }
    }
    const next = applyPartyUpdate(before, wanted);
    if (next === before) return before;
    const after = await repository.updateParty(tx, id, next, next.version);
    await recordAudit(tx, actor, {
      entity: 'party',
      entityId: id,
      action: 'update',
      before,
      after,
    });
    return after;
  });
}

function partyNotFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `No party ${id}.`, { field: 'id', entity: 'party', id });
}
