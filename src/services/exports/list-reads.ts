/**
 * Reads the exports need that no other service offers. Each checks access first, like every
 * service function.
 */
import type { Actor } from '../../core/actor.js';
import { authorize } from '../../core/policy.js';
import type { Database } from '../../storage/database.js';
import { listCurrencies } from '../../storage/fx-repository.js';
import type { MinorUnits } from './cells.js';

/** Every ISO 4217 code the ledger knows with its minor-unit exponent (reference data). */
export async function readMinorUnits(database: Database, actor: Actor): Promise<MinorUnits> {
  authorize(actor, 'fx.read');
  const currencies = await listCurrencies(database.kysely);
  return new Map(currencies.map((c) => [c.code, c.minorUnit]));
}
