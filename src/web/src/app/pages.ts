/**
 * The pages of the app: the one table the router is built from. Each page has its path, who may
 * open it (`access`), its translated title key and its component, loaded on first visit (each
 * page is its own chunk).
 *
 * To add a page: write `features/<feature>/<Name>Page.tsx` with a default export, add an entry
 * here, and — if it belongs in the menu — an entry in `nav.ts`. Signed-in pages render inside
 * the app shell; `public` pages render in the public layout without sign-in.
 */
import type { ComponentType } from 'react';
import type { Access } from './access';

export interface PageDefinition {
  /** A react-router path: `/`, `/analysis/drill`, `/packages/:id`. */
  path: string;
  access: Access;
  load: () => Promise<{ default: ComponentType }>;
}

export const PAGES: readonly PageDefinition[] = [
  {
    path: '/',
    access: 'analytics.read',
    load: () => import('../features/dashboard/DashboardPage'),
  },
  {
    path: '/analysis/drill',
    access: 'analytics.read',
    load: () => import('../features/drill/DrillPage'),
  },
  {
    path: '/public',
    access: 'public',
    load: () => import('../features/public/PublicPage'),
  },
];
