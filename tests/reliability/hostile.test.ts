/**
 * Hostile input, on both engines, through the API in process: SQL-injection, script, formula
 * and awkward Unicode payloads in every free-text field of every create and edit route come back
 * byte for byte (or trimmed, where the service trims; or refused with 400 naming the field,
 * where the field has a stricter format or is too short for the payload), the tables are still
 * there and the ledger and the audit chain verify afterwards; no answer is a 5xx. Then: bodies
 * and import files over their limits are refused with `LIMIT_EXCEEDED` and write nothing; no URL
 * reaches a file outside the web build (`/etc/passwd`, the project's package.json); the CLI's
 * file arguments that are a directory, missing, a device or a symbolic-link loop fail naming the
 * file; and every list exported as CSV or XLSX neutralises cells a spreadsheet would take for a
 * formula, while numbers stay numbers.
 *
 * Writes one `HOSTILE SUMMARY {json}` line and `tests/reliability/.last-run/hostile.json`.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { isDomainError } from '../../src/core/errors.js';
import { LIMITS } from '../../src/core/limits.js';
import { buildApp, type App } from '../../src/http/app.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import { writeCsv } from '../../src/services/exports/csv-writer.js';
import { writeXlsx } from '../../src/services/exports/xlsx-writer.js';
import { openExport } from '../../src/services/exports/datasets.js';
import { importFxRates } from '../../src/services/fx-service.js';
import { importContributions } from '../../src/services/imports/contributions-import.js';
import { verifyLedger } from '../../src/services/ledger-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import { HOSTILE_PAYLOADS } from './hostile-payloads.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PURL = join(ROOT, 'bin/purl.js');
const SUMMARY_FILE = join(ROOT, 'tests/reliability/.last-run/hostile.json');
const system = systemActor('test:hostile');
const startedMs = performance.now();

/** Characters that start a formula in a spreadsheet (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number: a number, never a formula, whatever its sign. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

interface Summary {
  payloads: number;
  engines: string[];
  fields: Set<string>;
  routes: Set<string>;
  stored: number;
  trimmed: Set<string>;
  refused: Map<string, number>;
  queries: number;
  exportedCells: number;
  neutralisedCells: number;
  traversalUrls: number;
  cliCases: number;
  nulStatuses?: number[];
}

const summary: Summary = {
  payloads: HOSTILE_PAYLOADS.length,
  engines: [],
  fields: new Set(),
  routes: new Set(),
  stored: 0,
  trimmed: new Set(),
  refused: new Map(),
  queries: 0,
  exportedCells: 0,
  neutralisedCells: 0,
  traversalUrls: 0,
  cliCases: 0,
};

afterAll(async () => {
  const json = {
    payloads: summary.payloads,
    engines: summary.engines,
    fieldsCovered: summary.fields.size,
    fields: [...summary.fields].sort(),
    routesCovered: summary.routes.size,
    routes: [...summary.routes].sort(),
    payloadFieldPairs: summary.payloads * summary.fields.size,
    storedChecks: summary.stored,
    trimmedBy: [...summary.trimmed].sort(),
    refusedAs400: Object.fromEntries([...summary.refused].sort()),
    hostileQueries: summary.queries,
    exportedCellsChecked: summary.exportedCells,
    neutralisedCells: summary.neutralisedCells,
    traversalUrls: summary.traversalUrls,
    cliCases: summary.cliCases,
    nulCharacterStatuses: summary.nulStatuses,
    seconds: Number(((performance.now() - startedMs) / 1000).toFixed(1)),
  };
  console.log(`HOSTILE SUMMARY ${JSON.stringify(json)}`);
  await mkdir(join(ROOT, 'tests/reliability/.last-run'), { recursive: true });
  await writeFile(SUMMARY_FILE, `${JSON.stringify(json, null, 2)}\n`);
});

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of many shapes
  body: any;
}

/** Months from 2030-01 on: one requirement list per cycle. */
function cycleOf(index: number): string {
  const month = index % 12;
  return `${2030 + Math.floor(index / 12)}-${String(month + 1).padStart(2, '0')}`;
}

