/**
 * The main menu: each entry with the roles that see it (the roles that may use the page — the
 * server refuses the others anyway). The shell lists, in this order, the entries of the signed-in
 * role. To add one: append `{ to, labelKey, roles }` with `labelKey` in `common:nav`.
 */
import type { ParseKeys } from 'i18next';
import type { Role } from '../api/auth';
import { EVERY_ROLE, OPERATIONAL_READERS } from './access';

export interface NavEntry {
  to: string;
  /** A key of the `common` namespace. */
  labelKey: ParseKeys<'common'>;
  roles: readonly Role[];
  /** Active only on this exact path (the start page), not on the paths below it. */
  end?: boolean;
}

export const NAV: readonly NavEntry[] = [
  { to: '/', labelKey: 'nav.dashboard', roles: OPERATIONAL_READERS, end: true },
  { to: '/public', labelKey: 'nav.publicFigures', roles: EVERY_ROLE },
];

export function navFor(role: Role): NavEntry[] {
  return NAV.filter((entry) => entry.roles.includes(role));
}
