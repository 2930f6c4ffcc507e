/**
 * The web app's API types are the server's contract: `src/web/src/api/schema.d.ts` is exactly
 * what `npm run web:api-types` generates from the routes now (a route changed without
 * regenerating fails here), and the CSP nonce placeholder of Vite's configuration is the one the
 * server replaces.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, renderApiTypes } from '../../src/web/tools/api-types.js';
import { CSP_NONCE_PLACEHOLDER, VITE_CONFIG } from '../../src/web/tools/paths.js';

describe('the web app’s contract with the server', () => {
  it('schema.d.ts matches the OpenAPI document (run `npm run web:api-types` if not)', async () => {
    const committed = await readFile(API_TYPES_FILE, 'utf8');
    const generated = await renderApiTypes();
    expect(
      committed === generated,
      'src/web/src/api/schema.d.ts is stale: run npm run web:api-types',
    ).toBe(true);
  });

  it('Vite writes the placeholder nonce the server replaces', async () => {
    const config = await readFile(VITE_CONFIG, 'utf8');
    expect(config).toContain(`cspNonce: '${CSP_NONCE_PLACEHOLDER}'`);
  });
});
