/**
 * Who an actor id of the API is, as the page says it: the reader ("you"), a user (`user:12`,
 * or one of its API tokens `user:12/token:3`), or the system (`system:demo`: the CLI, the demo
 * loader). Pure.
 */
export type Signer =
  | { kind: 'you' }
  | { kind: 'user'; userId: string }
  | { kind: 'system'; name: string }
  | { kind: 'other'; id: string };

const USER = /^user:(\d{1,19})(?:\/token:\d{1,19})?$/;

export function signerOf(actorId: string, myUserId: string | undefined): Signer {
  const user = USER.exec(actorId);
  if (user) return user[1] === myUserId ? { kind: 'you' } : { kind: 'user', userId: user[1]! };
  if (actorId.startsWith('system:')) return { kind: 'system', name: actorId.slice(7) };
  return { kind: 'other', id: actorId };
}
