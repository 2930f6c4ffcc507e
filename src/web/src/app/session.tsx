/**
 * The signed-in session as the app knows it, and what happens when it ends.
 *
 * Rules:
 * - `RequireSession` guards every signed-in page: it asks `GET /auth/me`; without a session it
 *   sends the browser to `/sign-in?returnTo=<this page>` (with `reason=expired` when this tab
 *   had been signed in), so after signing in one lands where one was.
 * - `SessionWatcher` listens for a 401 on any call (the session expired, was revoked, or ended
 *   elsewhere): it drops every cached answer and goes to sign-in the same way.
 * - `returnTo` is only ever a path of this app (`/…`, never `//…` or a URL): no open redirect.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, use, useEffect, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { onUnauthorized } from '../api/client';
import { isRole, type Me, type Role } from '../api/auth';
import { signInPath } from './return-path';

export { safeReturnTo, signInPath, type SignInReason } from './return-path';

export interface Session {
  me: Me;
  role: Role;
  partyId: string | null;
  displayName: string;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext value={session}>{children}</SessionContext>;
}

/** The session of a signed-in page (inside `RequireSession`). */
export function useSession(): Session {
  const session = use(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

/** The session if one is known (public pages may be seen signed in or not). */
export function useOptionalSession(): Session | null {
  return use(SessionContext);
}

export function sessionOf(me: Me): Session | null {
  if (!isRole(me.role)) return null;
  return {
    me,
    role: me.role,
    partyId: me.partyId,
    displayName: me.user?.displayName ?? me.role,
  };
}

const SIGNED_IN_MARKER = 'purl.signedIn';

/** Remembers, for this tab, that a session was open (so its end reads "expired"). */
export function markSignedIn(signedIn: boolean): void {
  try {
    if (signedIn) window.sessionStorage.setItem(SIGNED_IN_MARKER, '1');
    else window.sessionStorage.removeItem(SIGNED_IN_MARKER);
  } catch {
    // Storage disabled: the sign-in page then says nothing about an expiry.
  }
}

export function wasSignedIn(): boolean {
  try {
    return window.sessionStorage.getItem(SIGNED_IN_MARKER) === '1';
  } catch {
    return false;
  }
}

const ME_PATH = '/api/v1/auth/me';

/** Sends the browser to sign-in when any call answers 401 on a signed-in page. */
export function SessionWatcher() {
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const here = `${location.pathname}${location.search}`;
  useEffect(
    () =>
      onUnauthorized((path) => {
        // `RequireSession` handles its own question; on the sign-in page there is nothing to do.
        if (path === ME_PATH || window.location.pathname === '/sign-in') return;
        const reason = wasSignedIn() ? 'expired' : undefined;
        markSignedIn(false);
        navigate(signInPath(here, reason), { replace: true });
        queryClient.clear();
      }),
    [navigate, queryClient, here],
  );
  return null;
}
