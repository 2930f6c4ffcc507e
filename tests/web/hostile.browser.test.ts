/**
 * Script payloads stored through the API — package, contribution, meeting, announcement,
 * requirement list and item titles, a party's English name, a user's display name — and then
 * shown by every page that shows them, in English, in a real browser: each payload reads
 * literally on the page, none runs (`window.__pwned` stays undefined), no dialog opens and the
 * console stays clean (a payload stopped only by the CSP would log a violation there). The web
 * app names parties from the browser's own CLDR data; the API's names show in the admin's
 * parties tab.
 */
import {
  request as playwrightRequest,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPT_PAYLOADS } from '../reliability/hostile-payloads.js';
import {
  collectConsoleErrors,
  expectNoConsoleErrors,
  launchBrowser,
  newContext,
  signIn,
  type ConsoleEntry,
} from './support/browser.js';
import { DEMO_PASSWORD, startWebServer, type WebServer } from './support/server.js';

/** A cycle no demo record uses: the packages list filtered by it holds only ours. */
const CYCLE = '2031-02';
const PARTY_NAME = '<img src=x onerror="window.__pwned=1">NLD';

interface Session {
  api: APIRequestContext;
  csrf: string;
}

describe('hostile text in the browser', () => {
  let server: WebServer;
  let browser: Browser;
  const sessions: APIRequestContext[] = [];
  const contexts: BrowserContext[] = [];
  const created = {
    packages: [] as { id: string; title: string }[],
    contributions: [] as { id: string; title: string }[],
    meeting: '',
    list: '',
    user: '',
  };

  async function session(email: string): Promise<Session> {
    const api = await playwrightRequest.newContext({ baseURL: server.url });
    sessions.push(api);
    const login = await api.post('/api/v1/auth/login', {
      data: { email, password: DEMO_PASSWORD },
    });
    expect(login.status(), await login.text()).toBe(200);
    const { cookies } = await api.storageState();
    return { api, csrf: cookies.find((cookie) => cookie.name === 'purl_csrf')?.value ?? '' };
  }

  async function send(
    s: Session,
    method: 'POST' | 'PATCH',
    path: string,
    data: unknown,
  ): Promise<{ id: string }> {
    const response = await s.api.fetch(`/api/v1${path}`, {
      method,
      data: data as object,
      headers: { 'x-csrf-token': s.csrf },
    });
    expect(response.status(), `${method} ${path}: ${await response.text()}`).toBeLessThan(300);
    return (await response.json()) as { id: string };
  }

  /** A signed-in page whose dialogs and console errors are recorded. */
  async function pageAs(email: string) {
    const context = await newContext(browser);
    contexts.push(context);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const console = collectConsoleErrors(page);
    await page.goto(`${server.url}/`);
    await signIn(page, server.url, email);
    return { page, dialogs, console };
  }

  /**
   * Opens `path`, waits until every `expected` text reads on the page, then checks nothing ran:
   * no `window.__pwned`, no dialog, no console error, and no element any payload could add.
   */
  async function expectShownInert(
    view: { page: Page; dialogs: string[]; console: ConsoleEntry[] },
    path: string,
    expected: readonly string[],
    after?: (page: Page) => Promise<void>,
  ): Promise<void> {
    const { page } = view;
    await page.goto(`${server.url}${path}`);
    for (const text of expected) {
      await expect
        .poll(() => page.evaluate(() => document.body.innerText), { message: `${path}: ${text}` })
        .toContain(text);
    }
    if (after) await after(page);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned), path).toBe(
      undefined,
    );
    expect(await page.locator('img[src="x"], iframe[srcdoc], svg[onload]').count(), path).toBe(0);
    expect(view.dialogs, path).toEqual([]);
    expectNoConsoleErrors(view.console);
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    const [coordinator, recipient, admin] = await Promise.all([
      session('coordinator@demo.purl'),
      session('recipient@demo.purl'),
      session('admin@demo.purl'),
    ]);

    await send(admin, 'PATCH', '/parties/NLD', { names: { en: PARTY_NAME } });
    created.user = (
      await send(admin, 'POST', '/users', {
        email: 'hostile@example.test',
        displayName: SCRIPT_PAYLOADS[0],
        role: 'auditor',
        password: 'Tangerine-Kite-Orbit-4217',
      })
    ).id;

    for (const title of SCRIPT_PAYLOADS) {
      const pkg = await send(coordinator, 'POST', '/packages', {
        cycle: CYCLE,
        title,
        targetMinor: '100000',
        sourceNote: title,
      });
      created.packages.push({ id: pkg.id, title });
      const contribution = await send(coordinator, 'POST', '/contributions', {
        donorPartyId: 'NLD',
        currency: 'EUR',
        amountMinor: '100000',
        announcedOn: '2026-04-10',
        title,
        internalNote: title,
        sourceNote: title,
      });
      await send(coordinator, 'POST', `/contributions/${contribution.id}/commit`, {
        committedOn: '2026-04-10',
      });
      created.contributions.push({ id: contribution.id, title });
    }

    const [place, title, summary] = SCRIPT_PAYLOADS;
    created.meeting = (
      await send(coordinator, 'POST', '/meetings', {
        number: 901,
        kind: 'other',
        heldOn: '2026-04-10',
        place,
        chairs: ['NLD'],
        title,
        summary,
      })
    ).id;
    for (const [i, text] of SCRIPT_PAYLOADS.entries()) {
      const announced = await send(
        coordinator,
        'POST',
        `/meetings/${created.meeting}/announcements`,
        {
          partyId: 'NLD',
          text,
          amountMinor: String(100_000 * (i + 1)),
          currency: 'EUR',
        },
      );
      const contribution = created.contributions[i];
      if (contribution) {
        const link = await coordinator.api.put(
          `/api/v1/meetings/${created.meeting}/announcements/${announced.id}/contributions/${contribution.id}`,
          { headers: { 'x-csrf-token': coordinator.csrf } },
        );
        expect(link.status(), await link.text()).toBe(200);
      }
    }

    created.list = (
      await send(recipient, 'POST', '/requirement-lists', {
        cycle: '2031-01',
        title: SCRIPT_PAYLOADS[1],
        sourceNote: SCRIPT_PAYLOADS[2],
      })
    ).id;
    for (const category of SCRIPT_PAYLOADS) {
      await send(recipient, 'POST', `/requirement-lists/${created.list}/items`, {
        capabilityArea: 'artillery',
        category,
        lethal: false,
        requestedQuantity: 1,
        unit: 'units',
        estimatedUnitCost: { amountMinor: '100', currency: 'USD' },
        description: category,
        justification: category,
      });
    }
  });
  afterAll(async () => {
    for (const api of sessions) await api.dispose();
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  it('packages, contributions, meetings and requirements show every payload as text', async () => {
    const view = await pageAs('coordinator@demo.purl');
    await expectShownInert(view, `/packages?cycle=${CYCLE}`, SCRIPT_PAYLOADS);
    for (const { id, title } of created.packages) {
      await expectShownInert(view, `/packages/${id}`, [title]);
    }
    await expectShownInert(view, '/contributions', SCRIPT_PAYLOADS);
    for (const { id, title } of created.contributions) {
      await expectShownInert(view, `/contributions/${id}`, [title]);
    }
    await expectShownInert(view, `/meetings/${created.meeting}`, SCRIPT_PAYLOADS, async (page) => {
      // The follow-up chart's tooltips are HTML: sweep the pointer over its bars.
      const chart = page.getByTestId('follow-up-card').locator('[data-chart]');
      await chart.scrollIntoViewIfNeeded();
      const box = await chart.boundingBox();
      expect(box).not.toBeNull();
      if (!box) return;
      let tooltips = 0;
      for (const x of [0.3, 0.45, 0.6]) {
        for (let y = box.y + 40; y < box.y + box.height - 8; y += 14) {
          await page.mouse.move(box.x + box.width * x, y);
          const shown = await page.evaluate(() =>
            [...document.querySelectorAll<HTMLElement>('div')].some(
              (div) => div.style.zIndex === '9999999' && div.innerText.includes('__pwned'),
            ),
          );
          if (shown) tooltips++;
        }
      }
      expect(tooltips, 'a tooltip showed a payload').toBeGreaterThan(0);
    });
    await expectShownInert(view, '/meetings', [SCRIPT_PAYLOADS[1]!]);
    await expectShownInert(view, '/requirements', [SCRIPT_PAYLOADS[1]!]);
    await expectShownInert(view, `/requirements/${created.list}`, SCRIPT_PAYLOADS);
    await expectShownInert(view, '/analysis/drill?figure=funnel.committed&currency=EUR', []);
  });

  it('the audit log and the users page show them inert too', async () => {
    const auditor = await pageAs('auditor@demo.purl');
    await expectShownInert(auditor, '/audit', ['__pwned']);
    const admin = await pageAs('admin@demo.purl');
    await expectShownInert(admin, '/admin', [SCRIPT_PAYLOADS[0]!]);
    // Party names from the API: the parties tab and the donor filter's options.
    await expectShownInert(admin, '/admin?tab=parties', [PARTY_NAME]);
  });
});
