/**
 * The providers every page relies on, in order: Mantine (theme, with the page's CSP nonce on
 * the `<style>` elements it and the modals' scroll lock write), notifications, TanStack Query's cache, the router.
 */
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { setNonce } from 'get-nonce';
import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { createQueryClient } from '../api/query-client';
import { createAppRouter } from './router';
import { cssVariablesResolver, theme } from './theme';

/** The nonce the server put on this page (`<meta property="csp-nonce">`), for Mantine's styles. */
function styleNonce(): string {
  return document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? '';
}

// The modals' scroll lock (react-remove-scroll) writes its own `<style>`: give it the nonce too.
setNonce(styleNonce());

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createAppRouter);
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      getStyleNonce={styleNonce}
      defaultColorScheme="light"
    >
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
