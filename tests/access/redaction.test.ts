/**
 * Field-level redaction, on both engines: each role reads a package NLD funds, a package nobody
 * funds, the requirement list their items come from and NLD's contribution, and sees exactly the
 * restricted fields the rule of `core/redaction.ts` gives it — the others as `{ redacted: true }`,
 * never missing. The services redact too (called directly, without HTTP). An allocation that is
 * voided (the package cancelled) no longer opens a package's contents to its donor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPackage } from '../../src/services/packages-service.js';
import { getRequirementList } from '../../src/services/requirements-service.js';
import { ENGINES } from '../support/engines.js';
import { ITEM_A, ITEM_B, buildWorld, type Json, type World } from '../public/support.js';

const REDACTED = { redacted: true };
const READERS = [
  'coordinator',
  'recipient',
  'validator',
  'supplier',
  'auditor',
  'contributor:NLD',
  'contributor:DEU',
] as const;

/** The restricted fields of a package's only line, as a reader sees them. */
function lineContents(pkg: Json) {
  expect(pkg.lines).toHaveLength(1);
  const { description, unitPriceMinor, lineTotalMinor } = pkg.lines[0];
  return { description, unitPriceMinor, lineTotalMinor };
}

function itemContents(list: Json, itemId: string) {
  const item = list.items.find((i: { id: string }) => i.id === itemId);
  expect(item, `item ${itemId}`).toBeDefined();
  const { description, justification, estimatedUnitCost } = item;
  return { description, justification, estimatedUnitCost };
}

const lineA = {
  description: ITEM_A.description,
  unitPriceMinor: ITEM_A.unitCostMinor.toString(),
  lineTotalMinor: (ITEM_A.unitCostMinor * BigInt(ITEM_A.quantity)).toString(),
};
const lineB = {
  description: ITEM_B.description,
  unitPriceMinor: ITEM_B.unitCostMinor.toString(),
  lineTotalMinor: (ITEM_B.unitCostMinor * BigInt(ITEM_B.quantity)).toString(),
};
const redactedLine = { description: REDACTED, unitPriceMinor: REDACTED, lineTotalMinor: REDACTED };
const itemA = {
  description: ITEM_A.description,
  justification: ITEM_A.justification,
  estimatedUnitCost: { amountMinor: ITEM_A.unitCostMinor.toString(), currency: 'USD' },
};
const itemB = {
  description: ITEM_B.description,
  justification: ITEM_B.justification,
  estimatedUnitCost: { amountMinor: ITEM_B.unitCostMinor.toString(), currency: 'USD' },
};
const redactedItem = {
  description: REDACTED,
  justification: REDACTED,
  estimatedUnitCost: REDACTED,
};

