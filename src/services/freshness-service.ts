/**
 * Whether what a server process keeps in memory (read answers, known-valid credentials) may
 * still be served. Each kind of knowledge has an epoch that moves whenever the database may have
 * changed under it:
 * - a change committed by any process (`storage/changes.ts`: PostgreSQL NOTIFY, PGlite in
 *   process). This process hears its own before the write resolves (PGlite delivers in process;
 *   on PostgreSQL the committing pooled connection listens too), so it always reads its writes;
 * - the notification connection lost, or found again (messages may have been missed between):
 *   while it is lost there is no stamp, so nothing is kept or served from memory.
 *
 * A keeper takes a stamp *before* it reads the database, and serves what it read only while the
 * stamp is current: a change committed during the read moves the epoch, so that answer is never
 * served. Between another process's commit and its notification reaching this one (a loopback
 * round trip, under a millisecond) this process may still serve the answer from before it.
 */
import type { Database } from '../storage/database.js';
import { watchChanges, type ChangeKind } from '../storage/changes.js';

export interface Freshness {
  /** The current stamp of `kind`, or `undefined` while changes may go unseen (keep nothing). */
  stamp(kind: ChangeKind): number | undefined;
  /** Whether something read under `stamp` may still be served. */
  isCurrent(kind: ChangeKind, stamp: number): boolean;
  stop(): Promise<void>;
}

/** Follows the database's change notifications; resolves once listening (or found lost). */
export async function followChanges(database: Database): Promise<Freshness> {
  const epochs: Record<ChangeKind, number> = { data: 0, identity: 0 };
  let listening = false;
  const move = (kind: ChangeKind) => {
    epochs.data += 1;
    if (kind === 'identity') epochs.identity += 1;
  };
  const stop = await watchChanges(database, {
    change: move,
    status(up) {
      listening = up;
      move('identity');
    },
  });
  return {
    stamp: (kind) => (listening ? epochs[kind] : undefined),
    isCurrent: (kind, stamp) => listening && epochs[kind] === stamp,
    stop,
  };
}