describe.each(ENGINES)('hostile input on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let dir: string;
  /** Approved requirement items, one per payload, each for one package. */
  const items: string[] = [];
  let funding = '';

  const call = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    actor: string,
    body?: unknown,
  ): Promise<Reply> => {
    const response = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { 'x-purl-actor': actor },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    const reply = { status: response.statusCode, body: response.json() };
    expect(reply.status, `${method} ${url}: ${response.body.slice(0, 500)}`).toBeLessThan(500);
    return reply;
  };
  const ok = async (...args: Parameters<typeof call>) => {
    const reply = await call(...args);
    expect(reply.status, `${args[0]} ${args[1]}: ${JSON.stringify(reply.body)}`).toBeLessThan(300);
    return reply.body;
  };

  /**
   * The payload was stored as sent (or trimmed, by a service that trims), read back by `read`;
   * or refused with 400 `VALIDATION_FAILED` naming the field, only where that is expected: a
   * field of a stricter format (`strict`), or a payload longer than the field's `max`.
   */
  async function expectKept(o: {
    route: string;
    field: string;
    payload: string;
    reply: Reply;
    read: () => Promise<unknown>;
    max?: number;
    strict?: boolean;
    /** A rule of the field's own (Ukrainian names are Cyrillic) may refuse it. */
    mayRefuse?: boolean;
  }): Promise<boolean> {
    const key = `${o.route} ${o.field}`;
    summary.fields.add(key);
    summary.routes.add(o.route);
    const what = `${key} ← ${JSON.stringify(o.payload)}: ${JSON.stringify(o.reply.body)}`;
    if (o.reply.status >= 300) {
      expect(o.reply.status, what).toBe(400);
      expect(o.reply.body.error.code, what).toBe('VALIDATION_FAILED');
      const field = String(o.reply.body.error.details.field);
      expect(field.split('.').includes(o.field.split('.').at(-1) ?? ''), what).toBe(true);
      expect(o.strict === true || o.mayRefuse === true || o.payload.length > (o.max ?? Infinity), what).toBe(true); // prettier-ignore
      summary.refused.set(key, (summary.refused.get(key) ?? 0) + 1);
      return false;
    }
    expect(o.strict, `${what}: a field of a stricter format took it`).not.toBe(true);
    const stored = await o.read();
    if (stored !== o.payload) {
      expect(stored, what).toBe(o.payload.trim());
      summary.trimmed.add(key);
    }
    summary.stored++;
    return true;
  }

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true, rateLimits: false });
    await app.ready();
    dir = await mkdtemp(join(tmpdir(), 'purl-hostile-'));
    await writeFile(join(dir, 'rates.csv'), 'Date,USD,\n2025-08-04,1.1578,\n');
    await importFxRates(t.database, system, { file: join(dir, 'rates.csv') });
    summary.engines.push(engine);
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('requirement lists and items keep every payload in every text field', async () => {
    for (const [i, p] of HOSTILE_PAYLOADS.entries()) {
      const reply = await call('POST', '/requirement-lists', 'recipient', {
        cycle: cycleOf(i),
        title: p,
        sourceNote: p,
      });
      const read = async () => ok('GET', `/requirement-lists/${reply.body.id}`, 'recipient');
      const route = 'POST /requirement-lists';
      await expectKept({ route, field: 'title', payload: p, reply, read: async () => (await read()).title }); // prettier-ignore
      await expectKept({ route, field: 'sourceNote', payload: p, reply, read: async () => (await read()).sourceNote }); // prettier-ignore
    }

    const list = await ok('POST', '/requirement-lists', 'recipient', {
      cycle: '2025-08',
      title: 'Hostile chain',
    });
    const route = 'POST /requirement-lists/:id/items';
    const itemBody = (p: string, over: Record<string, unknown> = {}) => ({
      capabilityArea: 'artillery',
      category: p,
      lethal: false,
      requestedQuantity: 1,
      unit: p,
      estimatedUnitCost: { amountMinor: '100', currency: 'USD' },
      description: p,
      justification: p,
      ...over,
    });
    const created: { id: string; payload: string }[] = [];
    for (const p of HOSTILE_PAYLOADS) {
      let reply = await call('POST', `/requirement-lists/${list.id}/items`, 'recipient', itemBody(p)); // prettier-ignore
      if (reply.status === 400) {
        // The unit is the shortest field: keep the others' check with a plain unit.
        await expectKept({ route, field: 'unit', payload: p, reply, read: async () => null, max: 50 }); // prettier-ignore
        reply = await call('POST', `/requirement-lists/${list.id}/items`, 'recipient', itemBody(p, { unit: 'units' })); // prettier-ignore
      }
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      created.push({ id: reply.body.id, payload: p });
      items.push(reply.body.id);
    }
    const afterCreate = await ok('GET', `/requirement-lists/${list.id}`, 'recipient');
    const itemOf = (body: { items: { id: string }[] }, id: string) =>
      body.items.find((item) => item.id === id) as Record<string, unknown>;
    for (const { id, payload } of created) {
      const reply = { status: 201, body: {} };
      for (const field of ['category', 'unit', 'description', 'justification']) {
        if (field === 'unit' && payload.length > 50) continue;
        await expectKept({ route, field, payload, reply, read: async () => itemOf(afterCreate, id)[field] }); // prettier-ignore
      }
    }

    // Edited: each item gets another payload in every field.
    const patch = 'PATCH /requirement-lists/:id/items/:itemId';
    const n = HOSTILE_PAYLOADS.length;
    for (const [i, { id }] of created.entries()) {
      const p = HOSTILE_PAYLOADS[n - 1 - i]!;
      const fields = { category: p, description: p, justification: p, ...(p.length <= 50 ? { unit: p } : {}) }; // prettier-ignore
      const reply = await call('PATCH', `/requirement-lists/${list.id}/items/${id}`, 'recipient', fields); // prettier-ignore
      const read = async () => itemOf(await ok('GET', `/requirement-lists/${list.id}`, 'recipient'), id); // prettier-ignore
      for (const field of Object.keys(fields)) {
        await expectKept({ route: patch, field, payload: p, reply, read: async () => (await read())[field] }); // prettier-ignore
      }
      // A capability area is a code: a payload is refused, naming it.
      const area = await call('PATCH', `/requirement-lists/${list.id}/items/${id}`, 'recipient', { capabilityArea: p }); // prettier-ignore
      await expectKept({ route: patch, field: 'capabilityArea', payload: p, reply: area, read: async () => null, strict: true }); // prettier-ignore
    }

    await ok('POST', `/requirement-lists/${list.id}/submit`, 'recipient', {});
    await ok('POST', `/requirement-lists/${list.id}/validate`, 'validator', {});
    for (const role of ['recipient', 'coordinator', 'supplier'])
      await ok('POST', `/requirement-lists/${list.id}/approve`, role, {});
  });

  it('contributions keep every payload: title, notes, payment reference, reasons', async () => {
    const route = 'POST /contributions';
    for (const p of HOSTILE_PAYLOADS) {
      const reply = await call('POST', '/contributions', 'coordinator', {
        donorPartyId: 'NLD',
        currency: 'USD',
        amountMinor: '1000',
        announcedOn: '2025-08-04',
        title: p,
        internalNote: p,
        sourceNote: p,
      });
      const read = async (field: string) =>
        (await ok('GET', `/contributions/${reply.body.id}`, 'coordinator'))[field];
      for (const field of ['title', 'internalNote', 'sourceNote'])
        await expectKept({ route, field, payload: p, reply, read: () => read(field) });
      const cancelled = await call('POST', `/contributions/${reply.body.id}/cancel`, 'coordinator', { reason: p }); // prettier-ignore
      await expectKept({ route: 'POST /contributions/:id/cancel', field: 'reason', payload: p, reply: cancelled, read: () => read('statusReason') }); // prettier-ignore
      const earmarked = await call('POST', '/contributions', 'coordinator', {
        donorPartyId: 'NLD',
        currency: 'USD',
        amountMinor: '1000',
        announcedOn: '2025-08-04',
        title: 'earmarked',
        earmarkAreas: [p],
      });
      await expectKept({ route, field: 'earmarkAreas', payload: p, reply: earmarked, read: async () => null, strict: true }); // prettier-ignore
    }

    // One committed contribution funds every package below; it also takes payments and reductions.
    const fund = await ok('POST', '/contributions', 'coordinator', {
      donorPartyId: 'NLD',
      currency: 'USD',
      amountMinor: '1000000000',
      announcedOn: '2025-08-04',
      title: 'Funding of the hostile packages',
    });
    funding = fund.id;
    await ok('POST', `/contributions/${funding}/commit`, 'coordinator', { committedOn: '2025-08-04' }); // prettier-ignore
    let amount = 1_000_000_000n;
    for (const p of HOSTILE_PAYLOADS) {
      const paid = await call('POST', `/contributions/${funding}/payments`, 'coordinator', { amountMinor: '1', paidOn: '2025-08-05', reference: p }); // prettier-ignore
      await expectKept({
        route: 'POST /contributions/:id/payments',
        field: 'reference',
        payload: p,
        reply: paid,
        read: async () => {
          const detail = await ok('GET', `/contributions/${funding}`, 'coordinator');
          return (detail.payments as { reference: string | null }[]).at(-1)?.reference;
        },
      });
      amount -= 1n;
      const reduced = await call('POST', `/contributions/${funding}/reduce`, 'coordinator', { amountMinor: amount.toString(), reason: p }); // prettier-ignore
      await expectKept({ route: 'POST /contributions/:id/reduce', field: 'reason', payload: p, reply: reduced, read: async () => (await ok('GET', `/contributions/${funding}`, 'coordinator')).statusReason }); // prettier-ignore
    }
  });

  it('packages keep every payload through authorisation, shipment, receipt and resolution', async () => {
    expect(items).toHaveLength(HOSTILE_PAYLOADS.length);
    for (const [i, p] of HOSTILE_PAYLOADS.entries()) {
      const reply = await call('POST', '/packages', 'coordinator', { cycle: '2025-08', title: p, targetMinor: '100', sourceNote: p }); // prettier-ignore
      const id = reply.body.id as string;
      const read = async (field: string) => (await ok('GET', `/packages/${id}`, 'coordinator'))[field]; // prettier-ignore
      for (const field of ['title', 'sourceNote'])
        await expectKept({ route: 'POST /packages', field, payload: p, reply, read: () => read(field) }); // prettier-ignore

      const composed = await ok('POST', `/packages/${id}/lines`, 'coordinator', { requirementItemId: items[i], quantity: 1 }); // prettier-ignore
      const lineId = composed.lines[0].id as string;
      await ok('POST', `/packages/${id}/open`, 'coordinator', {});
      await ok('POST', `/packages/${id}/allocations`, 'coordinator', { contributionId: funding, amountMinor: '100', valueDate: '2025-08-04' }); // prettier-ignore
      const authorized = await call('POST', `/packages/${id}/authorize`, 'supplier', { reference: p, authorizedOn: '2025-08-20' }); // prettier-ignore
      await expectKept({ route: 'POST /packages/:id/authorize', field: 'reference', payload: p, reply: authorized, read: () => read('authorizationReference') }); // prettier-ignore
      if (authorized.status !== 200) continue;

      const deliveries = async () => ok('GET', `/packages/${id}/deliveries`, 'coordinator');
      const shipped = await call('POST', `/packages/${id}/shipments`, 'supplier', { reference: p, plannedOn: '2025-09-01', lines: [{ packageLineId: lineId, quantity: 1 }] }); // prettier-ignore
      await expectKept({ route: 'POST /packages/:id/shipments', field: 'reference', payload: p, reply: shipped, read: async () => (await deliveries()).shipments[0]?.reference }); // prettier-ignore
      if (shipped.status !== 201) continue;
      const shipment = shipped.body.shipments[0].id as string;
      await ok('POST', `/shipments/${shipment}/status`, 'supplier', { status: 'dispatched', on: '2025-09-02' }); // prettier-ignore
      await ok('POST', `/shipments/${shipment}/status`, 'supplier', { status: 'handed_over', on: '2025-09-03' }); // prettier-ignore
      const received = await call('POST', `/shipments/${shipment}/receipt`, 'recipient', {
        receivedOn: '2025-09-04',
        lines: [{ packageLineId: lineId, receivedQuantity: 0, discrepancies: [{ kind: 'short', quantity: 1, reason: p }] }], // prettier-ignore
      });
      await expectKept({ route: 'POST /shipments/:id/receipt', field: 'reason', payload: p, reply: received, read: async () => (await deliveries()).discrepancies[0]?.reason }); // prettier-ignore
      if (received.status !== 200) continue;
      const discrepancy = received.body.discrepancies[0].id as string;
      const resolved = await call('POST', `/discrepancies/${discrepancy}/resolve`, 'coordinator', { resolution: 'credited', note: p }); // prettier-ignore
      await expectKept({ route: 'POST /discrepancies/:id/resolve', field: 'note', payload: p, reply: resolved, read: async () => (await deliveries()).discrepancies[0]?.resolutionNote }); // prettier-ignore
    }
    // A cancellation's reason.
    for (const p of HOSTILE_PAYLOADS) {
      const draft = await ok('POST', '/packages', 'coordinator', { cycle: '2025-08', title: 'To cancel', targetMinor: '100' }); // prettier-ignore
      const reply = await call('POST', `/packages/${draft.id}/cancel`, 'coordinator', { reason: p }); // prettier-ignore
      await expectKept({ route: 'POST /packages/:id/cancel', field: 'reason', payload: p, reply, read: async () => (await ok('GET', `/packages/${draft.id}`, 'coordinator')).statusReason }); // prettier-ignore
    }
  });

  it('meetings and announcements keep every payload', async () => {
    for (const [i, p] of HOSTILE_PAYLOADS.entries()) {
      const reply = await call('POST', '/meetings', 'coordinator', {
        number: i + 1,
        kind: 'udcg',
        heldOn: '2025-08-04',
        place: p,
        chairs: ['NLD'],
        title: p,
        summary: p,
        sourceNote: p,
      });
      const id = reply.body.id as string;
      const read = async () => ok('GET', `/meetings/${id}`, 'coordinator');
      for (const field of ['place', 'title', 'summary', 'sourceNote'])
        await expectKept({ route: 'POST /meetings', field, payload: p, reply, read: async () => (await read())[field] }); // prettier-ignore
      const q = HOSTILE_PAYLOADS[HOSTILE_PAYLOADS.length - 1 - i]!;
      const edited = await call('PATCH', `/meetings/${id}`, 'coordinator', { place: q, title: q, summary: q, sourceNote: q }); // prettier-ignore
      for (const field of ['place', 'title', 'summary', 'sourceNote'])
        await expectKept({ route: 'PATCH /meetings/:id', field, payload: q, reply: edited, read: async () => (await read())[field] }); // prettier-ignore
      const announced = await call('POST', `/meetings/${id}/announcements`, 'coordinator', { partyId: 'NLD', text: p, sourceNote: p }); // prettier-ignore
      for (const field of ['text', 'sourceNote'])
        await expectKept({ route: 'POST /meetings/:id/announcements', field, payload: p, reply: announced, read: async () => (await read()).announcements[0]?.[field] }); // prettier-ignore
    }
  });

  it('party names and user display names keep every payload; an email is refused', async () => {
    const party = async () => ok('GET', '/parties/NLD', 'admin');
    const before = (await party()).names;
    for (const p of HOSTILE_PAYLOADS) {
      const reply = await call('PATCH', '/parties/NLD', 'admin', { names: { en: p, fr: p } });
      for (const lang of ['en', 'fr'])
        await expectKept({ route: 'PATCH /parties/:id', field: `names.${lang}`, payload: p, reply, read: async () => (await party()).names[lang] }); // prettier-ignore
      // A Ukrainian name is Cyrillic: a payload with Latin letters is refused, naming it.
      const uk = await call('PATCH', '/parties/NLD', 'admin', { names: { uk: p } });
      await expectKept({ route: 'PATCH /parties/:id', field: 'names.uk', payload: p, reply: uk, read: async () => (await party()).names.uk, strict: /[A-Za-z]/.test(p), mayRefuse: true }); // prettier-ignore
    }
    await ok('PATCH', '/parties/NLD', 'admin', { names: before });

    for (const [i, p] of HOSTILE_PAYLOADS.entries()) {
      const reply = await call('POST', '/users', 'admin', {
        email: `hostile-${i}@example.test`,
        displayName: p,
        role: 'auditor',
        password: 'Tangerine-Kite-Orbit-4217',
      });
      const read = async () => (await ok('GET', `/users/${reply.body.id}`, 'admin')).displayName;
      await expectKept({ route: 'POST /users', field: 'displayName', payload: p, reply, read });
      const q = HOSTILE_PAYLOADS[HOSTILE_PAYLOADS.length - 1 - i]!;
      const edited = await call('PATCH', `/users/${reply.body.id}`, 'admin', { displayName: q });
      await expectKept({ route: 'PATCH /users/:id', field: 'displayName', payload: q, reply: edited, read }); // prettier-ignore
      const email = await call('POST', '/users', 'admin', { email: p, role: 'auditor', password: 'Tangerine-Kite-Orbit-4217' }); // prettier-ignore
      await expectKept({ route: 'POST /users', field: 'email', payload: p, reply: email, read: async () => null, strict: true }); // prettier-ignore
    }
  });

  it('search and filter parameters holding payloads answer 200 or 400, never 5xx', async () => {
    for (const p of HOSTILE_PAYLOADS) {
      const q = encodeURIComponent(p);
      for (const [url, actor] of [
        [`/users?search=${q}`, 'admin'],
        [`/audit/events?actor=${q}&action=${q}&entityType=${q}&entityId=${q}`, 'auditor'],
        [`/contributions?capabilityArea=${q}`, 'coordinator'],
        [`/packages?capabilityArea=${q}`, 'coordinator'],
        [`/requirement-lists/approved-items?capabilityArea=${q}`, 'coordinator'],
        [`/exports/contributions?status=${q}`, 'coordinator'],
        [`/exports/packages?donor=${q}&cycle=${q.slice(0, 7)}`, 'coordinator'],
      ] as const) {
        const response = await app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { 'x-purl-actor': actor } }); // prettier-ignore
        expect([200, 400], `${url}: ${response.body.slice(0, 300)}`).toContain(response.statusCode);
        summary.queries++;
      }
    }
  });

  // PostgreSQL text cannot hold NUL: the HTTP layer refuses it before any SQL runs.
  it('a NUL character in a JSON string or a query parameter is 400, naming the field; nothing written', async () => {
    const statuses: number[] = [];
    const probes = [
      ['coordinator', 'POST', '/contributions', { donorPartyId: 'NLD', currency: 'USD', amountMinor: '1000', announcedOn: '2025-08-04', title: 'nul \u0000 inside' }], // prettier-ignore
      ['admin', 'GET', `/users?search=${encodeURIComponent('a\u0000b')}`, undefined],
      ['auditor', 'GET', `/audit/events?actor=${encodeURIComponent('a\u0000b')}`, undefined],
    ] as const;
    for (const [actor, method, url, body] of probes) {
      const response = await app.inject({ method, url: `/api/v1${url}`, headers: { 'x-purl-actor': actor }, ...(body ? { payload: body } : {}) }); // prettier-ignore
      statuses.push(response.statusCode);
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
      expect(response.json().error.details.field, response.body).toMatch(
        /^(body\.title|query\.\w+)$/,
      );
    }
    summary.nulStatuses = statuses;
    const stored = await sql<{ n: string }>`SELECT count(*)::text AS n FROM contribution WHERE title LIKE 'nul %'`.execute(t.database.kysely); // prettier-ignore
    expect(stored.rows[0]?.n).toBe('0');
  });

  it('afterwards every table is there, and the ledger and the audit chain verify', async () => {
    for (const table of [
      'ledger_transfer',
      'ledger_account',
      'audit_event',
      'contribution',
      'package',
      'party',
    ]) {
      const found = await sql<{ name: string | null }>`SELECT to_regclass(${table})::text AS name`.execute(t.database.kysely); // prettier-ignore
      expect(found.rows[0]?.name, table).toBe(table);
    }
    const ledger = await verifyLedger(t.database, system);
    expect(ledger.ok, JSON.stringify(ledger, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).toBe(true); // prettier-ignore
    const audit = await verifyAudit(t.database, system);
    expect(audit.problems).toEqual([]);
    expect(audit.ok).toBe(true);
  });

  it('every list exported as CSV and XLSX neutralises formula cells; numbers stay numbers', async () => {
    const datasets = ['contributions', 'packages', 'package-lines', 'allocations', 'shipments', 'receipts', 'discrepancies', 'requirement-lists', 'requirement-items', 'meetings', 'announcements', 'parties']; // prettier-ignore
    const seen = new Set<string>();
    for (const dataset of datasets) {
      const csv = await app.inject({ method: 'GET', url: `/api/v1/exports/${dataset}?format=csv`, headers: { 'x-purl-actor': 'coordinator' } }); // prettier-ignore
      expect(csv.statusCode, `${dataset}: ${csv.body.slice(0, 300)}`).toBe(200);
      summary.routes.add('GET /exports/:dataset');
      for (const cell of csvCells(csv.rawPayload)) {
        seen.add(cell);
        checkCsvCell(cell, dataset);
      }
      const xlsx = await app.inject({ method: 'GET', url: `/api/v1/exports/${dataset}?format=xlsx`, headers: { 'x-purl-actor': 'coordinator' } }); // prettier-ignore
      expect(xlsx.statusCode, dataset).toBe(200);
      for (const text of await checkXlsx(xlsx.rawPayload, dataset)) seen.add(text);
    }
    // Every payload reached the files (as is, trimmed, or behind its apostrophe).
    for (const p of HOSTILE_PAYLOADS) {
      const forms = [p, p.trim(), `'${p}`, `'${p.trim()}`, p.replace(/\r\n?/g, '\n')];
      expect(
        forms.some((form) => seen.has(form)),
        JSON.stringify(p),
      ).toBe(true);
    }
    // The IATI file escapes markup.
    const iati = await app.inject({ method: 'GET', url: '/api/v1/exports/iati', headers: { 'x-purl-actor': 'coordinator' } }); // prettier-ignore
    expect(iati.statusCode).toBe(200);
    expect(iati.body).not.toContain('<script>');
    expect(iati.body).not.toContain('<img src=x');
    summary.routes.add('GET /exports/iati');
  });

  it('a terminal table (purl show) writes no control character from the data', async () => {
    const opened = await openExport(t.database, system, 'contributions', 'text', {
      lang: 'en',
      analytics: {},
      filters: {},
    } as Parameters<typeof openExport>[4]);
    const chunks: Buffer[] = [];
    await opened.write(
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          callback();
        },
      }),
    );
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text).toContain('DROP TABLE');
    // Only line ends: no CR, tab, escape or other C0/C1 control, no bidirectional override.
    const unsafe = [...text.replace(/\n/g, '')].filter((c) => {
      const code = c.codePointAt(0) ?? 0;
      return (
        code < 0x20 || (code >= 0x7f && code <= 0x9f) || /[\u202a-\u202e\u2066-\u2069]/.test(c)
      );
    });
    expect(unsafe).toEqual([]);
  });

  it('a body over httpBodyBytesMax is 413 LIMIT_EXCEEDED; a field over its length 400 naming it', async () => {
    const count = async () =>
      Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM contribution`.execute(t.database.kysely)).rows[0]?.n); // prettier-ignore
    const before = await count();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/contributions',
      headers: { 'x-purl-actor': 'coordinator', 'content-type': 'application/json' },
      payload: JSON.stringify({
        donorPartyId: 'NLD',
        currency: 'USD',
        amountMinor: '1000',
        announcedOn: '2025-08-04',
        title: 'big',
        sourceNote: 'x'.repeat(LIMITS.httpBodyBytesMax),
      }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('LIMIT_EXCEEDED');
    expect(response.json().error.details.limit).toBe('httpBodyBytesMax');
    expect(await count()).toBe(before);

    for (const [url, body, field] of [
      ['/contributions', { donorPartyId: 'NLD', currency: 'USD', amountMinor: '1', announcedOn: '2025-08-04', title: 'x'.repeat(201) }, 'title'], // prettier-ignore
      ['/contributions', { donorPartyId: 'NLD', currency: 'USD', amountMinor: '1', announcedOn: '2025-08-04', title: 'ok', internalNote: '<'.repeat(2001) }, 'internalNote'], // prettier-ignore
      ['/packages', { cycle: '2025-08', title: '='.repeat(201), targetMinor: '1' }, 'title'],
      ['/meetings', { number: 999, kind: 'udcg', heldOn: '2025-08-04', place: 'x', chairs: ['NLD'], summary: 'é'.repeat(5001) }, 'summary'], // prettier-ignore
    ] as const) {
      const refused = await call('POST', url, 'coordinator', body);
      expect(refused.status, url).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      expect(refused.body.error.details.field).toBe(`body.${field}`);
    }
    expect(await count()).toBe(before);
  });

  it('import files over importBytesMax or importRowsMax are LIMIT_EXCEEDED and write nothing', async () => {
    const count = async () =>
      Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM contribution`.execute(t.database.kysely)).rows[0]?.n); // prettier-ignore
    const before = await count();
    const header = 'donor,title,currency,amount,announced_on\n';
    const row = 'NLD,x,USD,1.00,2025-08-04\n';
    // A sparse file one byte over the limit: its size is checked before it is read.
    const big = join(dir, 'big.csv');
    await writeFile(big, header + row);
    await truncate(big, LIMITS.importBytesMax + 1);
    const tooBig = await importContributions(t.database, system, { file: big }).catch((e: unknown) => e); // prettier-ignore
    expect(isDomainError(tooBig) && tooBig.code).toBe('LIMIT_EXCEEDED');
    expect(isDomainError(tooBig) && tooBig.details.limit).toBe('importBytesMax');
    // The same as uploaded bytes (the web app's path): refused before parsing.
    const bytes = new Uint8Array(LIMITS.importBytesMax + 1);
    const upload = await importContributions(t.database, system, { bytes, fileName: 'up.csv' }).catch((e: unknown) => e); // prettier-ignore
    expect(isDomainError(upload) && upload.details.limit).toBe('importBytesMax');
    // One data row over importRowsMax.
    const many = join(dir, 'many.csv');
    await writeFile(many, header + row.repeat(LIMITS.importRowsMax + 1));
    const tooMany = await importContributions(t.database, system, { file: many }).catch((e: unknown) => e); // prettier-ignore
    expect(isDomainError(tooMany) && tooMany.code).toBe('LIMIT_EXCEEDED');
    expect(isDomainError(tooMany) && tooMany.details.limit).toBe('importRowsMax');
    // Hostile names: a directory, a device, a link loop, a path climbing out — each named.
    await symlink(join(dir, 'loop-b'), join(dir, 'loop-a'));
    await symlink(join(dir, 'loop-a'), join(dir, 'loop-b'));
    for (const file of [
      dir,
      '/dev/zero',
      join(dir, 'loop-a'),
      join(dir, '../../../../etc/passwd-none'),
    ]) {
      const refused = await importContributions(t.database, system, { file }).catch((e: unknown) => e); // prettier-ignore
      expect(isDomainError(refused) && refused.code, file).toBe('VALIDATION_FAILED');
      expect(isDomainError(refused) && refused.message, file).toContain(file);
    }
    // An uploaded file's name keeps only its last segment.
    const named = await importContributions(t.database, system, {
      bytes: new TextEncoder().encode(header + row),
      fileName: '../../../etc/passwd.csv',
      dryRun: true,
    });
    expect(named.file).toBe('passwd.csv');
    expect(await count()).toBe(before);
  });
});

