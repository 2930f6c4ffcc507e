/**
 * The main menu: each entry with who sees it (`access`: the operation its page performs, as in
 * pages.ts — the server refuses the others anyway). The shell lists, in this order, the entries
 * the signed-in user may use. To add one: append `{ to, labelKey, access }` with `labelKey` in
 * `common:nav`.
 */
import type { ParseKeys } from 'i18next';
import { mayAccess, type Access, type Operation } from './access';

export interface NavEntry {
  to: string;
  /** A key of the `common` namespace. */
  labelKey: ParseKeys<'common'>;
  access: Access;
  /** Active only on this exact path (the start page), not on the paths below it. */
  end?: boolean;
}

export const NAV: readonly NavEntry[] = [
  { to: '/', labelKey: 'nav.dashboard', access: 'analytics.read', end: true },
  { to: '/requirements', labelKey: 'nav.requirements', access: 'requirements.read' },
  { to: '/packages', labelKey: 'nav.packages', access: 'packages.read' },
  { to: '/contributions', labelKey: 'nav.contributions', access: 'contributions.read' },
  { to: '/planner', labelKey: 'nav.planner', access: 'plans.compute' },
  { to: '/meetings', labelKey: 'nav.meetings', access: 'meetings.read' },
  { to: '/analysis', labelKey: 'nav.analysis', access: 'analytics.read' },
  { to: '/audit', labelKey: 'nav.audit', access: 'audit.read' },
  { to: '/admin', labelKey: 'nav.admin', access: 'users.manage' },
  { to: '/public', labelKey: 'nav.publicFigures', access: 'public' },
];

export function navFor(operations: readonly Operation[]): NavEntry[] {
  return NAV.filter((entry) => mayAccess(entry.access, operations));
}
