/**
 * The API called in process (`app.inject`) as a development actor (`x-purl-actor`): `call`
 * answers anything, `ok` expects a 2xx and gives the body. `app` is read at each call (suites
 * build it in `beforeAll`).
 */
import { expect } from 'vitest';
import type { App } from '../../src/http/app.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
/** A response body as the tests read it (`response.json()`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface InProcessApi {
  call(
    method: Method,
    url: string,
    actor: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Json; headers: Record<string, unknown> }>;
  ok(
    method: Method,
    url: string,
    actor: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Json>;
}

export function inProcessApi(app: () => App): InProcessApi {
  const call: InProcessApi['call'] = async (method, url, actor, body, headers = {}) => {
    const response = await app().inject({
      method,
      url: `/api/v1${url}`,
      headers: { 'x-purl-actor': actor, ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return { status: response.statusCode, body: response.json(), headers: response.headers };
  };
  const ok: InProcessApi['ok'] = async (...args) => {
    const r = await call(...args);
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    return r.body;
  };
  return { call, ok };
}

/** A validated requirement list approved by the three parties that must approve it. */
export async function approveByAllParties(api: InProcessApi, listId: string): Promise<void> {
  for (const role of ['recipient', 'coordinator', 'supplier']) {
    await api.ok('POST', `/requirement-lists/${listId}/approve`, role, {});
  }
}
