/**
 * Meetings through the API on both engines: the UDCG meeting of 2025-10-15 in Brussels (from the
 * seed press report), its announcements, the link of an announcement to the contribution it
 * became, and the follow-up as that contribution is committed and paid — plus access, duplicate
 * numbers, unknown parties, If-Match, idempotent creation and paging.
 *
 * The facts: the seed report (French) has NATO's Secretary General in Brussels praising the UK's
 * and Germany's defence ministers (the UDCG chairs) and the US Secretary of Defense, NATO staff
 * working "with the United Kingdom, Germany and Ukraine"; PRODUCT.md dates it 2025-10-15 and
 * quotes "already 2 billion committed". The meeting number (31) is not in the seed text, and
 * Spain's €100M (PRODUCT.md: 2025-10) being announced at this meeting is an assumption of the
 * test: marked synthetic. Payment amounts are synthetic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const system = systemActor('test');

const SEED_NOTE =
  'Seed press report (fr), UDCG meeting in Brussels: Rutte thanks John Healey (GBR) and Boris ' +
  'Pistorius (DEU), the chairs, and Pete Hegseth (USA); date from PRODUCT.md; number not in the source.';

const UDCG_31 = {
  number: 31,
  kind: 'udcg',
  heldOn: '2025-10-15',
  place: 'Brussels',
  chairs: ['GBR', 'DEU'],
  participants: ['USA', 'UKR', 'NATO-HQ'],
  title: 'Ukraine Defense Contact Group',
  sourceNote: SEED_NOTE,
};

describe.each(ENGINES)('meetings API on %s', (engine) => {
  let t: TestDatabase;
  let app: App;

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    actor: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...(actor ? { 'x-purl-actor': actor } : {}), ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });

  const createMeeting = (
    overrides: Record<string, unknown> = {},
    actor: string | null = 'coordinator',
  ) => call('POST', '/meetings', actor, { ...UDCG_31, ...overrides });

  let meetingId: string;
  let esp: { announcementId: string; contributionId: string };

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('a coordinator records the UDCG meeting of 2025-10-15 in Brussels', async () => {
    const created = await createMeeting();
    expect(created.statusCode).toBe(201);
    const m = created.json();
    expect(m).toMatchObject({
      number: 31,
      kind: 'udcg',
      heldOn: '2025-10-15',
      place: 'Brussels',
      chairs: ['GBR', 'DEU'],
      participants: ['USA', 'UKR', 'NATO-HQ'],
      synthetic: false,
      version: 1,
      announcements: [],
    });
    expect(typeof m.id).toBe('string');
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`/api/v1/meetings/${m.id}`);
    meetingId = m.id;
  });

  it('only coordinators write meetings; every other role but admin reads them', async () => {
    const asContributor = await createMeeting({ number: 900 }, 'contributor:NLD');
    expect(asContributor.statusCode).toBe(403);
    expect(asContributor.json().error).toMatchObject({
      code: 'FORBIDDEN',
      details: { operation: 'meetings.write' },
    });
    expect((await createMeeting({ number: 901 }, 'auditor')).statusCode).toBe(403);
    expect((await createMeeting({ number: 902 }, null)).statusCode).toBe(401);
    const announce = await call('POST', `/meetings/${meetingId}/announcements`, 'contributor:NLD', {
      partyId: 'NLD',
      text: 'x',
    });
    expect(announce.statusCode).toBe(403);

    for (const actor of ['contributor:NLD', 'auditor', 'recipient', 'supplier']) {
      expect((await call('GET', `/meetings/${meetingId}`, actor)).statusCode).toBe(200);
    }
    expect((await call('GET', `/meetings/${meetingId}`, 'admin')).statusCode).toBe(403);
    expect((await call('GET', `/meetings/${meetingId}`, null)).statusCode).toBe(401);
  });

  it('a meeting number is recorded once: a second one is 409 DUPLICATE naming number', async () => {
    const again = await createMeeting({ place: 'NATO Headquarters' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'DUPLICATE', details: { field: 'number' } });
  });

  it('chairs and participants must be known parties: 400 naming the entry', async () => {
    const unknownChair = await createMeeting({ number: 910, chairs: ['GBR', 'XYZ'] });
    expect(unknownChair.statusCode).toBe(400);
    expect(unknownChair.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'chairs.1' },
    });
    const unknownParticipant = await createMeeting({ number: 911, participants: ['UKR', 'ZZZ'] });
    expect(unknownParticipant.json().error.details.field).toBe('participants.1');
    const malformed = await createMeeting({ number: 912, chairs: ['gbr'] });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.details.field).toBe('body.chairs.0');
    const twice = await createMeeting({ number: 913, chairs: ['GBR', 'GBR'] });
    expect(twice.json().error.details.field).toBe('chairs.1');
    const noChair = await createMeeting({ number: 914, chairs: [] });
    expect(noChair.statusCode).toBe(400);
    const badDate = await createMeeting({ number: 915, heldOn: '2025-02-30' });
    expect(badDate.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'heldOn' },
    });
    // Nothing of these was written.
    const list = (await call('GET', '/meetings?limit=200', 'coordinator')).json();
    expect(list.items.map((m: { number: number }) => m.number)).toEqual([31]);
  });

  it('records announcements: words in the language reported, an amount with its currency or none', async () => {
    const rutte = await call('POST', `/meetings/${meetingId}/announcements`, 'coordinator', {
      partyId: 'NATO-HQ',
      text: 'already 2 billion committed',
      sourceNote: 'PRODUCT.md: Rutte at the UDCG of 2025-10-15',
    });
    expect(rutte.statusCode).toBe(201);
    expect(rutte.json()).toMatchObject({
      partyId: 'NATO-HQ',
      amountMinor: null,
      currency: null,
      contributionIds: [],
      meetingVersion: 2,
    });

    const spain = await call('POST', `/meetings/${meetingId}/announcements`, 'coordinator', {
      partyId: 'ESP',
      text: 'Spain: €100M for PURL',
      amountMinor: '10000000000',
      currency: 'EUR',
      synthetic: true,
      sourceNote: 'PRODUCT.md: Spain €100M (2025-10); announced at this meeting is an assumption',
    });
    expect(spain.statusCode).toBe(201);
    expect(spain.json()).toMatchObject({
      amountMinor: '10000000000',
      currency: 'EUR',
      synthetic: true,
      meetingVersion: 3,
    });

    const amountNoCurrency = await call(
      'POST',
      `/meetings/${meetingId}/announcements`,
      'coordinator',
      { partyId: 'ESP', text: 'x', amountMinor: '1' },
    );
    expect(amountNoCurrency.statusCode).toBe(400);
    expect(amountNoCurrency.json().error.details.field).toBe('currency');
    const asNumber = await call('POST', `/meetings/${meetingId}/announcements`, 'coordinator', {
      partyId: 'ESP',
      text: 'x',
      amountMinor: 100,
      currency: 'EUR',
    });
    expect(asNumber.statusCode).toBe(400);
    expect(asNumber.json().error.details.field).toBe('body.amountMinor');
    const unknownParty = await call('POST', `/meetings/${meetingId}/announcements`, 'coordinator', {
      partyId: 'XYZ',
      text: 'x',
    });
    expect(unknownParty.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'partyId' },
    });
    const unknownCurrency = await call(
      'POST',
      `/meetings/${meetingId}/announcements`,
      'coordinator',
      { partyId: 'ESP', text: 'x', amountMinor: '1', currency: 'XXQ' },
    );
    expect(unknownCurrency.json().error).toMatchObject({
      code: 'CURRENCY_UNKNOWN',
      details: { field: 'currency' },
    });
    expect(
      (
        await call('POST', '/meetings/999999/announcements', 'coordinator', {
          partyId: 'ESP',
          text: 'x',
        })
      ).statusCode,
    ).toBe(404);

    const detail = await call('GET', `/meetings/${meetingId}`, 'contributor:NLD');
    expect(detail.headers.etag).toBe('"3"');
    expect(detail.json().announcements.map((a: { partyId: string }) => a.partyId)).toEqual([
      'NATO-HQ',
      'ESP',
    ]);
    esp = { announcementId: spain.json().id, contributionId: '' };
  });

  it('links an announcement to the contribution it became, and the follow-up tracks it', async () => {
    const contribution = await call('POST', '/contributions', 'coordinator', {
      donorPartyId: 'ESP',
      currency: 'EUR',
      amountMinor: '10000000000',
      announcedOn: '2025-10-15',
      title: 'Spain PURL contribution',
      sourceNote: 'PRODUCT.md: Spain €100M (2025-10)',
    });
    expect(contribution.statusCode).toBe(201);
    esp.contributionId = contribution.json().id;
    const linkUrl = `/meetings/${meetingId}/announcements/${esp.announcementId}/contributions/${esp.contributionId}`;

    const linked = await call('PUT', linkUrl, 'coordinator');
    expect(linked.statusCode).toBe(200);
    expect(linked.json()).toMatchObject({
      contributionIds: [esp.contributionId],
      meetingVersion: 4,
    });
    // Linking again changes nothing.
    const again = await call('PUT', linkUrl, 'coordinator');
    expect(again.json()).toMatchObject({
      contributionIds: [esp.contributionId],
      meetingVersion: 4,
    });
    expect((await call('PUT', linkUrl, 'contributor:ESP')).statusCode).toBe(403);

    const pledged = (
      await call('GET', `/meetings/${meetingId}/follow-up`, 'contributor:NLD')
    ).json();
    expect(pledged.meeting).toMatchObject({ number: 31, version: 4 });
    expect(pledged.announcements).toHaveLength(2);
    expect(pledged.announcements[0]).toMatchObject({
      partyId: 'NATO-HQ',
      status: 'not_linked',
      contributions: [],
      totals: [],
    });
    expect(pledged.announcements[1]).toMatchObject({
      partyId: 'ESP',
      amountMinor: '10000000000',
      currency: 'EUR',
      status: 'pledged',
      contributions: [
        {
          id: esp.contributionId,
          status: 'pledged',
          currency: 'EUR',
          pledgedMinor: '10000000000',
          committedMinor: '0',
          paidMinor: '0',
        },
      ],
      totals: [
        { currency: 'EUR', announcedMinor: '10000000000', committedMinor: '0', paidMinor: '0' },
      ],
    });

    await call('POST', `/contributions/${esp.contributionId}/commit`, 'coordinator', {
      committedOn: '2025-10-20',
    });
    const committed = (await call('GET', `/meetings/${meetingId}/follow-up`, 'auditor')).json();
    expect(committed.announcements[1]).toMatchObject({
      status: 'committed',
      contributions: [{ status: 'committed', committedMinor: '10000000000', paidMinor: '0' }],
    });

    await call('POST', `/contributions/${esp.contributionId}/payments`, 'coordinator', {
      amountMinor: '4000000000',
      paidOn: '2025-11-03',
    });
    const partial = (await call('GET', `/meetings/${meetingId}/follow-up`, 'coordinator')).json();
    expect(partial.announcements[1]).toMatchObject({
      status: 'partially_paid',
      contributions: [
        { status: 'partially_paid', committedMinor: '10000000000', paidMinor: '4000000000' },
      ],
    });
    expect(partial.totals).toEqual([
      {
        currency: 'EUR',
        announcedMinor: '10000000000',
        committedMinor: '10000000000',
        paidMinor: '4000000000',
      },
    ]);

    await call('POST', `/contributions/${esp.contributionId}/payments`, 'coordinator', {
      amountMinor: '6000000000',
      paidOn: '2025-12-01',
    });
    const paid = (await call('GET', `/meetings/${meetingId}/follow-up`, 'coordinator')).json();
    expect(paid.announcements[1]).toMatchObject({
      status: 'paid',
      contributions: [{ status: 'paid', paidMinor: '10000000000' }],
    });
  });

  it('links only a contribution of the announcing party: another’s is 400 naming contributionId', async () => {
    const nld = await call('POST', '/contributions', 'contributor:NLD', {
      donorPartyId: 'NLD',
      currency: 'EUR',
      amountMinor: '50000000000',
      announcedOn: '2025-08-04',
      title: 'PURL package 1',
    });
    const url = `/meetings/${meetingId}/announcements/${esp.announcementId}/contributions/${nld.json().id}`;
    const wrong = await call('PUT', url, 'coordinator');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'contributionId', announcementPartyId: 'ESP', contributionDonorId: 'NLD' },
    });
    const missing = await call(
      'PUT',
      `/meetings/${meetingId}/announcements/${esp.announcementId}/contributions/999999`,
      'coordinator',
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.details.field).toBe('contributionId');
    // An announcement is reached only through its own meeting.
    const other = (
      await createMeeting({ number: 30, heldOn: '2025-09-09', place: 'London' })
    ).json();
    const elsewhere = await call(
      'PUT',
      `/meetings/${other.id}/announcements/${esp.announcementId}/contributions/${esp.contributionId}`,
      'coordinator',
    );
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().error.details.field).toBe('announcementId');
  });

  it('PATCH honours If-Match: a stale version is 412 and changes nothing', async () => {
    const current = await call('GET', `/meetings/${meetingId}`, 'coordinator');
    const etag = current.headers.etag as string;
    const stale = await call(
      'PATCH',
      `/meetings/${meetingId}`,
      'coordinator',
      { place: 'NATO Headquarters, Brussels' },
      { 'if-match': '"1"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.code).toBe('PRECONDITION_FAILED');
    expect((await call('GET', `/meetings/${meetingId}`, 'coordinator')).json().place).toBe(
      'Brussels',
    );

    const changed = await call(
      'PATCH',
      `/meetings/${meetingId}`,
      'coordinator',
      { place: 'NATO Headquarters, Brussels', summary: 'Defence ministers’ UDCG at NATO HQ.' },
      { 'if-match': etag },
    );
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      place: 'NATO Headquarters, Brussels',
      chairs: ['GBR', 'DEU'],
      version: current.json().version + 1,
    });
    expect(changed.json().announcements).toHaveLength(2);
    expect(changed.headers.etag).toBe(`"${current.json().version + 1}"`);

    const takenNumber = await call('PATCH', `/meetings/${meetingId}`, 'coordinator', {
      number: 30,
    });
    expect(takenNumber.statusCode).toBe(409);
    expect(takenNumber.json().error).toMatchObject({
      code: 'DUPLICATE',
      details: { field: 'number' },
    });
    const badChair = await call('PATCH', `/meetings/${meetingId}`, 'coordinator', {
      chairs: ['GBR', 'QQQ'],
    });
    expect(badChair.json().error.details.field).toBe('chairs.1');
    const empty = await call('PATCH', `/meetings/${meetingId}`, 'coordinator', {});
    expect(empty.statusCode).toBe(400);
    const asContributor = await call('PATCH', `/meetings/${meetingId}`, 'contributor:NLD', {
      place: 'x',
    });
    expect(asContributor.statusCode).toBe(403);
    // An announcement write with a stale If-Match is refused too.
    const staleAnnouncement = await call(
      'POST',
      `/meetings/${meetingId}/announcements`,
      'coordinator',
      { partyId: 'DEU', text: 'x' },
      { 'if-match': etag },
    );
    expect(staleAnnouncement.statusCode).toBe(412);
  });

  it('creating with an Idempotency-Key: a retry returns the same meeting; another body is 409', async () => {
    const headers = { 'idempotency-key': 'udcg-32' };
    const body = { ...UDCG_31, number: 32, heldOn: '2025-12-16', place: 'online', synthetic: true };
    const first = await call('POST', '/meetings', 'coordinator', body, headers);
    const again = await call('POST', '/meetings', 'coordinator', body, headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    const other = await call('POST', '/meetings', 'coordinator', { ...body, number: 33 }, headers);
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
    // Without a key a repeat is a duplicate number, not a second meeting.
    expect((await call('POST', '/meetings', 'coordinator', body)).json().error.code).toBe(
      'DUPLICATE',
    );
  });

  it('unlinking removes the link; unlinking again is 404', async () => {
    const url = `/meetings/${meetingId}/announcements/${esp.announcementId}/contributions/${esp.contributionId}`;
    const removed = await call('DELETE', url, 'coordinator');
    expect(removed.statusCode).toBe(200);
    expect(removed.json().contributionIds).toEqual([]);
    expect((await call('DELETE', url, 'coordinator')).statusCode).toBe(404);
    const followUp = (await call('GET', `/meetings/${meetingId}/follow-up`, 'auditor')).json();
    expect(followUp.announcements[1]).toMatchObject({ status: 'not_linked', contributions: [] });
    expect(followUp.totals).toEqual([
      { currency: 'EUR', announcedMinor: '10000000000', committedMinor: '0', paidMinor: '0' },
    ]);
    expect((await call('PUT', url, 'coordinator')).statusCode).toBe(200);
  });

  it('lists newest first with a cursor, filtered by kind and date', async () => {
    await createMeeting({
      number: 1000,
      kind: 'ministerial',
      heldOn: '2025-10-16',
      place: 'Brussels',
    });
    const seen: { number: number; heldOn: string }[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/meetings?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await call('GET', url, 'auditor')).json();
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((m) => m.number)).toEqual([32, 1000, 31, 30]);
    const udcgOctober = (
      await call('GET', '/meetings?kind=udcg&from=2025-10-01&to=2025-10-31', 'contributor:NLD')
    ).json();
    expect(udcgOctober.items.map((m: { number: number }) => m.number)).toEqual([31]);
    expect((await call('GET', '/meetings?cursor=nonsense', 'auditor')).statusCode).toBe(400);
    expect((await call('GET', '/meetings?from=2025-13-01', 'auditor')).statusCode).toBe(400);
    expect((await call('GET', '/meetings?kind=summit', 'auditor')).statusCode).toBe(400);
  });

  it('documents every meeting route in OpenAPI, money as strings', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const ops = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>)
      .flatMap((p) => Object.values(p))
      .map((o) => o.operationId);
    expect(ops).toEqual(
      expect.arrayContaining([
        'listMeetings',
        'createMeeting',
        'getMeeting',
        'updateMeeting',
        'getMeetingFollowUp',
        'addMeetingAnnouncement',
        'linkMeetingAnnouncementContribution',
        'unlinkMeetingAnnouncementContribution',
      ]),
    );
    const totals = doc.components.schemas.MeetingCurrencyTotals;
    expect(totals.properties.announcedMinor.type).toBe('string');
  });

  it('afterwards the audit chain verifies and holds one event per meeting command', async () => {
    expect((await verifyAudit(t.database, system)).ok).toBe(true);
    const events = await t.database.kysely
      .selectFrom('audit_event')
      .select(['action'])
      .where('entity', '=', 'meeting')
      .where('entity_id', '=', meetingId)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual([
      'create',
      'announce',
      'announce',
      'link_contribution',
      'update',
      'unlink_contribution',
      'link_contribution',
    ]);
  });
});
