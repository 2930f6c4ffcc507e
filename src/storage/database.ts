/**
 * The one database factory. PGlite (PostgreSQL compiled to WebAssembly) by default — a data
 * folder from `PURL_DATA_DIR` (default `./data`), or in memory — and a real PostgreSQL server
 * when `DATABASE_URL` is set. Both speak the same SQL; both return int8 as bigint, numeric as an
 * exact decimal string and date as `YYYY-MM-DD`, so nothing above this file can tell them apart.
 */
import { readdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import { Mutex } from './mutex.js';
import type { Schema } from './schema.js';

export type Engine = 'pglite' | 'postgres';

/** A single connection that can run parameterised queries and multi-statement scripts. */
export interface RawConnection {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of several statements (no parameters), e.g. a migration file. */
  exec(script: string): Promise<void>;
}

export interface Database {
  readonly engine: Engine;
  /** Where the data lives, for display: a folder, `memory`, or the server without password. */
  readonly location: string;
  readonly kysely: Kysely<Schema>;
  /** Borrows one connection for the duration of `fn` (exclusive on PGlite). */
  withConnection<T>(fn: (connection: RawConnection) => Promise<T>): Promise<T>;
  /**
   * Receives the NOTIFY messages of `channel`, committed by any connection, until the returned
   * function is called. PostgreSQL: on a connection of its own, reconnecting (with back-off)
   * after it is lost; `status(false)` says messages may have been missed since. PGlite: in
   * process, never down.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
  /**
   * PGlite only: the whole data folder as one tar file (PGlite's `dumpDataDir`), taken under
   * the connection's mutex so no transaction is half in it. `openDatabase({ template })`
   * starts a fresh folder from it.
   */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export interface ListenHandlers {
  message(payload: string): void;
  /** `true` once listening (again); `false` when the connection is lost. */
  status(listening: boolean): void;
}

/** Reconnection delays of a lost listening connection: doubled from the first to the last. */
export const LISTEN_RETRY_MS = { first: 100, last: 5_000 } as const;

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; default `DATABASE_URL`. */
  url?: string | undefined;
  /** PGlite data folder; default `PURL_DATA_DIR` or `./data`. Ignored when `url` is set. */
  dataDir?: string | undefined;
  /**
   * PGlite: a fresh data folder starts as a copy of this dump (`Database.dumpDataDir`, plain or
   * gzip tar) instead of an empty cluster. Ignored by PostgreSQL and by a folder that exists.
   */
  template?: Blob | undefined;
  /** PGlite in memory (tests). */
  memory?: boolean;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
}

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;
const DATE_OID = 1082;
const NUMERIC_OID = 1700;

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const url = options.url ?? (options.memory ? undefined : process.env.DATABASE_URL);
  if (url) return openPostgres(url, options.poolSize ?? 10);
  const dataDir = options.memory ? undefined : (options.dataDir ?? pgliteDataDirFromEnv());
  return openPglite(dataDir, options.template);
}

/** The PGlite data folder `openDatabase` uses when given none: `PURL_DATA_DIR`, else `./data`. */
export function pgliteDataDirFromEnv(): string {
  return process.env.PURL_DATA_DIR || './data';
}

