/**
 * Vitest global setup: builds the web application once per run when its sources changed since
 * the last build (`isWebBuildCurrent`), so the browser tests — and `purl serve` spawned by other
 * tests — find `src/web/dist` current. Says so, and how long it took. A failed build does not stop
 * the run (the server's own tests need no web app): it is reported here, and the browser tests
 * then fail saying the build is not current (`support/server.ts`).
 */
import { buildWeb, isWebBuildCurrent } from '../../src/web/tools/build.js';

export async function setup(): Promise<void> {
  if (await isWebBuildCurrent()) return;
  try {
    const result = await buildWeb();
    console.log(`web app built for the tests in ${result.seconds.toFixed(1)} s`);
  } catch (error) {
    console.error(`web app build failed; the browser tests will fail: ${String(error)}`);
  }
}