/** Every cell of a CSV export, meta lines included. */
function csvCells(body: Buffer): string[] {
  const records: string[][] = parse(body, { bom: true, relax_column_count: true });
  return records.flat();
}

function checkCsvCell(cell: string, dataset: string): void {
  summary.exportedCells++;
  if (cell.startsWith("'") && FORMULA_START.test(cell.slice(1))) summary.neutralisedCells++;
  if (!FORMULA_START.test(cell)) return;
  expect(PLAIN_NUMBER.test(cell), `${dataset}: a CSV cell a spreadsheet would evaluate: ${JSON.stringify(cell)}`).toBe(true); // prettier-ignore
}

/** Checks every cell of an XLSX export; returns the text cells. */
async function checkXlsx(body: Buffer, dataset: string): Promise<string[]> {
  // No formula element anywhere in the package.
  const files = unzipSync(new Uint8Array(body));
  for (const [name, content] of Object.entries(files)) {
    if (!name.endsWith('.xml')) continue;
    expect(strFromU8(content), `${dataset}: ${name}`).not.toMatch(/<(\w+:)?f[\s>/]/);
  }
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const texts: string[] = [];
  for (const sheet of workbook.worksheets) {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        summary.exportedCells++;
        expect(cell.type, `${dataset} ${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
        expect(cell.formula, `${dataset} ${cell.address}`).toBeFalsy();
        if (typeof cell.value === 'string') texts.push(cell.value);
      });
    });
  }
  return texts;
}

describe('the export writers', () => {
  it('prefix formula-like text in CSV, keep it a plain string in XLSX, and keep negative amounts numbers', async () => {
    const source = {
      name: 'hostile',
      title: '=HYPERLINK("http://evil.example","title")',
      meta: [['@label', '-2+3']] as [string, string][],
      columns: [
        { key: 'text', label: '+Text', kind: 'text' as const },
        { key: 'amount', label: 'Amount', kind: 'money' as const, currency: 'USD' },
        { key: 'count', label: 'Count', kind: 'integer' as const },
      ],
      rows: HOSTILE_PAYLOADS.map((p, i) => ({ text: p, amount: -250n - BigInt(i), count: -1 - i })),
    };
    const minorUnits = new Map([['USD', 2]]);
    const csvOut = collect();
    await writeCsv(source, csvOut.stream, { minorUnits });
    const records: string[][] = parse(csvOut.bytes(), { bom: true, relax_column_count: true });
    for (const cell of records.flat()) checkCsvCell(cell, 'writer');
    const table = records.slice(records.findIndex((r) => r[0] === "'+Text"));
    expect(table[0]).toEqual(["'+Text", 'Amount', 'Count']);
    for (const [i, p] of HOSTILE_PAYLOADS.entries()) {
      const [text, amount, count] = table[i + 1] ?? [];
      expect(text).toBe(FORMULA_START.test(p) ? `'${p}` : p);
      expect(amount).toBe(`-${((250 + i) / 100).toFixed(2)}`);
      expect(count).toBe(String(-1 - i));
    }

    const xlsxOut = collect();
    await writeXlsx(source, xlsxOut.stream, { minorUnits });
    await checkXlsx(xlsxOut.bytes(), 'writer');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsxOut.bytes() as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    let header = 0;
    sheet.eachRow((row, n) => {
      if (row.getCell(1).value === '+Text') header = n;
    });
    expect(header).toBeGreaterThan(0);
    for (const [i, p] of HOSTILE_PAYLOADS.entries()) {
      const row = sheet.getRow(header + 1 + i);
      expect(row.getCell(1).type).toBe(ExcelJS.ValueType.String);
      expect(row.getCell(1).value).toBe(p.replace(/\r\n?/g, '\n'));
      expect(row.getCell(2).value).toBe(-(250 + i) / 100);
      expect(row.getCell(3).value).toBe(-1 - i);
    }
  });
});

