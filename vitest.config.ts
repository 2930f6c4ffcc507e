import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    // The PostgreSQL cluster of the run; the web app built when its sources changed (tests/web).
    globalSetup: ['tests/support/global-setup.ts', 'tests/web/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits 1 s by default: too short for a browser on two loaded cores.
    expect: { poll: { timeout: 15_000 } },
    // Two cores: two workers; each suite opens its own PGlite instance or PostgreSQL database.
    maxWorkers: 2,
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
