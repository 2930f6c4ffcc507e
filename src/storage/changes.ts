/**
 * Change notifications (migration 0021): every committed change the API could show is announced
 * on one channel, as `data` (records) or `identity` (something that can end a credential).
 */
import type { Database } from './database.js';

export type ChangeKind = 'data' | 'identity';

export const CHANGE_CHANNEL = 'purl_change';

export interface ChangeHandlers {
  change(kind: ChangeKind): void;
  /** `false`: the notifications may have been missed since (PostgreSQL connection lost). */
  status(listening: boolean): void;
}

/** Receives the change notifications of every connection until the returned function is called. */
export function watchChanges(
  database: Database,
  handlers: ChangeHandlers,
): Promise<() => Promise<void>> {
  return database.listen(CHANGE_CHANNEL, {
    // An unknown message is treated as the widest change.
    message: (payload) => handlers.change(payload === 'data' ? 'data' : 'identity'),
    status: handlers.status,
  });
}
