/** The root of every route: the session watcher, then the matched layout and page. */
import { Outlet } from 'react-router';
import { SessionWatcher } from './session';

export function RootLayout() {
  return (
    <>
      <SessionWatcher />
      <Outlet />
    </>
  );
}
