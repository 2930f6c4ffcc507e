import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import {
  NATO_BODIES,
  NATO_MEMBERS,
  PARTNERS,
  openReferenceApp,
  type ReferenceTestApp,
} from './support.js';

interface PartyJson {
  id: string;
  kind: string;
  natoMember: boolean;
  names: { en: string; fr: string; uk: string };
  currency: string;
  version: number;
}

interface AreaJson {
  code: string;
  coalition: boolean;
  names: { en: string; fr: string; uk: string };
  leadNations: string[];
}

const CYRILLIC_ONLY = /^[\p{Script=Cyrillic}\s'ʼ-]+$/u;

/** Byte order, as the API pages (ids are ASCII). */
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe.each(ENGINES)('reference data on %s', (engine) => {
  let h: ReferenceTestApp;
  let parties: PartyJson[];

  beforeAll(async () => {
    h = await openReferenceApp(engine);
    const response = await h.request('auditor', 'GET', '/api/v1/parties?limit=200');
    expect(response.statusCode).toBe(200);
    parties = response.json().items;
  });
  afterAll(async () => h?.close());

  const party = (id: string) => {
    const found = parties.find((p) => p.id === id);
    expect(found, id).toBeDefined();
    return found!;
  };

  it('has the 32 NATO members: 31 allies and the United States as supplier', () => {
    const members = parties.filter((p) => p.natoMember).map((p) => p.id);
    expect(members.sort()).toEqual(NATO_MEMBERS);
    expect(
      parties
        .filter((p) => p.kind === 'ally')
        .map((p) => p.id)
        .sort(),
    ).toEqual(NATO_MEMBERS.filter((id) => id !== 'USA'));
    expect(party('USA')).toMatchObject({ kind: 'supplier', natoMember: true, currency: 'USD' });
    expect(party('FIN').kind).toBe('ally');
    expect(party('SWE').kind).toBe('ally');
  });

  it('has the partners, the NATO bodies and Ukraine as recipient, none of them NATO members', () => {
    for (const id of PARTNERS)
      expect(party(id), id).toMatchObject({ kind: 'partner', natoMember: false });
    for (const id of NATO_BODIES) {
      expect(party(id), id).toMatchObject({
        kind: 'nato_body',
        natoMember: false,
        currency: 'EUR',
      });
    }
    expect(party('NATO-HQ').names.en).toBe('NATO Headquarters');
    expect(party('SHAPE').names.en).toBe('Supreme Headquarters Allied Powers Europe');
    expect(party('NSATU').names.en).toBe('NATO Security Assistance and Training for Ukraine');
    expect(party('UKR')).toMatchObject({
      kind: 'recipient',
      natoMember: false,
      currency: 'UAH',
      names: { en: 'Ukraine', fr: 'Ukraine', uk: 'Україна' },
    });
    expect(parties).toHaveLength(NATO_MEMBERS.length + PARTNERS.length + NATO_BODIES.length + 1);
  });

  it('names every party in English, French and Ukrainian (Cyrillic), at version 1', () => {
    for (const p of parties) {
      expect(p.names.en.trim(), p.id).not.toBe('');
      expect(p.names.fr.trim(), p.id).not.toBe('');
      expect(p.names.uk, p.id).toMatch(CYRILLIC_ONLY);
      expect(p.version, p.id).toBe(1);
    }
    expect(party('NLD').names).toEqual({ en: 'Netherlands', fr: 'Pays-Bas', uk: 'Нідерланди' });
    expect(party('DEU').names).toEqual({ en: 'Germany', fr: 'Allemagne', uk: 'Німеччина' });
    expect(party('USA').names.fr).toBe('États-Unis');
  });

  it('gives each party the currency its contributions are announced in', () => {
    const expected: Record<string, string> = {
      NLD: 'EUR',
      BGR: 'EUR',
      HRV: 'EUR',
      DEU: 'EUR',
      GBR: 'GBP',
      NOR: 'NOK',
      SWE: 'SEK',
      DNK: 'DKK',
      POL: 'PLN',
      CZE: 'CZK',
      HUN: 'HUF',
      ROU: 'RON',
      ISL: 'ISK',
      CAN: 'CAD',
      AUS: 'AUD',
      NZL: 'NZD',
      JPN: 'JPY',
      KOR: 'KRW',
      CHE: 'CHF',
      IRL: 'EUR',
      AUT: 'EUR',
    };
    for (const [id, currency] of Object.entries(expected))
      expect(party(id).currency, id).toBe(currency);
  });

  it('filters by kind and by NATO membership', async () => {
    const allies = await h.request('coordinator', 'GET', '/api/v1/parties?kind=ally&limit=200');
    expect(allies.statusCode).toBe(200);
    expect(allies.json().items).toHaveLength(31);
    const members = await h.request(
      'coordinator',
      'GET',
      '/api/v1/parties?natoMember=true&limit=200',
    );
    expect(
      members
        .json()
        .items.map((p: PartyJson) => p.id)
        .sort(),
    ).toEqual(NATO_MEMBERS);
    const bodies = await h.request(
      'coordinator',
      'GET',
      '/api/v1/parties?kind=nato_body&natoMember=false',
    );
    expect(bodies.json()).toEqual({
      items: NATO_BODIES.map((id) => expect.objectContaining({ id })),
      nextCursor: null,
    });
    const odd = await h.request('coordinator', 'GET', '/api/v1/parties?kind=country');
    expect(odd.statusCode).toBe(400);
    expect(odd.json().error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(odd.json().error.details.field).toMatch(/kind/);
  });

  it('walks every party with limit=10, in id order, without duplicates or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/parties?limit=10${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await h.request('contributor:NLD', 'GET', url);
      expect(response.statusCode).toBe(200);
      const page: { items: PartyJson[]; nextCursor: string | null } = response.json();
      expect(page.items.length).toBeLessThanOrEqual(10);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 20);
    expect(cursor).toBeNull();
    expect(pages).toBe(Math.ceil(parties.length / 10));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(parties.map((p) => p.id).sort(byteOrder));
    expect(seen).toEqual([...seen].sort(byteOrder));
  });

  it('refuses a cursor it did not issue and a page size over the limit', async () => {
    const bad = await h.request('coordinator', 'GET', '/api/v1/parties?cursor=nonsense');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'cursor' },
    });
    const big = await h.request('coordinator', 'GET', '/api/v1/parties?limit=201');
    expect(big.statusCode).toBe(400);
  });

  it('gets one party with its version as ETag; an unknown one is 404 NOT_FOUND naming id', async () => {
    const response = await h.request('recipient', 'GET', '/api/v1/parties/NSATU');
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.json()).toEqual(party('NSATU'));

    const unknown = await h.request('recipient', 'GET', '/api/v1/parties/XYZ');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'NOT_FOUND', details: { field: 'id' } });

    const malformed = await h.request('recipient', 'GET', '/api/v1/parties/nld');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('lists the ten capability areas in order, the eight coalitions with their lead nations', async () => {
    const response = await h.request('validator', 'GET', '/api/v1/capability-areas');
    expect(response.statusCode).toBe(200);
    const areas: AreaJson[] = response.json().items;
    expect(areas.map((a) => a.code)).toEqual([
      'air_force',
      'air_missile_defence',
      'artillery',
      'armour',
      'maritime',
      'it',
      'demining',
      'drones',
      'sustainment',
      'other',
    ]);
    const leads = Object.fromEntries(areas.map((a) => [a.code, a.leadNations]));
    expect(leads).toEqual({
      air_force: ['DNK', 'NLD', 'USA'],
      air_missile_defence: ['DEU', 'FRA'],
      artillery: ['FRA', 'USA'],
      armour: ['DEU', 'POL'],
      maritime: ['GBR', 'NOR'],
      it: ['EST', 'LUX'],
      demining: ['ISL', 'LTU'],
      drones: ['GBR', 'LVA'],
      sustainment: [],
      other: [],
    });
    expect(areas.filter((a) => a.coalition)).toHaveLength(8);
    expect(areas.find((a) => a.code === 'sustainment')!.coalition).toBe(false);
    expect(areas.find((a) => a.code === 'other')!.coalition).toBe(false);
    for (const area of areas) {
      expect(area.names.en.trim(), area.code).not.toBe('');
      expect(area.names.fr.trim(), area.code).not.toBe('');
      expect(area.names.uk, area.code).toMatch(CYRILLIC_ONLY);
    }
  });

  it('answers 401 without an actor, and lets every signed-in role read', async () => {
    for (const url of ['/api/v1/parties', '/api/v1/parties/NLD', '/api/v1/capability-areas']) {
      const anonymous = await h.request(undefined, 'GET', url);
      expect(anonymous.statusCode, url).toBe(401);
      expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
    }
    for (const role of [
      'coordinator',
      'contributor:POL',
      'recipient',
      'validator',
      'supplier',
      'auditor',
      'admin',
    ]) {
      expect((await h.request(role, 'GET', '/api/v1/parties/NLD')).statusCode, role).toBe(200);
    }
  });

  it('documents the routes in OpenAPI with operation ids, the reference tag and components', async () => {
    const document = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const operations = [
      ['/api/v1/parties', 'get', 'listParties'],
      ['/api/v1/parties/{id}', 'get', 'getParty'],
      ['/api/v1/parties/{id}', 'patch', 'updateParty'],
      ['/api/v1/capability-areas', 'get', 'listCapabilityAreas'],
    ] as const;
    for (const [path, method, operationId] of operations) {
      const operation = document.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toMatchObject({ operationId, tags: ['reference'] });
    }
    expect(
      document.paths['/api/v1/parties/{id}'].get.responses['200'].content['application/json']
        .schema,
    ).toEqual({ $ref: '#/components/schemas/Party' });
    expect(
      document.paths['/api/v1/parties/{id}'].patch.requestBody.content['application/json'].schema,
    ).toMatchObject({ type: 'object', additionalProperties: false });
    for (const name of ['Party', 'PartyPage', 'CapabilityArea', 'CapabilityAreaList']) {
      expect(document.components.schemas[name], name).toBeDefined();
    }
    // No request-side `…Input` twin of a reference component.
    expect(
      Object.keys(document.components.schemas).filter(
        (n) => /^(Party|CapabilityArea|LocalizedNames)/.test(n) && n.endsWith('Input'),
      ),
    ).toEqual([]);
  });
});
