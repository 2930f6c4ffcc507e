/**
 * The signed-in shell: a header (menu button below `md`, the app's name, the language switcher,
 * the account menu), the navigation of the signed-in role (`nav.ts`), and the page. Below `md`
 * (tablets) the menu is behind the button and, closed, out of reach. A "skip to content" link
 * comes first for keyboard users; after each navigation to another page the focus
 * moves to the page's heading, so a screen reader announces where one arrived.
 */
import { AppShell, Burger, Group, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useMatch } from 'react-router';
import { LanguageSwitcher } from '../ui/LanguageSwitcher';
import { navFor, type NavEntry } from './nav';
import { useSession } from './session';
import { UserMenu } from './UserMenu';
import classes from './layout.module.css';

export function AppLayout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  // Below `md` the closed menu slides out of view: make it unreachable too (no focus, not read).
  const narrow = useMediaQuery('(max-width: 61.99em)') === true;
  const session = useSession();
  const location = useLocation();
  useFocusHeadingOnNavigation(location.pathname);
  // A chosen entry closes the menu on a tablet.
  useEffect(close, [location.pathname, close]);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'md', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#main-content" className={classes.skipLink}>
        {t('skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="md"
              size="sm"
              aria-label={opened ? t('nav.closeMenu') : t('nav.openMenu')}
              aria-expanded={opened}
              aria-controls="main-navigation"
            />
            <UnstyledButton component={Link} to="/" className={classes.brand}>
              <img src="/favicon.svg" alt="" width={28} height={28} />
              <Text fw={700} size="lg" component="span">
                {t('appName')}
              </Text>
            </UnstyledButton>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitcher />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar
        p="xs"
        id="main-navigation"
        aria-label={t('nav.label')}
        component="nav"
        inert={narrow && !opened}
      >
        <ScrollArea>
          {navFor(session.me.operations).map((entry) => (
            <NavItem key={entry.to} entry={entry} />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main-content" tabIndex={-1} component="main">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

function NavItem({ entry }: { entry: NavEntry }) {
  const { t } = useTranslation();
  const active = useMatch({ path: entry.to, end: entry.end ?? false }) !== null;
  return (
    <NavLink
      component={Link}
      to={entry.to}
      label={t(entry.labelKey)}
      active={active}
      aria-current={active ? 'page' : undefined}
      variant="light"
    />
  );
}

/** After a move to another page (not a query change), focus its `h1`. */
function useFocusHeadingOnNavigation(pathname: string): void {
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    // The page may still be loading its chunk: wait a frame for its heading.
    const frame = window.requestAnimationFrame(() => {
      document.querySelector<HTMLElement>('[data-page-heading]')?.focus();
    });
    return () => window.cancelAnimationFrame(frame);
  }, [pathname]);
}
