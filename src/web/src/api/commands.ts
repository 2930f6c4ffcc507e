/**
 * The one way the app sends a write: `useCommand(send, refresh)` is TanStack Query's mutation
 * over an openapi-fetch call, its answer unwrapped (data, or an `ApiError` thrown), then what the
 * command changed refreshed — after success, after a refusal (say, a stale version) or after
 * either. Writes to a versioned record send `ifMatch(version)`; creates may send an
 * `idempotencyKey()` (one per form submission).
 */
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { unwrap } from './client';

/** `If-Match` for a record at `version`. */
export function ifMatch(version: number): { 'If-Match': string } {
  return { 'If-Match': `"${version}"` };
}

/** An `Idempotency-Key`: `key` when given (the form's), else a fresh one. */
export function idempotencyKey(key: string = crypto.randomUUID()): { 'Idempotency-Key': string } {
  return { 'Idempotency-Key': key };
}

/** What an openapi-fetch call resolves to. */
export interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** What to refresh once the server answered. Each may return a promise the mutation awaits. */
export interface CommandRefresh<TInput, TResult> {
  /** After the server accepted the command, with its answer. */
  onSuccess?: (client: QueryClient, result: TResult, input: TInput) => unknown;
  /** After a refusal. */
  onError?: (client: QueryClient, error: Error, input: TInput) => unknown;
  /** After either. */
  onSettled?: (client: QueryClient, input: TInput) => unknown;
}

export function useCommand<TInput, TResult>(
  send: (input: TInput) => Promise<Answer<TResult>>,
  refresh: CommandRefresh<TInput, TResult> = {},
) {
  const client = useQueryClient();
  return useMutation<TResult, Error, TInput>({
    mutationFn: (input) => unwrap(send(input)),
    onSuccess: (result, input) => refresh.onSuccess?.(client, result, input),
    onError: (error, input) => refresh.onError?.(client, error, input),
    onSettled: (_result, _error, input) => refresh.onSettled?.(client, input),
  });
}
