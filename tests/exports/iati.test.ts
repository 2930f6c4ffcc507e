/**
 * The IATI 2.03 export. On both engines, a package taken through the whole chain on the world
 * of tests/public/support.ts (NLD allocates €1,000,000.00 = $1,157,800.00 to PURL-001 at
 * 1.1578; authorised at $1,000,000.00, disbursed, delivered and closed, so $157,800.00 goes
 * back) must give exactly the transactions worked out here, and the file must validate against
 * the official schema (../shared/data/iati, read at run time, never copied). The demo data's
 * file must validate too (PGlite: loading the demo takes a while).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';
import { create } from 'xmlbuilder2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { loadDemo } from '../../src/services/demo-service.js';
import { exportIati } from '../../src/services/exports/iati.js';
import { getPackage, listPackages } from '../../src/services/packages-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import { ITEM_A, buildWorld, type World } from '../public/support.js';

const SCHEMA_DIR = fileURLToPath(new URL('../../../shared/data/iati/', import.meta.url));
const SCHEMA_FILES = ['iati-activities-schema.xsd', 'iati-common.xsd', 'xml.xsd'] as const;

async function validateAgainstIati(xml: string) {
  const [main, ...preload] = await Promise.all(
    SCHEMA_FILES.map(async (fileName) => ({
      fileName,
      contents: await readFile(`${SCHEMA_DIR}${fileName}`, 'utf8'),
    })),
  );
  return validateXML({ xml: { fileName: 'purl-iati.xml', contents: xml }, schema: main!, preload });
}

// A parsed element: attributes as `@name`, text as `#`, children by name (one or an array).
type Node = Record<string, unknown>;
const many = (value: unknown): Node[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as Node[]) : [value as Node];
// A text-only element parses as its string; one with attributes as `{ '@…', '#': text }`.
const text = (node: unknown): string =>
  typeof node === 'string' ? node : String((node as Node)['#'] ?? '');
const narrativeOf = (node: unknown): string => text((node as Node).narrative);

function activities(xml: string): Node[] {
  const doc = create(xml).end({ format: 'object' }) as unknown as {
    'iati-activities': Node;
  };
  return many(doc['iati-activities']['iati-activity']);
}

interface Row {
  type: string;
  date: string;
  currency: string;
  valueDate: string;
  value: string;
  provider: string | null;
  receiver: string | null;
}

function transactions(activity: Node): Row[] {
  return many(activity.transaction).map((t) => {
    const value = t.value as Node;
    return {
      type: String((t['transaction-type'] as Node)['@code']),
      date: String((t['transaction-date'] as Node)['@iso-date']),
      currency: String(value['@currency']),
      valueDate: String(value['@value-date']),
      value: text(value),
      provider: t['provider-org'] ? narrativeOf(t['provider-org']) : null,
      receiver: t['receiver-org'] ? narrativeOf(t['receiver-org']) : null,
    };
  });
}

describe.each(ENGINES)('the IATI export on %s', (engine) => {
  let world: World;
  let today: string;

  beforeAll(async () => {
    world = await buildWorld(engine);
    const { ok, pkg1 } = world;
    await ok('POST', `/packages/${pkg1.id}/authorize`, 'supplier', {
      reference: 'US-AUTH-TEST-1',
      authorizedOn: '2025-08-20',
      finalPriceMinor: '100000000', // $1,000,000.00: $157,800.00 of the funding is surplus
    });
    await ok('POST', `/packages/${pkg1.id}/disbursements`, 'coordinator', {
      amountMinor: '100000000',
      paidOn: '2025-08-25',
    });
    const shipped = await ok('POST', `/packages/${pkg1.id}/shipments`, 'supplier', {
      reference: 'SHIP-1',
      plannedOn: '2025-09-01',
      lines: [{ packageLineId: pkg1.lineId, quantity: ITEM_A.quantity }],
    });
    const shipment = shipped.shipments[0].id;
    await ok('POST', `/shipments/${shipment}/status`, 'supplier', {
      status: 'dispatched',
      on: '2025-09-02',
    });
    await ok('POST', `/shipments/${shipment}/status`, 'supplier', {
      status: 'handed_over',
      on: '2025-09-05',
    });
    await ok('POST', `/shipments/${shipment}/receipt`, 'recipient', {
      receivedOn: '2025-09-06',
      lines: [{ packageLineId: pkg1.lineId, receivedQuantity: ITEM_A.quantity }],
    });
    await ok('POST', `/packages/${pkg1.id}/close`, 'coordinator', {});
    today = new Date().toISOString().slice(0, 10);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('reports the closed package’s commitment, funds, surplus and disbursement as worked out by hand', async () => {
    const file = await exportIati(world.t.database, systemActor('test'));
    expect(file.activities).toBe(2);
    const [first, second] = activities(file.xml);

    expect(text(first!['iati-identifier'])).toBe('XI-IATI-NATO-PURL-001');
    expect((first!['activity-status'] as Node)['@code']).toBe('4'); // closed
    expect(many(first!['activity-date']).map((d) => [d['@type'], d['@iso-date']])).toEqual([
      ['2', '2025-08-04'], // funding began: the allocation's value date
      ['4', today], // closed today
    ]);
    expect(many(first!['participating-org']).map((o) => [o['@role'], narrativeOf(o)])).toEqual([
      ['1', 'Netherlands'],
      ['2', 'North Atlantic Treaty Organization — PURL coordination (NSATU)'],
      ['4', 'United States'],
    ]);
    expect(first!['@default-currency']).toBe('USD');
    expect((first!['recipient-country'] as Node)['@code']).toBe('UA');
    expect((first!.sector as Node)['@code']).toBe('15210');
    expect(narrativeOf(first!.description)).toMatch(/^SYNTHETIC DEMO RECORD — not real data\. /);

    expect(transactions(first!)).toEqual([
      // €1,000,000.00 committed to the package on 2025-08-04 …
      {
        type: '11',
        date: '2025-08-04',
        currency: 'EUR',
        valueDate: '2025-08-04',
        value: '1000000.00',
        provider: 'Netherlands',
        receiver: null,
      },
      // … received when the sale was authorised, at the same value date …
      {
        type: '1',
        date: '2025-08-20',
        currency: 'EUR',
        valueDate: '2025-08-04',
        value: '1000000.00',
        provider: 'Netherlands',
        receiver: null,
      },
      // … $1,157,800.00 − $1,000,000.00 = $157,800.00 returned at closing …
      {
        type: '1',
        date: today,
        currency: 'USD',
        valueDate: today,
        value: '-157800.00',
        provider: 'Netherlands',
        receiver: null,
      },
      // … and $1,000,000.00 paid to the supplier.
      {
        type: '3',
        date: '2025-08-25',
        currency: 'USD',
        valueDate: '2025-08-25',
        value: '1000000.00',
        provider: null,
        receiver: 'United States',
      },
    ]);

    // PURL-002: open, no funding yet — pipeline, planned to start with its cycle.
    expect(text(second!['iati-identifier'])).toBe('XI-IATI-NATO-PURL-002');
    expect((second!['activity-status'] as Node)['@code']).toBe('1');
    expect(many(second!['activity-date']).map((d) => [d['@type'], d['@iso-date']])).toEqual([
      ['1', '2025-08-01'],
    ]);
    expect(transactions(second!)).toEqual([]);
    expect(many(second!['participating-org']).map((o) => o['@role'])).toEqual(['2', '4']);
  });

  it('validates against the official IATI 2.03 schema', async () => {
    const file = await exportIati(world.t.database, systemActor('test'));
    const result = await validateAgainstIati(file.xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('downloads through the API for any operational reader, with its headers', async () => {
    const response = await world.app.inject({
      method: 'GET',
      url: '/api/v1/exports/iati',
      headers: { 'x-purl-actor': 'contributor:NOR' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="purl-iati-\d{4}-\d{2}-\d{2}\.xml"$/,
    );
    expect(response.body).toContain('<iati-activities version="2.03" generated-datetime="');
    const admin = await world.app.inject({
      method: 'GET',
      url: '/api/v1/exports/iati',
      headers: { 'x-purl-actor': 'admin' },
    });
    expect(admin.statusCode).toBe(403);
  });

  it('refuses an empty database: the schema needs at least one activity', async () => {
    const empty = await openTestDatabase(engine);
    try {
      await expect(exportIati(empty.database, systemActor('test'))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    } finally {
      await empty.close();
    }
  });
});

describe('the IATI export of the demo data', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    await loadDemo(t.database);
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  it('validates against the official schema, one activity per package offered, each allocation a commitment', async () => {
    const system = systemActor('test');
    const file = await exportIati(t.database, system);
    const result = await validateAgainstIati(file.xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);

    const offered = (await listPackages(t.database, system, { limit: 200 })).items.filter(
      (p) => p.status !== 'draft',
    );
    const parsed = activities(file.xml);
    expect(parsed.map((a) => text(a['iati-identifier']))).toEqual(
      offered.map((p) => `XI-IATI-NATO-${p.number}`),
    );
    for (const [i, summary] of offered.entries()) {
      const pkg = await getPackage(t.database, system, summary.id);
      const commitments = transactions(parsed[i]!).filter((row) => row.type === '11');
      expect(commitments).toHaveLength(pkg.allocations.filter((a) => a.status !== 'voided').length);
      if (pkg.synthetic)
        expect(narrativeOf(parsed[i]!.description)).toMatch(/^SYNTHETIC DEMO RECORD/);
    }
  });
});
