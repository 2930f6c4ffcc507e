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
    path: '/requirements',
    access: 'requirements.read',
    load: () => import('../features/requirements/RequirementListsPage'),
  },
  {
    path: '/requirements/:id',
    access: 'requirements.read',
    load: () => import('../features/requirements/RequirementListPage'),
  },
  {
    path: '/packages',
    access: 'packages.read',
    load: () => import('../features/packages/PackagesPage'),
  },
  {
    path: '/packages/:id',
    access: 'packages.read',
    load: () => import('../features/packages/PackagePage'),
  },
  {
    path: '/contributions',
    access: 'contributions.read',
    load: () => import('../features/contributions/ContributionsPage'),
  },
  {
    path: '/contributions/:id',
    access: 'contributions.read',
    load: () => import('../features/contributions/ContributionPage'),
  },
  {
    path: '/planner',
    access: 'plans.compute',
    load: () => import('../features/planner/PlannerPage'),
  },
  {
    path: '/meetings',
    access: 'meetings.read',
    load: () => import('../features/meetings/MeetingsPage'),
  },
  {
    path: '/meetings/:id',
    access: 'meetings.read',
    load: () => import('../features/meetings/MeetingPage'),
  },
  {
    path: '/analysis',
    access: 'analytics.read',
    load: () => import('../features/analysis/AnalysisPage'),
  },
  {
    path: '/analysis/:analysis',
    access: 'analytics.read',
    load: () => import('../features/analysis/AnalysisPage'),
  },
  {
    path: '/audit',
    access: 'audit.read',
    load: () => import('../features/audit/AuditPage'),
  },
  {
    path: '/admin',
    access: 'users.manage',
    load: () => import('../features/admin/AdminPage'),
  },
  {
    path: '/account',
    access: 'tokens.manage',
    load: () => import('../features/admin/AccountPage'),
  },
  {
    path: '/public',
    access: 'public',
    load: () => import('../features/public/PublicPage'),
  },
];
