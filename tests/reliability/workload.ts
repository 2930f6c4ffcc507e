/**
 * The reliability suite's load: concurrent clients driving every workflow over real HTTP —
 * pledges, commitments (with `If-Match`, current and stale), payments, packages from draft to
 * receipt (lines, opening, allocations, authorisation, disbursement, shipments, receipts),
 * meetings and announcements, requirement lists and items, reads and analyses — every POST with
 * an `Idempotency-Key`, and retries of earlier requests with the same key.
 *
 * Every write carries a unique marker (a title, a reference, a meeting number) so that, at the
 * end, `checkExactlyOnce` can count it in the database: a write acknowledged with a 2xx is there
 * exactly once; a write refused with a 4xx is not there; a write whose outcome the client never
 * learnt (the server was killed, the database stopped) is settled by retrying its key.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import { importFxRates } from '../../src/services/fx-service.js';
import { verifyLedger } from '../../src/services/ledger-service.js';
import type { Database } from '../../src/storage/database.js';

const system = systemActor('reliability');
/** ECB rates (per EUR) for the one value date the load uses. */
const RATES = 'Date,USD,NOK,\n2025-08-04,1.1578,11.8590,\n';
const VALUE_DATE = '2025-08-04';
/** Each package holds one line: one unit at $1,000.00. */
const UNIT_COST_MINOR = 100_000n;
const DONORS = ['NLD', 'DEU', 'DNK', 'SWE', 'FIN', 'EST', 'LVA', 'LTU', 'BEL', 'CAN', 'NOR', 'ESP'];

/**
 * The environment of a `purl serve` under load: loopback on a free port, actors named by header,
 * no rate limits, no demo, every request logged (at info: the startup line is info too).
 */
export function loadServerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    PURL_DEV_ACTORS: '1',
    PURL_RATE_LIMITS: 'off',
    PURL_NO_DEMO: '1',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Rates and nothing else: run on the database before the servers start. */
export async function prepareDatabase(database: Database, dir: string): Promise<void> {
  await writeFile(join(dir, 'rates.csv'), RATES);
  await importFxRates(database, system, { file: join(dir, 'rates.csv') });
}

/** What one write was for, so its presence can be counted afterwards. */
type Marker =
  | { table: 'contribution' | 'package' | 'requirement_list'; column: 'title'; value: string }
  | { table: 'contribution_payment' | 'shipment'; column: 'reference'; value: string }
  | { table: 'meeting'; column: 'number'; value: number }
  | { table: 'allocation'; column: 'package_id'; value: string };

interface SentWrite {
  method: 'POST';
  /** Headers besides the key (If-Match): a retry sends them again, as they are part of it. */
  headers?: Record<string, string>;
  path: string;
  actor: string;
  key: string;
  body: unknown;
  marker?: Marker;
}

type Outcome = 'acknowledged' | 'refused' | 'unknown';

interface WriteRecord extends SentWrite {
  outcome: Outcome;
  status: number;
  /** The id the acknowledgement named (for replays). */
  id?: string;
  /** The error code and details of a refusal. */
  error?: string;
}

export interface LoadStats {
  requests: number;
  writes: number;
  acknowledged: number;
  refused: number;
  unknown: number;
  retriesSameKey: number;
  replaysMatched: number;
  staleIfMatch: number;
  status503: number;
  retryAfterSeen: number;
  byStatus: Record<string, number>;
  byOperation: Record<string, number>;
}

export interface Load {
  stats: LoadStats;
  writes: WriteRecord[];
  /** Failures that break the promise (a 5xx other than 503, a replay that differs). */
  violations: string[];
  stop(): Promise<void>;
}

interface ApiResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

const NETWORK_ERROR = -1;

/** The shared picture the clients build as they go (ids only; states are read fresh). */
interface World {
  approvedItemIds: string[];
  contributions: { id: string; actor: string }[];
  packages: string[];
  meetings: string[];
  lists: string[];
}

export interface LoadOptions {
  clients: number;
  /** The servers' URLs, read before each request (a restarted server has a new port). */
  targets: () => string[];
  /** Milliseconds a request may take before the client gives up on it (outcome unknown). */
  requestTimeoutMs?: number;
  seed?: number;
}

