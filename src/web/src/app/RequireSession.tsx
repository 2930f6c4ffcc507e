/**
 * The guard of every signed-in page (see `session.tsx` for the rules): loading → a centred
 * loader; no session → sign-in with the return path; a session → the app shell.
 */
import { Center } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { useMe } from '../api/auth';
import { isApiError } from '../api/errors';
import { ErrorState } from '../ui/QueryState';
import { AppLayout } from './AppLayout';
import { PageLoader } from './PageLoader';
import { SessionProvider, markSignedIn, sessionOf, signInPath, wasSignedIn } from './session';

export function RequireSession() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const session = me.data ? sessionOf(me.data) : null;
  useEffect(() => {
    if (session) markSignedIn(true);
  }, [session]);

  if (me.isError && isApiError(me.error) && me.error.status === 401) {
    const here = `${location.pathname}${location.search}`;
    return <Navigate to={signInPath(here, wasSignedIn() ? 'expired' : undefined)} replace />;
  }
  if (me.isError) {
    return (
      <Center mih="60vh" p="md">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      </Center>
    );
  }
  if (!me.data) return <PageLoader />;
  if (!session) {
    // A development actor or a role this app does not know: nothing to show safely.
    return (
      <Center mih="60vh" p="md">
        <ErrorState error={new Error(t('errors.unknownRole', { role: me.data.role }))} />
      </Center>
    );
  }
  return (
    <SessionProvider session={session}>
      <AppLayout />
    </SessionProvider>
  );
}
