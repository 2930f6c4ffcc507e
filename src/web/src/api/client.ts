/**
 * The one way the app talks to the server: openapi-fetch over the types generated from the
 * server's OpenAPI document (`schema.d.ts`, `npm run web:api-types`), so a path, a parameter
 * or a response field the server does not have fails to compile.
 *
 * Rules:
 * - Same origin, with the session cookie (`credentials: 'same-origin'`).
 * - Every write (POST, PUT, PATCH, DELETE) carries `X-CSRF-Token` = the `purl_csrf` cookie the
 *   server set at sign-in (double-submit: the server compares it with the session).
 * - A 401 on any call but sign-in itself tells the session listeners (`onUnauthorized`): the
 *   session ended (expired, revoked, signed out elsewhere) and the app goes back to sign-in.
 * - `unwrap` turns an answer into its data or throws an `ApiError` (code, field, message).
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError, apiErrorOf } from './errors';
import type { paths } from './schema';

export const CSRF_COOKIE = 'purl_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
const LOGIN_PATH = '/api/v1/auth/login';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The value of a cookie readable by the page, if set. */
export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

type UnauthorizedListener = (path: string) => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Calls `listener` whenever the server answers 401 (not for sign-in); returns the unsubscribe. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    if (!WRITE_METHODS.has(request.method)) return request;
    const token = readCookie(CSRF_COOKIE);
    if (token) request.headers.set(CSRF_HEADER, token);
    return request;
  },
  onResponse({ response, schemaPath }) {
    if (response.status === 401 && schemaPath !== LOGIN_PATH) {
      for (const listener of unauthorizedListeners) listener(schemaPath);
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(sessionMiddleware);

/** The data of a successful answer, or an `ApiError` thrown for a refusal or a network failure. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'NETWORK', message: String(error) });
  }
  if (result.response.ok && result.error === undefined) return result.data as T;
  throw apiErrorOf(result.response, result.error);
}

/** Every page of a cursor-paged list, up to `maxPages` pages of 200. */
export async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  maxPages = 20,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await fetchPage(cursor);
    items.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return items;
}