export function startLoad(world: World, options: LoadOptions): Load {
  const stats: LoadStats = {
    requests: 0,
    writes: 0,
    acknowledged: 0,
    refused: 0,
    unknown: 0,
    retriesSameKey: 0,
    replaysMatched: 0,
    staleIfMatch: 0,
    status503: 0,
    retryAfterSeen: 0,
    byStatus: {},
    byOperation: {},
  };
  const writes: WriteRecord[] = [];
  const violations: string[] = [];
  let stopped = false;
  let random = options.seed ?? 1;
  const rand = () => {
    // mulberry32: a seeded sequence, so a failing run can be repeated.
    random = (random + 0x6d2b79f5) | 0;
    let t = Math.imul(random ^ (random >>> 15), 1 | random);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T | undefined =>
    items.length === 0 ? undefined : items[Math.floor(rand() * items.length)];

  const request = async (
    method: string,
    path: string,
    actor: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResult> => {
    // While every server is down (a restart), the client waits for one.
    let base = pick(options.targets());
    while (!base && !stopped) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      base = pick(options.targets());
    }
    if (!base) return { status: NETWORK_ERROR, body: null, headers: new Headers() };
    stats.requests += 1;
    try {
      const response = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: {
          'x-purl-actor': actor,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(options.requestTimeoutMs ?? 30_000),
      });
      const text = await response.text();
      const status = response.status;
      stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
      if (status === 503) {
        stats.status503 += 1;
        if (response.headers.get('retry-after')) stats.retryAfterSeen += 1;
      }
      if (status >= 500 && status !== 503) {
        violations.push(`${method} ${path} → ${status}: ${text.slice(0, 300)}`);
      }
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      return { status, body: parsed, headers: response.headers };
    } catch {
      stats.byStatus.network = (stats.byStatus.network ?? 0) + 1;
      return { status: NETWORK_ERROR, body: null, headers: new Headers() };
    }
  };

  /** Sends a keyed write and records what the client learnt of it. */
  const write = async (
    operation: string,
    sent: Omit<SentWrite, 'method' | 'key'>,
    headers: Record<string, string> = {},
  ): Promise<ApiResult> => {
    const record: SentWrite = { method: 'POST', key: randomUUID(), headers, ...sent };
    stats.byOperation[operation] = (stats.byOperation[operation] ?? 0) + 1;
    const result = await request('POST', record.path, record.actor, record.body, {
      ...headers,
      'idempotency-key': record.key,
    });
    stats.writes += 1;
    writes.push(classify(record, result));
    return result;
  };
  const classify = (record: SentWrite, result: ApiResult): WriteRecord => {
    let outcome: Outcome;
    if (result.status >= 200 && result.status < 300) outcome = 'acknowledged';
    else if (result.status === NETWORK_ERROR || result.status >= 500) outcome = 'unknown';
    else if (result.status === 409 && result.body?.error?.code === 'IDEMPOTENCY_IN_PROGRESS')
      outcome = 'unknown';
    else outcome = 'refused';
    stats[outcome] += 1;
    const id = result.body?.id;
    const error = result.body?.error;
    return {
      ...record,
      outcome,
      status: result.status,
      ...(id ? { id: String(id) } : {}),
      ...(error ? { error: `${error.code} ${JSON.stringify(error.details ?? {})}` } : {}),
    };
  };

  const ok = (result: ApiResult) => result.status >= 200 && result.status < 300;

  const operations: [number, (client: number, seq: () => number) => Promise<void>][] = [
    // A pledge, by the donor's own contributor.
    [
      14,
      async (client, seq) => {
        const donor = DONORS[client % DONORS.length]!;
        const actor = `contributor:${donor}`;
        const title = `soak pledge ${client}-${seq()}`;
        const result = await write('pledge', {
          path: '/contributions',
          actor,
          body: {
            donorPartyId: donor,
            currency: 'EUR',
            amountMinor: String(1_000_000 + Math.floor(rand() * 9_000_000)),
            announcedOn: VALUE_DATE,
            title,
            synthetic: true,
          },
          marker: { table: 'contribution', column: 'title', value: title },
        });
        if (ok(result)) world.contributions.push({ id: String(result.body.id), actor });
      },
    ],
    // A commitment, with the If-Match of the version just read — or a stale one (412).
    [
      10,
      async () => {
        const mine = pick(world.contributions);
        if (!mine) return;
        const read = await request('GET', `/contributions/${mine.id}`, mine.actor);
        if (!ok(read)) return;
        const version = Number(read.body.version);
        if (read.body.status === 'pledged') {
          await write(
            'commit',
            {
              path: `/contributions/${mine.id}/commit`,
              actor: mine.actor,
              body: { committedOn: VALUE_DATE },
            },
            { 'if-match': `"${version}"` },
          );
        } else if (version > 1) {
          const stale = await write(
            'stale-if-match',
            {
              path: `/contributions/${mine.id}/payments`,
              actor: mine.actor,
              body: { amountMinor: '1', paidOn: '2025-08-05', reference: `stale ${randomUUID()}` },
            },
            { 'if-match': `"${version - 1}"` },
          );
          stats.staleIfMatch += 1;
          if (stale.status !== 412 && stale.status !== NETWORK_ERROR && stale.status !== 503)
            violations.push(`a stale If-Match answered ${stale.status}, not 412`);
        }
      },
    ],
    // A payment received, within what was committed.
    [
      8,
      async () => {
        const mine = pick(world.contributions);
        if (!mine) return;
        const read = await request('GET', `/contributions/${mine.id}`, 'coordinator');
        if (!ok(read) || !['committed', 'partially_paid'].includes(read.body.status)) return;
        const open = BigInt(read.body.committedMinor) - BigInt(read.body.paidMinor);
        if (open <= 0n) return;
        const reference = `soak pay ${randomUUID()}`;
        await write('payment', {
          path: `/contributions/${mine.id}/payments`,
          actor: 'coordinator',
          body: {
            amountMinor: String(1n + (open * BigInt(Math.floor(rand() * 60))) / 100n),
            paidOn: '2025-08-05',
            reference,
          },
          marker: { table: 'contribution_payment', column: 'reference', value: reference },
        });
      },
    ],
    // A new package with its line, or an open step of one.
    [
      6,
      async (client, seq) => {
        const title = `soak package ${client}-${seq()}`;
        const created = await write('package', {
          path: '/packages',
          actor: 'coordinator',
          body: { cycle: '2025-08', title, targetMinor: String(UNIT_COST_MINOR), synthetic: true },
          marker: { table: 'package', column: 'title', value: title },
        });
        if (!ok(created)) return;
        const id = String(created.body.id);
        const itemId = pick(world.approvedItemIds)!;
        const line = await write('package-line', {
          path: `/packages/${id}/lines`,
          actor: 'coordinator',
          body: { requirementItemId: itemId, quantity: 1 },
        });
        if (ok(line))
          await write('open', { path: `/packages/${id}/open`, actor: 'coordinator', body: {} });
        world.packages.push(id);
      },
    ],
    // A package moved one step along: funded, authorised, paid, shipped, received.
    [16, async (client, seq) => advancePackage(client, seq)],
    // A meeting, and what a party announced at it.
    [
      4,
      async (client, seq) => {
        const number = 1_000 + client * 5_000 + seq();
        const created = await write('meeting', {
          path: '/meetings',
          actor: 'coordinator',
          body: {
            number,
            kind: 'udcg',
            heldOn: '2025-10-15',
            place: 'Brussels',
            chairs: ['GBR', 'DEU'],
            title: `soak meeting ${number}`,
            synthetic: true,
          },
          marker: { table: 'meeting', column: 'number', value: number },
        });
        if (!ok(created)) return;
        world.meetings.push(String(created.body.id));
        await write('announcement', {
          path: `/meetings/${created.body.id}/announcements`,
          actor: 'coordinator',
          body: { partyId: pick(DONORS)!, text: `soak announcement ${number}`, synthetic: true },
        });
      },
    ],
    // A requirement list in draft, with an item.
    [
      3,
      async (client, seq) => {
        const title = `soak list ${client}-${seq()}`;
        const created = await write('requirement-list', {
          path: '/requirement-lists',
          actor: 'recipient',
          body: {
            cycle: `${2030 + client}-${String((seq() % 12) + 1).padStart(2, '0')}`,
            title,
            synthetic: true,
          },
          marker: { table: 'requirement_list', column: 'title', value: title },
        });
        if (!ok(created)) return;
        world.lists.push(String(created.body.id));
        await write('requirement-item', {
          path: `/requirement-lists/${created.body.id}/items`,
          actor: 'recipient',
          body: {
            capabilityArea: 'artillery',
            category: 'soak item',
            lethal: true,
            requestedQuantity: 5,
            unit: 'lots',
            estimatedUnitCost: { amountMinor: '100000', currency: 'USD' },
          },
        });
      },
    ],
    // A retry of an earlier write with the same key: the same answer, the command not run again.
    [
      10,
      async () => {
        const earlier = pick(writes.filter((w) => w.outcome === 'acknowledged'));
        if (!earlier) return;
        stats.retriesSameKey += 1;
        const again = await request('POST', earlier.path, earlier.actor, earlier.body, {
          ...earlier.headers,
          'idempotency-key': earlier.key,
        });
        if (again.status === NETWORK_ERROR || again.status === 503) return;
        const sameId = earlier.id === undefined || String(again.body?.id) === earlier.id;
        if (again.status === earlier.status && again.headers.get('idempotent-replayed') && sameId)
          stats.replaysMatched += 1;
        else
          violations.push(
            `a retry of ${earlier.path} with its key answered ${again.status} ` +
              `(first ${earlier.status}, id ${earlier.id} → ${again.body?.id})`,
          );
      },
    ],
    // The same keyed request sent to two servers at once: one runs it.
    [
      3,
      async (client, seq) => {
        const donor = DONORS[client % DONORS.length]!;
        const title = `soak twin ${client}-${seq()}`;
        const key = randomUUID();
        const sent: SentWrite = {
          method: 'POST',
          path: '/contributions',
          actor: `contributor:${donor}`,
          key,
          body: {
            donorPartyId: donor,
            currency: 'EUR',
            amountMinor: '100000',
            announcedOn: VALUE_DATE,
            title,
          },
          marker: { table: 'contribution', column: 'title', value: title },
        };
        stats.byOperation.twin = (stats.byOperation.twin ?? 0) + 1;
        const results = await Promise.all(
          [0, 1].map(() =>
            request('POST', sent.path, sent.actor, sent.body, { 'idempotency-key': key }),
          ),
        );
        stats.writes += 1;
        stats.retriesSameKey += 1;
        const acked = results.find(ok);
        writes.push(classify(sent, acked ?? results[0]!));
        const ids = new Set(results.filter(ok).map((r) => String(r.body.id)));
        if (ids.size > 1)
          violations.push(`one key created two contributions: ${[...ids].join(', ')}`);
      },
    ],
    // A donor lowers a pledge or commitment, with its reason (never below what is allocated).
    [
      3,
      async () => {
        const mine = pick(world.contributions);
        if (!mine) return;
        const read = await request('GET', `/contributions/${mine.id}`, mine.actor);
        if (!ok(read) || !['pledged', 'committed'].includes(read.body.status)) return;
        const amount = BigInt(
          read.body.status === 'pledged' ? read.body.pledgedMinor : read.body.committedMinor,
        );
        await write('reduce', {
          path: `/contributions/${mine.id}/reduce`,
          actor: mine.actor,
          body: {
            amountMinor: String(amount - 1n - BigInt(Math.floor(rand() * 1000))),
            reason: 'soak: revised',
          },
        });
      },
    ],
    // A package cancelled: its pending holds are voided.
    [
      1,
      async () => {
        const id = pick(world.packages);
        if (!id) return;
        await write('cancel-package', {
          path: `/packages/${id}/cancel`,
          actor: 'coordinator',
          body: { reason: 'soak: withdrawn' },
        });
      },
    ],
    // A draft list submitted, validated and approved by its three signatories.
    [
      2,
      async () => {
        const id = pick(world.lists);
        if (!id) return;
        const steps: [string, string][] = [
          ['submit', 'recipient'],
          ['validate', 'validator'],
          ['approve', 'recipient'],
          ['approve', 'coordinator'],
          ['approve', 'supplier'],
        ];
        for (const [step, actor] of steps) {
          const result = await write(`list-${step}`, {
            path: `/requirement-lists/${id}/${step}`,
            actor,
            body: {},
          });
          if (!ok(result)) return;
        }
      },
    ],
    // Reads and analyses, as the dashboards make them.
    [
      26,
      async () => {
        const path = pick([
          '/contributions?limit=50',
          '/packages?limit=50',
          '/analytics/funnel',
          '/analytics/burden-sharing',
          '/meetings',
          '/requirement-lists',
          world.packages.length ? `/packages/${pick(world.packages)}` : '/packages',
        ])!;
        stats.byOperation.read = (stats.byOperation.read ?? 0) + 1;
        await request('GET', path, 'coordinator');
      },
    ],
  ];

  async function advancePackage(_client: number, seq: () => number): Promise<void> {
    const id = pick(world.packages);
    if (!id) return;
    const read = await request('GET', `/packages/${id}`, 'coordinator');
    if (!ok(read)) return;
    const pkg = read.body;
    const price = BigInt(pkg.priceMinor ?? '0');
    if (pkg.status === 'open') {
      const gap = BigInt(pkg.gapMinor);
      if (gap <= 0n) return;
      const source = pick(world.contributions);
      if (!source) return;
      // Part of the gap, or the smallest EUR amount that closes it at 1.1578.
      const close = (gap * 10_000n + 11_577n) / 11_578n;
      const amount = rand() < 0.5 ? close : 1n + (close * BigInt(Math.floor(rand() * 70))) / 100n;
      await write('allocate', {
        path: `/packages/${id}/allocations`,
        actor: 'coordinator',
        body: { contributionId: source.id, amountMinor: String(amount), valueDate: VALUE_DATE },
        marker: { table: 'allocation', column: 'package_id', value: id },
      });
    } else if (pkg.status === 'funded') {
      await write('authorize', {
        path: `/packages/${id}/authorize`,
        actor: 'supplier',
        body: {
          reference: `US-SOAK-${seq()}`,
          authorizedOn: '2025-08-20',
          finalPriceMinor: String(price),
        },
      });
    } else if (pkg.status === 'authorized' || pkg.status === 'in_delivery') {
      if (BigInt(pkg.disbursedMinor) < price) {
        await write('disburse', {
          path: `/packages/${id}/disbursements`,
          actor: 'coordinator',
          body: { amountMinor: String(price - BigInt(pkg.disbursedMinor)), paidOn: '2025-09-01' },
        });
        return;
      }
      const deliveries = await request('GET', `/packages/${id}/deliveries`, 'coordinator');
      if (!ok(deliveries)) return;
      const shipment = deliveries.body.shipments[0];
      const lineId = pkg.lines[0]?.id;
      if (!lineId) return;
      if (!shipment) {
        const reference = `SOAK-SHIP-${randomUUID()}`;
        await write('shipment', {
          path: `/packages/${id}/shipments`,
          actor: 'supplier',
          body: {
            reference,
            plannedOn: '2025-09-05',
            lines: [{ packageLineId: lineId, quantity: 1 }],
          },
          marker: { table: 'shipment', column: 'reference', value: reference },
        });
      } else if (shipment.status === 'planned' || shipment.status === 'dispatched') {
        const next = shipment.status === 'planned' ? 'dispatched' : 'handed_over';
        await write('shipment-status', {
          path: `/shipments/${shipment.id}/status`,
          actor: 'supplier',
          body: { status: next, on: next === 'dispatched' ? '2025-09-08' : '2025-09-12' },
        });
      } else if (shipment.status === 'handed_over' && deliveries.body.receipts.length === 0) {
        await write('receipt', {
          path: `/shipments/${shipment.id}/receipt`,
          actor: 'recipient',
          body: {
            receivedOn: '2025-09-13',
            lines: [{ packageLineId: lineId, receivedQuantity: 1 }],
          },
        });
      }
    }
  }

  const total = operations.reduce((sum, [weight]) => sum + weight, 0);
  const clients = Array.from({ length: options.clients }, async (_, client) => {
    let counter = 0;
    const seq = () => (counter += 1);
    while (!stopped) {
      let roll = rand() * total;
      const operation = operations.find(([weight]) => (roll -= weight) < 0) ?? operations[0]!;
      await operation[1](client, seq);
    }
  });
  return {
    stats,
    writes,
    violations,
    async stop() {
      stopped = true;
      await Promise.all(clients);
    },
  };
}

