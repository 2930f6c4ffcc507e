/**
 * Analyses computed in turn (services/analytics/figures.ts `runAnalysis`): identical calls made
 * at the same moment share one computation, at most `LIMITS.analysisComputationsMax` run at
 * once (the others wait without holding a snapshot), a failure reaches every caller that shared
 * it, and a write between two calls still gives the newer answer. The FIFO semaphore it uses
 * (storage/mutex.ts) is tested on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { LIMITS } from '../../src/core/limits.js';
import { runAnalysis, type CacheName } from '../../src/services/analytics/figures.js';
import type { Tx } from '../../src/storage/transaction.js';
import { readDataVersion } from '../../src/storage/analytics-repository.js';
import { Semaphore } from '../../src/storage/mutex.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import { createContribution } from '../../src/services/contributions-service.js';
import { ACTORS, system } from './support.js';

const options = { currency: 'EUR' as const, rateMode: 'value_date' as const, asOf: '2025-12-31' };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Semaphore', () => {
  it('lets `permits` holders in at once and the rest in arrival order', async () => {
    const semaphore = new Semaphore(2);
    const order: number[] = [];
    let active = 0;
    let most = 0;
    await Promise.all(
      [0, 1, 2, 3, 4].map(async (n) => {
        const release = await semaphore.acquire();
        order.push(n);
        active++;
        most = Math.max(most, active);
        await pause(5);
        active--;
        release();
        release(); // a second call is harmless
      }),
    );
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    const again = await semaphore.acquire(); // every permit came back
    const other = await semaphore.acquire();
    again();
    other();
  });

  it('refuses a count of permits below one', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

describe.each(ENGINES)('analyses computed in turn (%s)', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  /** `runAnalysis` as the analyses call it: the coordinator, the test options, a cache name. */
  const analyse = <T>(fn: (tx: Tx) => Promise<T>, name: CacheName) =>
    runAnalysis(t.database, ACTORS.coordinator, options, fn, name);

  it('computes identical calls made at once only once, and each caller gets the answer', async () => {
    let computed = 0;
    const name = { analysis: `shared-${engine}-${Date.now()}` };
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        analyse(async (tx) => {
          computed++;
          await pause(30);
          return { version: String(await readDataVersion(tx)) };
        }, name),
      ),
    );
    expect(computed).toBe(1);
    expect(new Set(results.map((r) => r.version)).size).toBe(1);
  });

  it(`runs at most ${LIMITS.analysisComputationsMax} different computations at once, and all finish`, async () => {
    let active = 0;
    let most = 0;
    const stamp = Date.now();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, n) =>
        analyse(
          async () => {
            active++;
            most = Math.max(most, active);
            await pause(25);
            active--;
            return n;
          },
          { analysis: `bounded-${engine}-${stamp}`, inputs: [n] },
        ),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBeLessThanOrEqual(LIMITS.analysisComputationsMax);
    // PGlite is one connection: its snapshots run one after another anyway.
    if (engine === 'postgres') expect(most).toBe(LIMITS.analysisComputationsMax);
  });

  it('gives a shared failure to every caller, and the next call computes again', async () => {
    let computed = 0;
    const name = { analysis: `failing-${engine}-${Date.now()}` };
    const call = () =>
      analyse(async () => {
        computed++;
        await pause(10);
        if (computed === 1) throw new DomainError('FX_RATE_UNAVAILABLE', 'no rate');
        return 'ok';
      }, name);
    const settled = await Promise.allSettled([call(), call(), call()]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(computed).toBe(1);
    await expect(call()).resolves.toBe('ok');
    expect(computed).toBe(2);
  });

  it('answers from the newer version after a committed write', async () => {
    const name = { analysis: `versioned-${engine}-${Date.now()}` };
    const read = () => analyse(async (tx) => String(await readDataVersion(tx)), name);
    const before = await read();
    await createContribution(t.database, system, {
      donorPartyId: 'NLD',
      currency: 'EUR',
      amountMinor: 100_00n,
      announcedOn: '2025-11-01',
      title: 'A pledge between two readings',
    });
    const after = await read();
    expect(BigInt(after)).toBeGreaterThan(BigInt(before));
  });
});
