/**
 * The router, built from the page table (`pages.ts`): public pages (and sign-in) in the public
 * layout; every other page behind `RequireSession`, in the app shell, gated by its `access`.
 * Each page's code is loaded on its first visit.
 */
import { createBrowserRouter, type RouteObject } from 'react-router';
import { HomePage } from './HomePage';
import { NotFoundPage } from './NotFoundPage';
import { PageLoader } from './PageLoader';
import { PageGate } from './PageGate';
import { PAGES, type PageDefinition } from './pages';
import { PublicLayout } from './PublicLayout';
import { RequireSession } from './RequireSession';
import { RootLayout } from './RootLayout';

function publicRoute(page: PageDefinition): RouteObject {
  return {
    path: page.path,
    lazy: async () => ({ Component: (await page.load()).default }),
  };
}

function signedInRoute(page: PageDefinition): RouteObject {
  return {
    path: page.path,
    lazy: async () => {
      const { default: Page } = await page.load();
      const Gate = page.path === '/' ? HomePage : PageGate;
      return { Component: () => <Gate access={page.access} page={Page} /> };
    },
  };
}

export function createAppRouter() {
  return createBrowserRouter([
    {
      element: <RootLayout />,
      // Shown while the first page's code loads.
      HydrateFallback: PageLoader,
      children: [
        {
          element: <PublicLayout />,
          children: [
            {
              path: '/sign-in',
              lazy: async () => ({
                Component: (await import('../features/auth/SignInPage')).default,
              }),
            },
            ...PAGES.filter((page) => page.access === 'public').map(publicRoute),
          ],
        },
        {
          element: <RequireSession />,
          children: [
            ...PAGES.filter((page) => page.access !== 'public').map(signedInRoute),
            { path: '*', Component: NotFoundPage },
          ],
        },
      ],
    },
  ]);
}
