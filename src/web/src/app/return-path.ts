/**
 * Where sign-in sends the browser back to: only a path of this app (`/…`), never `//host`,
 * `/\\host` or a full URL (no open redirect), and never the sign-in page itself.
 */

export type SignInReason = 'expired' | 'signedOut';

/** A path of this app, safe to return to after sign-in; undefined otherwise. */
export function safeReturnTo(value: string | null | undefined): string | undefined {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return undefined;
  }
  if (value.startsWith('/sign-in')) return undefined;
  return value;
}

/** `/sign-in?returnTo=…&reason=…`. */
export function signInPath(returnTo?: string, reason?: SignInReason): string {
  const search = new URLSearchParams();
  const target = safeReturnTo(returnTo);
  if (target && target !== '/') search.set('returnTo', target);
  if (reason) search.set('reason', reason);
  const text = search.toString();
  return text ? `/sign-in?${text}` : '/sign-in';
}
