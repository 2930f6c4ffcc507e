/**
 * The analyses' result cache (services/analytics/result-cache.ts): a committed write between two
 * calls changes the answer (no stale figure), a result is given again only for the same data
 * version, analysis, options and reader scope — two contributors of different parties never see
 * each other's redacted drill-down — `generatedAt` is stamped for each response, results are
 * frozen, and the bounds (entries, bytes) hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/core/limits.js';
import { createContribution } from '../../src/services/contributions-service.js';
import { drillFigure } from '../../src/services/analytics/drill.js';
import { getFunnel } from '../../src/services/analytics/funnel.js';
import { getLeadTimes } from '../../src/services/analytics/lead-times.js';
import {
  ResultCache,
  analysisResults,
  freezeAndMeasure,
} from '../../src/services/analytics/result-cache.js';
import { ENGINES } from '../support/engines.js';
import { ACTORS, AS_OF, buildFundingWorld, system, type FundingWorld } from './support.js';

const options = { currency: 'EUR' as const, rateMode: 'value_date' as const, asOf: AS_OF };

describe.each(ENGINES)('analysis result cache (%s)', (engine) => {
  let w: FundingWorld;
  beforeAll(async () => {
    w = await buildFundingWorld(engine);
  }, 180_000);
  afterAll(async () => {
    await w.close();
  });

  it('answers a repeated call from the cache with the same figures and a fresh generatedAt', async () => {
    const first = await getFunnel(w.t.database, ACTORS.coordinator, options);
    const hits = analysisResults.stats().hits;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await getFunnel(w.t.database, ACTORS.coordinator, options);
    expect(analysisResults.stats().hits).toBe(hits + 1);
    expect(second.stages).toEqual(first.stages);
    expect(second.reconciliation).toEqual(first.reconciliation);
    expect({ ...second.basis, generatedAt: '' }).toEqual({ ...first.basis, generatedAt: '' });
    expect(second.basis.generatedAt > first.basis.generatedAt).toBe(true);
    // Shared results are frozen: a caller cannot change another reader's answer.
    expect(Object.isFrozen(second.stages)).toBe(true);
    expect(() => (second.stages as unknown as unknown[]).pop()).toThrow(TypeError);
  });

  it('gives a new answer after any committed write (no stale figure)', async () => {
    const before = await getFunnel(w.t.database, ACTORS.coordinator, options);
    await getFunnel(w.t.database, ACTORS.coordinator, options); // cached now
    await createContribution(w.t.database, system, {
      donorPartyId: 'NLD',
      currency: 'EUR',
      amountMinor: 123_45n,
      announcedOn: '2025-11-01',
      title: 'A pledge made between two readings',
    });
    const after = await getFunnel(w.t.database, ACTORS.coordinator, options);
    const pledged = (f: typeof before) => f.stages.find((s) => s.stage === 'pledged')!;
    expect(pledged(after).records).toBe(pledged(before).records + 1);
    expect(pledged(after).amountMinor).toBe(pledged(before).amountMinor + 123_45n);
    // The drill-down of the same figure agrees with the new figure at once.
    const drill = await drillFigure(w.t.database, ACTORS.coordinator, options, 'funnel.pledged');
    expect(drill.totalMinor).toBe(pledged(after).amountMinor);
  });

  it('keeps each reader’s redacted drill-down to that reader: two parties never share one', async () => {
    const figure = 'funnel.delivered';
    const gbr = await drillFigure(w.t.database, ACTORS.contributor('GBR'), options, figure);
    const nor = await drillFigure(w.t.database, ACTORS.contributor('NOR'), options, figure);
    // NOR funds PURL-001 (its receipts show); GBR does not (they fold).
    expect(gbr.records.map((r) => r.kind)).toEqual(['redacted']);
    expect(nor.records.map((r) => r.kind)).toEqual(['receipt', 'receipt']);
    // Asked again, from the cache: each still gets its own.
    const gbrAgain = await drillFigure(w.t.database, ACTORS.contributor('GBR'), options, figure);
    const norAgain = await drillFigure(w.t.database, ACTORS.contributor('NOR'), options, figure);
    expect(gbrAgain.records).toEqual(gbr.records);
    expect(norAgain.records).toEqual(nor.records);
    // The coordinator sees every receipt; a contributor asking after it still gets folded ones.
    const coordinator = await drillFigure(w.t.database, ACTORS.coordinator, options, figure);
    expect(coordinator.records.every((r) => r.kind === 'receipt')).toBe(true);
    const gbrLast = await drillFigure(w.t.database, ACTORS.contributor('GBR'), options, figure);
    expect(gbrLast.records.map((r) => r.kind)).toEqual(['redacted']);
  });

  it('keys on every input: another threshold, as-of day or currency is computed, not reused', async () => {
    const at30 = await getLeadTimes(w.t.database, ACTORS.coordinator, {
      ...options,
      stalledAfterDays: 30,
    });
    const at1 = await getLeadTimes(w.t.database, ACTORS.coordinator, {
      ...options,
      stalledAfterDays: 1,
    });
    expect(at30.stalledAfterDays).toBe(30);
    expect(at1.stalledAfterDays).toBe(1);
    expect(at1.stalled.length).toBeGreaterThanOrEqual(at30.stalled.length);
    const usd = await getFunnel(w.t.database, ACTORS.coordinator, { ...options, currency: 'USD' });
    expect(usd.basis.currency).toBe('USD');
    const earlier = await getFunnel(w.t.database, ACTORS.coordinator, {
      ...options,
      asOf: '2025-08-15',
    });
    expect(earlier.basis.asOf).toBe('2025-08-15');
  });
});

describe('ResultCache bounds', () => {
  it('is bounded by the named limits', () => {
    expect(analysisResults.entriesMax).toBe(LIMITS.analyticsCacheEntriesMax);
    expect(analysisResults.bytesMax).toBe(LIMITS.analyticsCacheBytesMax);
  });

  it('keeps at most entriesMax entries, the least recently used out first', () => {
    const cache = new ResultCache(3, 1_000_000);
    for (const key of ['a', 'b', 'c']) cache.set(1, 5n, key, { key });
    expect(cache.get(1, 5n, 'a')).toEqual({ key: 'a' }); // a is now the most recent
    cache.set(1, 5n, 'd', { key: 'd' });
    expect(cache.stats()).toMatchObject({ entries: 3, evictions: 1 });
    expect(cache.get(1, 5n, 'b')).toBeUndefined();
    expect(cache.get(1, 5n, 'a')).toEqual({ key: 'a' });
    expect(cache.get(1, 5n, 'd')).toEqual({ key: 'd' });
  });

  it('keeps its estimated bytes within bytesMax, and never keeps an entry larger than that', () => {
    const big = () => ({ text: 'x'.repeat(1_000) }); // ~2 KB each
    const cache = new ResultCache(100, 5_000);
    cache.set(1, 1n, 'one', big());
    cache.set(1, 1n, 'two', big());
    cache.set(1, 1n, 'three', big());
    expect(cache.stats().bytes).toBeLessThanOrEqual(5_000);
    expect(cache.stats().entries).toBe(2);
    expect(cache.get(1, 1n, 'one')).toBeUndefined();
    const huge = { text: 'x'.repeat(10_000) };
    expect(cache.set(1, 1n, 'huge', huge)).toBe(huge);
    expect(cache.get(1, 1n, 'huge')).toBeUndefined();
  });

  it('drops a database’s entries of older versions once a newer one is seen; other databases keep theirs', () => {
    const cache = new ResultCache(10, 1_000_000);
    cache.set(1, 7n, 'funnel', { v: 7 });
    cache.set(2, 7n, 'funnel', { v: 'other database' });
    expect(cache.get(1, 8n, 'funnel')).toBeUndefined();
    expect(cache.stats().entries).toBe(1);
    expect(cache.get(1, 7n, 'funnel')).toBeUndefined();
    expect(cache.get(2, 7n, 'funnel')).toEqual({ v: 'other database' });
    // A result computed from an older snapshot, finishing late, is not kept.
    cache.set(1, 7n, 'late', { v: 7 });
    expect(cache.get(1, 7n, 'late')).toBeUndefined();
  });

  it('freezes what it keeps, deeply', () => {
    const value = { rows: [{ amountMinor: 1n, names: { en: 'x' } }] };
    expect(freezeAndMeasure(value)).toBeGreaterThan(0);
    expect(Object.isFrozen(value.rows[0]!.names)).toBe(true);
  });
});