describe.each(ENGINES)('field redaction on %s', (engine) => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(engine);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('package contents: coordinator, recipient, supplier, auditor and the funding donor see them; validator and other donors get { redacted: true }', async () => {
    const seen: Record<string, unknown> = {};
    const seenUnfunded: Record<string, unknown> = {};
    for (const who of READERS) {
      const funded = await w.ok('GET', `/packages/${w.pkg1.id}`, who);
      seen[who] = lineContents(funded);
      seenUnfunded[who] = lineContents(await w.ok('GET', `/packages/${w.pkg2.id}`, who));
      // Totals and the rest of the line stay visible to every reader.
      expect(funded).toMatchObject({
        priceMinor: lineA.lineTotalMinor,
        fundedMinor: lineA.lineTotalMinor,
        gapMinor: '0',
        status: 'funded',
      });
      expect(funded.lines[0]).toMatchObject({
        requirementItemId: w.itemA,
        category: '155mm artillery ammunition',
        quantity: ITEM_A.quantity,
        unit: 'lots',
      });
    }
    expect(seen).toEqual({
      coordinator: lineA,
      recipient: lineA,
      validator: redactedLine,
      supplier: lineA,
      auditor: lineA,
      'contributor:NLD': lineA,
      'contributor:DEU': redactedLine,
    });
    expect(seenUnfunded).toEqual({
      coordinator: lineB,
      recipient: lineB,
      validator: redactedLine,
      supplier: lineB,
      auditor: lineB,
      'contributor:NLD': redactedLine,
      'contributor:DEU': redactedLine,
    });
    // The admin has no operational reads at all.
    expect((await w.call('GET', `/packages/${w.pkg1.id}`, 'admin')).status).toBe(403);
  });

  it('requirement items: recipient, validator, coordinator, supplier, auditor see them; a donor only the items of packages it funds', async () => {
    const seen: Record<string, unknown> = {};
    for (const who of READERS) {
      const list = await w.ok('GET', `/requirement-lists/${w.listId}`, who);
      seen[who] = { A: itemContents(list, w.itemA), B: itemContents(list, w.itemB) };
      // Totals stay visible: Σ quantity × estimated unit cost.
      expect(list.totals.requested.amountMinor).toBe(
        (
          ITEM_A.unitCostMinor * BigInt(ITEM_A.quantity) +
          ITEM_B.unitCostMinor * BigInt(ITEM_B.quantity)
        ).toString(),
      );
    }
    const both = { A: itemA, B: itemB };
    expect(seen).toEqual({
      coordinator: both,
      recipient: both,
      validator: both,
      supplier: both,
      auditor: both,
      'contributor:NLD': { A: itemA, B: redactedItem },
      'contributor:DEU': { A: redactedItem, B: redactedItem },
    });
    expect((await w.call('GET', `/requirement-lists/${w.listId}`, 'admin')).status).toBe(403);
  });

  it('a contribution’s internal note: its party, coordinator and auditor see it; other donors and roles get { redacted: true }', async () => {
    const seen: Record<string, unknown> = {};
    for (const who of READERS) {
      seen[who] = (await w.ok('GET', `/contributions/${w.nldContribution}`, who)).internalNote;
    }
    const note = 'NLD: cabinet approval on file';
    expect(seen).toEqual({
      coordinator: note,
      recipient: REDACTED,
      validator: REDACTED,
      supplier: REDACTED,
      auditor: note,
      'contributor:NLD': note,
      'contributor:DEU': REDACTED,
    });
  });

  it('the services redact, not only the routes', async () => {
    const deu = { id: 'test:deu', role: 'contributor' as const, partyId: 'DEU' };
    const nld = { id: 'test:nld', role: 'contributor' as const, partyId: 'NLD' };
    const asDeu = await getPackage(w.t.database, deu, BigInt(w.pkg1.id));
    expect(asDeu.lines[0]).toMatchObject(redactedLine);
    const asNld = await getPackage(w.t.database, nld, BigInt(w.pkg1.id));
    expect(asNld.lines[0]).toMatchObject({
      description: ITEM_A.description,
      unitPriceMinor: ITEM_A.unitCostMinor,
    });
    const list = await getRequirementList(w.t.database, deu, BigInt(w.listId));
    for (const item of list.items)
      expect(item).toMatchObject({
        description: REDACTED,
        justification: REDACTED,
        estimatedUnitCostUsdMinor: REDACTED,
      });
  });

  it('the OpenAPI document names the Redacted shape on restricted fields', async () => {
    const doc = await w.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const schemas = doc.json().components.schemas;
    expect(schemas.Redacted).toBeDefined();
    expect(JSON.stringify(schemas.PackageLine.properties.unitPriceMinor)).toContain(
      '#/components/schemas/Redacted',
    );
    expect(JSON.stringify(schemas.RequirementItem.properties.justification)).toContain(
      '#/components/schemas/Redacted',
    );
  });

  it('a voided allocation no longer opens a package to its donor', async () => {
    // DEU funds part of PURL-002 (item B): it sees that package and item B …
    const deu = await w.ok('POST', '/contributions', 'contributor:DEU', {
      donorPartyId: 'DEU',
      currency: 'USD',
      amountMinor: '10000000',
      announcedOn: '2025-08-04',
      title: 'DEU (synthetic)',
    });
    await w.ok('POST', `/contributions/${deu.id}/commit`, 'contributor:DEU', {
      committedOn: '2025-08-04',
    });
    await w.ok('POST', `/packages/${w.pkg2.id}/allocations`, 'coordinator', {
      contributionId: deu.id,
      amountMinor: '10000000',
      valueDate: '2025-08-04',
    });
    expect(lineContents(await w.ok('GET', `/packages/${w.pkg2.id}`, 'contributor:DEU'))).toEqual(
      lineB,
    );
    expect(
      itemContents(await w.ok('GET', `/requirement-lists/${w.listId}`, 'contributor:DEU'), w.itemB),
    ).toEqual(itemB);
    // … until the package is cancelled and the hold voided.
    await w.ok('POST', `/packages/${w.pkg2.id}/cancel`, 'coordinator', { reason: 'test' });
    expect(lineContents(await w.ok('GET', `/packages/${w.pkg2.id}`, 'contributor:DEU'))).toEqual(
      redactedLine,
    );
    expect(
      itemContents(await w.ok('GET', `/requirement-lists/${w.listId}`, 'contributor:DEU'), w.itemB),
    ).toEqual(redactedItem);
  });
});
