/**
 * The list of requirement lists carries each list's signatures (`signedRoles`), on both engines,
 * so the lists page needs no request per list: none before validation, each role as it signs,
 * all three once approved, and exactly what the list's own detail says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import {
  BASE,
  advance,
  draftList,
  openRequirementsApp,
  type RequirementsTestApp,
} from './support.js';

describe.each(ENGINES)('signatures in the list of requirement lists on %s', (engine) => {
  let h: RequirementsTestApp;

  beforeAll(async () => {
    h = await openRequirementsApp(engine);
  });
  afterAll(async () => {
    await h?.close();
  });

  const summaries = async () => {
    const all: { id: string; status: string; signedRoles: string[] }[] = [];
    let cursor: string | null = null;
    do {
      const r = await h.request(
        'auditor',
        'GET',
        `${BASE}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(r.statusCode).toBe(200);
      const page = r.json();
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return new Map(all.map((s) => [s.id, s]));
  };

  it('lists the roles that signed each list, as its detail does', async () => {
    const draft = await draftList(h);
    const submitted = await draftList(h);
    await advance(h, submitted.id, 'submitted');
    const oneSigned = await draftList(h);
    await advance(h, oneSigned.id, 'validated');
    const twoSigned = await draftList(h);
    await advance(h, twoSigned.id, 'validated');
    const approved = await draftList(h);
    await advance(h, approved.id, 'approved');
    for (const [id, roles] of [
      [oneSigned.id, ['supplier']],
      [twoSigned.id, ['recipient', 'coordinator']],
    ] as const) {
      for (const role of roles) {
        const r = await h.request(role, 'POST', `${BASE}/${id}/approve`, { payload: {} });
        expect(r.statusCode, r.body).toBe(200);
      }
    }

    const listed = await summaries();
    expect(listed.get(draft.id)?.signedRoles).toEqual([]);
    expect(listed.get(submitted.id)?.signedRoles).toEqual([]);
    expect(listed.get(oneSigned.id)?.signedRoles).toEqual(['supplier']);
    expect(listed.get(twoSigned.id)?.signedRoles).toEqual(['coordinator', 'recipient']);
    expect(listed.get(approved.id)).toMatchObject({
      status: 'approved',
      signedRoles: ['coordinator', 'recipient', 'supplier'],
    });
    for (const [id, summary] of listed) {
      const detail = (await h.request('auditor', 'GET', `${BASE}/${id}`)).json();
      const roles = (detail.approvals as { role: string }[]).map((a) => a.role).sort();
      expect(summary.signedRoles, id).toEqual(roles);
    }
  });

  it('filters keep the signatures: the validated lists only', async () => {
    const r = await h.request('coordinator', 'GET', `${BASE}?status=validated`);
    expect(r.statusCode).toBe(200);
    const counts = (r.json().items as { signedRoles: string[] }[])
      .map((s) => s.signedRoles.length)
      .sort();
    expect(counts).toEqual([1, 2]);
  });
});
