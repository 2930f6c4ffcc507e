/**
 * The briefing at its edges, on both engines: a meeting in an otherwise empty database (no
 * contributions, no packages, no earlier meeting) still renders, saying so in each section; a
 * renderer that cannot start is 503 `REPORT_RENDERER_UNAVAILABLE` naming what to fix, and the
 * next render, with the browser back, works; a render slower than its limit is refused with the
 * limit's name; access: a role without `reports.read` is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { createMeeting, type MeetingDetail } from '../../src/services/meetings-service.js';
import { closeBrowser, renderPdf } from '../../src/services/reports/browser.js';
import { renderBriefing } from '../../src/services/reports/briefing-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import { pdfText, saveArtifact } from './pdf-text.js';

const ACTOR = systemActor('test:briefing-edge');

describe.each(ENGINES)('the briefing at its edges on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let meeting: MeetingDetail;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true, rateLimits: false });
    meeting = await createMeeting(t.database, ACTOR, {
      number: 40,
      kind: 'udcg',
      heldOn: '2026-03-10',
      place: 'Ramstein Air Base',
      chairs: ['USA'],
      participants: ['UKR', 'USA'],
    });
  });
  afterAll(async () => {
    delete process.env.PURL_CHROMIUM;
    await app?.close();
    await closeBrowser();
    await t?.close();
  });

  it('answers 503 REPORT_RENDERER_UNAVAILABLE when the browser cannot be found', async () => {
    process.env.PURL_CHROMIUM = '/nonexistent/chromium';
    try {
      const response = await app.inject({
        method: 'GET',
        url: `/api/v1/meetings/${meeting.id}/briefing?lang=en&asOf=2026-03-31`,
        headers: { 'x-purl-actor': 'auditor' },
      });
      expect(response.statusCode).toBe(503);
      const error = response.json().error;
      expect(error.code).toBe('REPORT_RENDERER_UNAVAILABLE');
      expect(error.details.field).toBe('PURL_CHROMIUM');
      expect(error.message).toContain('/nonexistent/chromium');
    } finally {
      delete process.env.PURL_CHROMIUM;
    }
  });

  it('renders a meeting of an empty database, each section saying there is nothing yet', async () => {
    // The failed launch above left no broken browser behind: this one starts.
    const briefing = await renderBriefing(t.database, ACTOR, {
      meetingId: meeting.id,
      lang: 'en',
      asOf: '2026-03-31',
    });
    await saveArtifact(`briefing-${engine}-empty-en.pdf`, briefing.pdf);
    const text = await pdfText(briefing.pdf);
    expect(text.pages[0]).toContain('40th meeting of the Ukraine Defense Contact Group');
    expect(text.pages[0]).toContain('Chair United States');
    expect(text.pages[0]).toContain('Committed $0 $0.00');
    expect(text.all).not.toContain('Synthetic demonstration data');
    expect(text.all).toContain('No committed contribution yet.');
    expect(text.all).toContain('No approved requirement yet.');
    expect(text.all).toContain('No earlier meeting is recorded.');
    expect(text.all).toContain('No package is stalled.');
  });

  it('refuses a render slower than its limit, naming the limit', async () => {
    const slow = renderPdf('<p>slow</p>', {
      headerTemplate: '<span></span>',
      footerTemplate: '<span></span>',
      timeoutMs: 1,
    });
    await expect(slow).rejects.toMatchObject({
      code: 'REPORT_RENDERER_UNAVAILABLE',
      details: { limit: 'briefingRenderTimeoutMs', timeoutMs: 1 },
    });
  });

  it('refuses an administrator (no operational reads) before rendering anything', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/meetings/${meeting.id}/briefing?lang=fr`,
      headers: { 'x-purl-actor': 'admin' },
    });
    expect(response.statusCode).toBe(403);
    await expect(
      renderBriefing(
        t.database,
        { id: 'user:admin', role: 'admin' },
        {
          meetingId: meeting.id,
          lang: 'fr',
        },
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