/** Whether a PGlite data folder is fresh: absent, or empty (an initialised one never is). */
export async function isFreshDataDir(dataDir: string): Promise<boolean> {
  const entries = await readdir(dataDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries.length === 0;
}

async function openPglite(dataDir: string | undefined, template?: Blob): Promise<Database> {
  const pglite = await PGlite.create(dataDir, {
    ...(template ? { loadDataDir: template } : {}),
    parsers: {
      [INT8_OID]: (value: string) => BigInt(value),
      [DATE_OID]: (value: string) => value,
      [NUMERIC_OID]: (value: string) => value,
    },
  });
  // PGlite is one connection: a mutex gives each borrower (a Kysely query or transaction, a
  // migration, a script) exclusive use, so transactions never interleave.
  const mutex = new Mutex();
  const connection: RawConnection = {
    async query<R>(text: string, params: readonly unknown[] = []) {
      const result = await pglite.query<R>(text, params as unknown[]);
      return result.rows;
    },
    async exec(script: string) {
      await pglite.exec(script);
    },
  };
  return {
    engine: 'pglite',
    location: dataDir ?? 'memory',
    kysely: new Kysely<Schema>({ dialect: new PGliteDialect({ pglite, mutex }) }),
    async withConnection(fn) {
      const release = await mutex.acquire();
      try {
        return await fn(connection);
      } finally {
        release();
      }
    },
    async listen(channel, handlers) {
      // Under the mutex: PGlite is one connection, and a LISTEN sent inside someone's open
      // transaction would be undone by its rollback.
      const release = await mutex.acquire();
      let unlisten: () => Promise<void>;
      try {
        unlisten = await pglite.listen(channel, handlers.message);
      } finally {
        release();
      }
      handlers.status(true);
      return async () => {
        const again = await mutex.acquire();
        try {
          if (!pglite.closed) await unlisten();
        } finally {
          again();
        }
      };
    },
    async dumpDataDir() {
      const release = await mutex.acquire();
      try {
        return await pglite.dumpDataDir('none');
      } finally {
        release();
      }
    },
    async close() {
      // Wait for the current borrower, close, and let queued ones through: they fail fast
      // on the closed instance instead of waiting forever.
      const release = await mutex.acquire();
      try {
        if (!pglite.closed) await pglite.close();
      } finally {
        release();
      }
    },
  };
}

function postgresTypes(): pg.CustomTypesConfig {
  const parseInt8Array = pg.types.getTypeParser(INT8_ARRAY_OID as never, 'text');
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8_OID) return (value: string) => BigInt(value);
      if (oid === INT8_ARRAY_OID)
        return (value: string) => (parseInt8Array(value) as string[]).map((v) => BigInt(v));
      if (oid === DATE_OID || oid === NUMERIC_OID) return (value: string) => value;
      return pg.types.getTypeParser(oid, format ?? 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: postgresTypes() });
  // A client losing its server (restart, failover, the server stopped) must not crash the
  // process: idle ones report to the pool, and a client in use reports on itself — its query
  // in flight fails (→ DATABASE_UNAVAILABLE, 503) and the pool drops it.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const safeUrl = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

  // The channels this process listens to are also listened to by every pooled connection it
  // uses: PostgreSQL sends a session's own notifications before the ReadyForQuery of its COMMIT,
  // so this process knows of its own changes before any of its writes resolves, whatever path
  // made them. (Other processes' changes come through `listen`'s own connection.)
  const channels = new Map<string, Set<(payload: string) => void>>();
  const joined = new WeakMap<pg.PoolClient, Set<string>>();
  const connect = async (): Promise<pg.PoolClient> => {
    const client = await pool.connect();
    let listening = joined.get(client);
    if (!listening) {
      listening = new Set();
      joined.set(client, listening);
      client.on('notification', (message) => {
        for (const deliver of channels.get(message.channel) ?? []) deliver(message.payload ?? '');
      });
    }
    try {
      for (const channel of channels.keys()) {
        if (listening.has(channel)) continue;
        await client.query(`LISTEN ${quoteIdentifier(channel)}`);
        listening.add(channel);
      }
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    return client;
  };

  return {
    engine: 'postgres',
    location: safeUrl,
    kysely: new Kysely<Schema>({
      dialect: new PostgresDialect({ pool: { connect, end: () => pool.end() } }),
    }),
    async withConnection(fn) {
      const client = await connect();
      try {
        return await fn({
          async query<R>(text: string, params: readonly unknown[] = []) {
            const result = await client.query(text, params as unknown[]);
            return result.rows as R[];
          },
          async exec(script: string) {
            await client.query(script);
          },
        });
      } finally {
        client.release();
      }
    },
    async listen(channel, handlers) {
      const deliveries = channels.get(channel) ?? new Set();
      channels.set(channel, deliveries);
      deliveries.add(handlers.message);
      const stop = await listenPostgres(url, channel, handlers);
      return async () => {
        deliveries.delete(handlers.message);
        await stop();
      };
    },
    async close() {
      await pool.end();
    },
  };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `LISTEN` on a connection of its own, re-established after a loss until stopped. */
async function listenPostgres(
  url: string,
  channel: string,
  handlers: ListenHandlers,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delay: number = LISTEN_RETRY_MS.first;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      next.removeAllListeners('notification');
      void next.end().catch(() => undefined);
      if (client === next) client = undefined;
      if (stopped) return;
      handlers.status(false);
      retry = setTimeout(() => {
        retry = undefined;
        void connect().catch(() => undefined);
      }, delay);
      retry.unref();
      delay = Math.min(delay * 2, LISTEN_RETRY_MS.last);
    };
    next.on('error', onLost);
    next.on('end', onLost);
    next.on('notification', (message) => {
      if (message.channel === channel) handlers.message(message.payload ?? '');
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${quoteIdentifier(channel)}`);
    } catch (error) {
      onLost();
      throw error;
    }
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    delay = LISTEN_RETRY_MS.first;
    handlers.status(true);
  };

  // A first failure is not thrown: it is reported as `status(false)` and retried like a loss.
  await connect().catch(() => undefined);
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const current = client;
    client = undefined;
    if (current) await current.end().catch(() => undefined);
  };
}
