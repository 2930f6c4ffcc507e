/**
 * A real OpenID provider (`oidc-provider`) on a loopback port, for the tests of OpenID Connect
 * sign-in (tests/identity/oidc.test.ts over HTTP, tests/web/oidc.browser.test.ts in a browser).
 * Its development interactions stand in for the organisation's login and consent pages: any
 * password is accepted for the accounts below, whose login name is the subject; their claims
 * carry `purl_role` / `purl_party` as a ministry's provider would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { OidcOptions } from '../../src/services/oidc-service.js';

export const OIDC_CLIENT_ID = 'purl-ledger';
export const OIDC_CLIENT_SECRET = 'a-client-secret-of-enough-length-for-hs256';

/** The provider's accounts: the login name is the subject. */
export const OIDC_ACCOUNTS: Record<string, Record<string, unknown>> = {
  'coord-1': { email: 'coord@ministry.example', name: 'Coordinator One', purl_role: 'coordinator' },
  'nld-1': { email: 'nld@ministry.example', purl_role: 'contributor', purl_party: 'NLD' },
  'norole-1': { email: 'norole@ministry.example' },
  'badrole-1': { email: 'bad@ministry.example', purl_role: 'system' },
  'noparty-1': { email: 'noparty@ministry.example', purl_role: 'contributor' },
};

export interface OidcTestProvider {
  /** The issuer URL: `http://127.0.0.1:<port>`. */
  issuer: string;
  server: Server;
  /** The app's options to sign in with this provider (plain http allowed: loopback only). */
  options(redirectUri: string, displayName?: string): OidcOptions;
  close(): Promise<void>;
}

/** Starts the provider; it accepts the app's client with these callback URLs only. */
export async function startOidcProvider(redirectUris: string[]): Promise<OidcTestProvider> {
  // Listen first (the issuer URL names the port), then hand requests to the provider.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    // The PURL claims come with the openid scope (so with code flow: from UserInfo).
    claims: {
      openid: ['sub', 'purl_role', 'purl_party'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, id) =>
      OIDC_ACCOUNTS[id]
        ? { accountId: id, claims: () => ({ sub: id, ...OIDC_ACCOUNTS[id] }) }
        : undefined,
  });
  provider.on('server_error', (_ctx, error) => console.error('oidc-provider', error));
  server.on('request', provider.callback());
  return {
    issuer,
    server,
    options: (redirectUri, displayName) => ({
      issuer,
      clientId: OIDC_CLIENT_ID,
      clientSecret: OIDC_CLIENT_SECRET,
      redirectUri,
      roleClaim: 'purl_role',
      partyClaim: 'purl_party',
      displayName,
      allowInsecureRequests: true, // the test provider is plain http on loopback
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