function collect(): { stream: PassThrough; bytes: () => Buffer } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, bytes: () => Buffer.concat(chunks) };
}

describe('paths that climb out of the export routes and the web build', () => {
  let t: TestDatabase;
  let app: App;
  let origin: string;
  let passwd: string;
  let packageJson: string;

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    app = await buildApp({ database: t.database, devActors: true, rateLimits: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('not listening');
    origin = `http://127.0.0.1:${address.port}`;
    passwd = await readFile('/etc/passwd', 'utf8').catch(() => 'root:x:0:0');
    packageJson = await readFile(join(ROOT, 'package.json'), 'utf8');
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  /** GET with the path sent exactly as written (no client normalisation). */
  function rawGet(path: string): Promise<{ status: number; type: string; body: string }> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(`${origin}/`, { path, headers: { 'x-purl-actor': 'coordinator' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            type: String(response.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      }); // prettier-ignore
      request.on('error', reject);
      request.end();
    });
  }

  it('never serves /etc/passwd nor package.json: 4xx, or the app’s index.html', async () => {
    const paths = [
      '/api/v1/exports/..%2F..%2Fetc%2Fpasswd',
      '/api/v1/exports/..%2F..%2F..%2F..%2Fpackage.json',
      '/api/v1/exports/....//....//etc/passwd',
      '/api/v1/exports/%2e%2e%2f%2e%2e%2fetc%2fpasswd?format=csv',
      '/api/v1/exports/..%252F..%252Fetc%252Fpasswd',
      '/api/v1/exports/..%5c..%5cetc%5cpasswd',
      '/api/v1/exports/contributions%00.csv',
      '/api/v1/../../../etc/passwd',
      '/../../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/assets/..%2f..%2f..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/..%5c..%5cpackage.json',
      '/..%5c..%5c..%5cpackage.json',
      '/assets/..\\..\\..\\package.json',
      '/..%252f..%252f..%252fpackage.json',
      '/%c0%ae%c0%ae/%c0%ae%c0%ae/package.json',
      '/package.json%00.html',
      '/assets/x.js%00/../../../../package.json',
      '/.%2e/.%2e/.%2e/package.json',
      '//etc/passwd',
      '/etc/passwd',
      '/..;/..;/package.json',
      '/src/web/dist/../../../package.json',
      '/index.html/../../package.json',
    ];
    for (const path of paths) {
      const response = await rawGet(path);
      summary.traversalUrls++;
      const what = `${path} → ${response.status} ${response.body.slice(0, 200)}`;
      expect(response.body, what).not.toContain('root:x:0:0');
      expect(response.body, what).not.toContain(passwd.slice(0, 40));
      expect(response.body, what).not.toContain(packageJson.slice(0, 60));
      expect(response.body, what).not.toContain('"devDependencies"');
      if (response.status === 200) {
        expect(response.type, what).toContain('text/html');
        expect(response.body, what).toContain('<div id="root"></div>');
      } else {
        expect(response.status >= 400 && response.status < 500 || response.status === 503, what).toBe(true); // prettier-ignore
      }
    }
  });
});

describe('the CLI’s file arguments', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  function purl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [PURL, ...args],
        { env, timeout: 60_000 },
        (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }); // prettier-ignore
        },
      );
    });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'purl-hostile-cli-'));
    const { DATABASE_URL: _ignored, ...rest } = process.env;
    env = { ...rest, PURL_DATA_DIR: join(dir, 'data') };
    await symlink(join(dir, 'loop-b'), join(dir, 'loop-a'));
    await symlink(join(dir, 'loop-a'), join(dir, 'loop-b'));
    await symlink('/dev/null', join(dir, 'to-null'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('import contributions: a directory, a missing file, /dev/zero, a link loop fail naming it', async () => {
    for (const file of [dir, join(dir, 'missing.csv'), '/dev/zero', join(dir, 'loop-a')]) {
      const run = await purl(['import', 'contributions', file]);
      summary.cliCases++;
      expect(run.code, `${file}: ${run.stderr}`).not.toBe(0);
      expect(run.stderr, file).toContain(file);
      expect(run.stderr, file).not.toMatch(/at .*\.(ts|js):\d+/); // a message, not a stack trace
    }
  });

  it('export csv --out: a directory, a missing folder, a device, a link loop fail naming it', async () => {
    const cases = [
      dir,
      join(dir, 'no-such-folder/out.csv'),
      join(dir, 'to-null'),
      join(dir, 'loop-a'),
    ];
    for (const out of cases) {
      const run = await purl(['export', 'csv', 'contributions', '--out', out]);
      summary.cliCases++;
      expect(run.code, `${out}: ${run.stderr}`).not.toBe(0);
      expect(run.stderr, out).toMatch(/out/);
      expect(run.stderr, out).toContain(out.replace(/\/out\.csv$/, ''));
    }
  });
});
