/**
 * Where sign-in sends the browser back to: only a path of this app (`/…`), never `//host`,
 * `/\\host` or a full URL (no open redirect), and never the sign-in page itself. The server
 * applies the same rule to the return path of a sign-in through the identity provider
 * (`safeReturnPath` in `src/services/oidc-service.ts`): keep the two alike.
 */

export type SignInReason = 'expired' | 'signedOut';

const RETURN_PATH_MAX = 1000;

/**
 * A path of this app, safe to return to after sign-in; undefined otherwise: `/` followed by no
 * second `/`, no backslash or control character anywhere (browsers drop tabs and newlines and
 * read `\\` as `/`), not the sign-in page, not the API.
 */
export function safeReturnTo(value: string | null | undefined): string | undefined {
  if (!value || value.length > RETURN_PATH_MAX) return undefined;
  // eslint-disable-next-line no-control-regex
  if (!/^\/(?![/\\])[^\\\u0000-\u001f\u007f]*$/.test(value)) return undefined;
  if (/^\/(sign-in|api)(?:[/?#]|$)/.test(value)) return undefined;
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