/** An approved requirement list whose items the packages draw on (through the API). */
export async function createWorld(url: string): Promise<World> {
  const call = async (path: string, actor: string, body: unknown) => {
    const response = await fetch(`${url}/api/v1${path}`, {
      method: 'POST',
      headers: { 'x-purl-actor': actor, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { id: string };
    expect(response.status, JSON.stringify(json)).toBeLessThan(300);
    return json;
  };
  const list = await call('/requirement-lists', 'recipient', {
    cycle: '2025-08',
    title: 'Reliability list (synthetic)',
    synthetic: true,
  });
  const approvedItemIds: string[] = [];
  for (const area of ['artillery', 'air_missile_defence', 'drones']) {
    const item = await call(`/requirement-lists/${list.id}/items`, 'recipient', {
      capabilityArea: area,
      category: `${area} (synthetic)`,
      lethal: true,
      requestedQuantity: 1_000_000,
      unit: 'units',
      estimatedUnitCost: { amountMinor: String(UNIT_COST_MINOR), currency: 'USD' },
    });
    approvedItemIds.push(String(item.id));
  }
  await call(`/requirement-lists/${list.id}/submit`, 'recipient', {});
  await call(`/requirement-lists/${list.id}/validate`, 'validator', {});
  for (const role of ['recipient', 'coordinator', 'supplier'])
    await call(`/requirement-lists/${list.id}/approve`, role, {});
  return { approvedItemIds, contributions: [], packages: [], meetings: [], lists: [] };
}

/**
 * Settles every write whose outcome the client never learnt by sending it again with its key,
 * as a client would once the service is back: a 2xx (replayed or run now) or
 * IDEMPOTENCY_ANSWER_LOST (it committed before the crash) is acknowledged; a refusal is refused;
 * a reservation left by a dead server (IDEMPOTENCY_IN_PROGRESS) means it never committed.
 */
export async function settleUnknown(load: Load, url: string): Promise<number> {
  let settled = 0;
  for (const record of load.writes) {
    if (record.outcome !== 'unknown') continue;
    const response = await fetch(`${url}/api/v1${record.path}`, {
      method: 'POST',
      headers: {
        'x-purl-actor': record.actor,
        'content-type': 'application/json',
        ...record.headers,
        'idempotency-key': record.key,
      },
      body: JSON.stringify(record.body),
    });
    const body = (await response.json()) as { id?: string; error?: { code: string } };
    settled += 1;
    record.status = response.status;
    if (response.status < 300 || body.error?.code === 'IDEMPOTENCY_ANSWER_LOST') {
      record.outcome = 'acknowledged';
    } else if (response.status >= 500) {
      load.violations.push(`settling ${record.path} answered ${response.status}`);
    } else {
      // Refused now, or reserved by a dead server and never committed: either way not run.
      record.outcome = 'refused';
    }
  }
  return settled;
}

const text = (value: unknown) =>
  JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).slice(0, 2000);

export interface ExactlyOnce {
  acknowledgedChecked: number;
  refusedChecked: number;
  lost: number;
  duplicated: number;
  unexpected: number;
  /** Events in the audit chain and transfers in the ledger, both verified. */
  auditEvents: number;
  transfers: number;
}

/**
 * Counts every marked write in the database: an acknowledged one is there exactly once, a
 * refused one is not there. Allocations have no marker of their own: each package holds as many
 * as were acknowledged for it. Then `ledger verify` and `audit verify`.
 */
export async function checkExactlyOnce(database: Database, load: Load): Promise<ExactlyOnce> {
  const result: ExactlyOnce = {
    acknowledgedChecked: 0,
    refusedChecked: 0,
    lost: 0,
    duplicated: 0,
    unexpected: 0,
    auditEvents: 0,
    transfers: 0,
  };
  const problems: string[] = [];
  const counts = new Map<string, Map<string, number>>();
  const countsOf = async (table: Marker['table'], column: Marker['column']) => {
    const name = `${table}.${column}`;
    let map = counts.get(name);
    if (!map) {
      const rows = await database.kysely
        .selectFrom(table as 'contribution')
        .select((eb) => [eb.ref(column as 'title').as('value'), eb.fn.countAll<string>().as('n')])
        .groupBy(column as 'title')
        .execute();
      map = new Map(rows.map((row) => [String(row.value), Number(row.n)]));
      counts.set(name, map);
    }
    return map;
  };
  const allocationsAcknowledged = new Map<string, number>();
  for (const record of load.writes) {
    const marker = record.marker;
    if (!marker) continue;
    if (record.outcome === 'unknown') problems.push(`unsettled: ${record.path}`);
    if (marker.table === 'allocation') {
      if (record.outcome === 'acknowledged')
        allocationsAcknowledged.set(
          marker.value,
          (allocationsAcknowledged.get(marker.value) ?? 0) + 1,
        );
      continue;
    }
    const n = (await countsOf(marker.table, marker.column)).get(String(marker.value)) ?? 0;
    if (record.outcome === 'acknowledged') {
      result.acknowledgedChecked += 1;
      if (n === 0) {
        result.lost += 1;
        problems.push(`lost: ${marker.table} ${marker.value}`);
      } else if (n > 1) {
        result.duplicated += 1;
        problems.push(`duplicated ×${n}: ${marker.table} ${marker.value}`);
      }
    } else if (record.outcome === 'refused') {
      result.refusedChecked += 1;
      if (n !== 0) {
        result.unexpected += 1;
        problems.push(
          `refused yet present: ${marker.table} ${marker.value} (status ${record.status})`,
        );
      }
    }
  }
  const allocations = await countsOf('allocation', 'package_id');
  const packagesWithAllocations = new Set([
    ...allocationsAcknowledged.keys(),
    ...allocations.keys(),
  ]);
  for (const packageId of packagesWithAllocations) {
    const acknowledged = allocationsAcknowledged.get(packageId) ?? 0;
    const present = allocations.get(packageId) ?? 0;
    result.acknowledgedChecked += acknowledged;
    if (present < acknowledged) {
      result.lost += acknowledged - present;
      problems.push(
        `package ${packageId}: ${acknowledged} allocations acknowledged, ${present} held`,
      );
    } else if (present > acknowledged) {
      result.duplicated += present - acknowledged;
      problems.push(
        `package ${packageId}: ${present} allocations held, ${acknowledged} acknowledged`,
      );
    }
  }
  expect(problems, problems.slice(0, 20).join('\n')).toEqual([]);
  const ledger = await verifyLedger(database, system);
  expect(ledger.ok, text(ledger)).toBe(true);
  const audit = await verifyAudit(database, system);
  expect(audit.ok, text(audit)).toBe(true);
  result.auditEvents = Number(audit.events);
  const transfers = await database.kysely
    .selectFrom('ledger_transfer')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  result.transfers = Number(transfers.n);
  return result;
}

/** Keeps a run's figures in `tests/reliability/.last-run/NAME.json` (for RELIABILITY.md). */
export async function keepLastRun(name: string, figures: unknown): Promise<void> {
  const dir = fileURLToPath(new URL('./.last-run/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const json = JSON.stringify({ at: new Date().toISOString(), ...(figures as object) }, null, 2);
  await writeFile(join(dir, `${name}.json`), `${json}\n`);
  console.log(`${name.toUpperCase()} SUMMARY ${JSON.stringify(figures)}`);
}
