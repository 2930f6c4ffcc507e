/**
 * Funding stages kept between cold analyses (services/analytics/stage-memo.ts) and the table
 * versions they are kept under (migration 0025): after every kind of write, the funnel, the pace,
 * burden sharing, the Kiel context, coverage and lead times computed with kept stages and chunks
 * equal a fresh computation, in every reporting basis, basis counts included; a write moves only the versions of the tables it changed, in commit order; a
 * rolled-back write moves none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Actor } from '../../src/core/actor.js';
import { parseFigureKey } from '../../src/core/analytics.js';
import { LIMITS } from '../../src/core/limits.js';
import { getBurdenSharing } from '../../src/services/analytics/burden.js';
import { drillCoverageRecords, getCoverage } from '../../src/services/analytics/coverage.js';
import { getKielContext } from '../../src/services/analytics/delivery.js';
import { drillFigure } from '../../src/services/analytics/drill.js';
import { drillDown, openFor, scopeOf, upTo } from '../../src/services/analytics/figures.js';
import { visibilityFor } from '../../src/services/analytics/visibility.js';
import { getFunnel, loadStageRecords } from '../../src/services/analytics/funnel.js';
import { getLeadTimes } from '../../src/services/analytics/lead-times.js';
import { getPace } from '../../src/services/analytics/pace.js';
import { analysisResults } from '../../src/services/analytics/result-cache.js';
import {
  clearStageMemo,
  readStage,
  reportStageCounted,
  stageMemoStats,
} from '../../src/services/analytics/stage-memo.js';
import {
  cancelContribution,
  commitContribution,
  createContribution,
  recordPayment,
} from '../../src/services/contributions-service.js';
import {
  addPackageLine,
  allocateToPackage,
  authorizePackage,
  cancelPackage,
  createPackage,
  disbursePackage,
  openPackage,
} from '../../src/services/packages-service.js';
import { appendAuditEvent } from '../../src/storage/audit-repository.js';
import {
  CHUNK_BITS,
  listTableChunks,
  readTableVersions,
  type ChunkRevisions,
} from '../../src/storage/analytics-repository.js';
import { inTransaction, type Tx } from '../../src/storage/transaction.js';
import { ENGINES } from '../support/engines.js';
import {
  ACTORS,
  AS_OF,
  BASES,
  FIXED_DATE,
  buildFundingWorld,
  shipAndReceive,
  type FundingWorld,
} from './support.js';

/** The audit chain's head: the id of the last event appended. */
async function auditHead(db: FundingWorld['t']['database']): Promise<string> {
  const result = await sql<{ id: string }>`SELECT last_id::text AS id FROM audit_head`.execute(
    db.kysely,
  );
  return result.rows[0]!.id;
}

/** An audit event of the test's own, naming a contribution. */
function appendTestEvent(tx: Tx, entityId: string) {
  return appendAuditEvent(tx, {
    at: new Date().toISOString(),
    actor: 'test',
    role: 'system',
    entity: 'contribution',
    entityId,
    action: 'test',
    before: null,
    after: null,
  });
}

/** The options of one reporting basis, as of the fixture's day. */
function basisOptions(currency: (typeof BASES)[number][0], rateMode: (typeof BASES)[number][1]) {
  return {
    currency,
    rateMode,
    asOf: AS_OF,
    ...(rateMode === 'fixed' ? { rateDate: FIXED_DATE } : {}),
  };
}

/** Every basis's funnel and pace, as JSON without the response's time stamp. */
async function figures(w: FundingWorld): Promise<string[]> {
  const out: string[] = [];
  for (const [currency, rateMode] of BASES) {
    const options = basisOptions(currency, rateMode);
    for (const actor of [ACTORS.coordinator, ACTORS.contributor('NLD')]) {
      const funnel = await getFunnel(w.t.database, actor, options);
      const pace = await getPace(w.t.database, actor, options);
      const burden = await getBurdenSharing(w.t.database, actor, options);
      const context = await getKielContext(w.t.database, actor, options);
      const coverage = await getCoverage(w.t.database, actor, options);
      const september = await getCoverage(w.t.database, actor, {
        ...options,
        cycleFrom: '2025-09',
        cycleTo: '2025-09',
      });
      const leadTimes = await getLeadTimes(w.t.database, actor, options);
      for (const result of [funnel, pace, burden, context, coverage, september, leadTimes]) {
        out.push(
          JSON.stringify({ ...result, basis: { ...result.basis, generatedAt: '' } }, (_, v) =>
            typeof v === 'bigint' ? `${v}n` : (v as unknown),
          ),
        );
      }
    }
  }
  return out;
}

/** A draft package given a line of item B, opened, and funded in part by GBR. */
async function lineOpenAndFund(w: FundingWorld, packageId: bigint): Promise<void> {
  const db = w.t.database;
  await addPackageLine(db, ACTORS.coordinator, packageId, {
    requirementItemId: w.items.B!,
    quantity: 1,
  });
  await openPackage(db, ACTORS.coordinator, packageId);
  await allocateToPackage(db, ACTORS.coordinator, packageId, {
    contributionId: w.contributions.gbr!,
    amountMinor: 1_000_00n,
    valueDate: '2025-10-02',
  });
}

/** Every chunk's revision of these chunked tables (or shapes), as `table#chunk`. */
async function chunkRevisions(
  db: FundingWorld['t']['database'],
  tables: readonly ChunkRevisions[],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of tables) {
    for (const c of await listTableChunks(db.kysely, table))
      out[`${table}#${c.chunk}`] = c.revision;
  }
  return out;
}

/** The `table#chunk` keys whose revision moved from `a` to `b` (or appeared), sorted. */
function changed(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys(b)
    .filter((k) => a[k] !== b[k])
    .sort();
}

/**
 * The figures with kept stages, then from scratch (no kept stage, no kept result); `reread`: the
 * chunks each chunked read read again for the kept figures.
 */
async function keptAndFresh(
  w: FundingWorld,
): Promise<{ kept: string[]; fresh: string[]; reread: Record<string, number> }> {
  analysisResults.clear();
  const before = stageMemoStats().chunksKept;
  const kept = await figures(w);
  const after = stageMemoStats().chunksKept;
  const reread = Object.fromEntries(
    Object.entries(after).map(([name, n]) => [name, n - (before[name] ?? 0)]),
  );
  analysisResults.clear();
  clearStageMemo();
  const fresh = await figures(w);
  return { kept, fresh, reread };
}

/**
 * The names of the chunked reads by package that an allocation changes (coverage's funding
 * shares, lead times' milestones), and coverage's lines and receipts, kept under the chunk's
 * shape, which an allocation leaves alone.
 */
const PACKAGE_READS = [`coverage-funded:${AS_OF}`, JSON.stringify(['milestones', AS_OF])];
const LINE_READS = `coverage-lines:${AS_OF}`;

describe.each(ENGINES)('funding stages kept between analyses (%s)', (engine) => {
  let w: FundingWorld;
  beforeAll(async () => {
    w = await buildFundingWorld(engine);
  }, 180_000);
  afterAll(async () => {
    await w.close();
  });

  it('gives the figures of a fresh computation after each kind of write, reusing the stages the write left alone', async () => {
    const db = w.t.database;
    // Contributions, payments and ledger accounts in three chunks of ids each (storage
    // CHUNK_BITS), so a write re-reads one chunk and keeps the others.
    for (const chunk of [1, 2]) {
      for (const table of ['contribution', 'contribution_payment', 'ledger_account'] as const) {
        await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'),
                                ${chunk * 2 ** CHUNK_BITS[table] + 5})`.execute(db.kysely);
      }
      const c = await createContribution(db, ACTORS.coordinator, {
        donorPartyId: chunk === 1 ? 'NOR' : 'GBR',
        currency: chunk === 1 ? 'NOK' : 'GBP',
        amountMinor: 4_000_000_00n,
        announcedOn: '2025-08-04',
        title: `A pledge in chunk ${chunk}`,
      });
      await commitContribution(db, ACTORS.coordinator, c.id, { committedOn: '2025-09-01' });
      await recordPayment(db, ACTORS.coordinator, c.id, {
        amountMinor: 1_000_000_00n,
        paidOn: '2025-09-15',
      });
    }
    // Packages in three chunks too: one of item B in each of chunks 1 and 2, open and funded in
    // part.
    const extra: bigint[] = [];
    for (const chunk of [1, 2]) {
      await sql`SELECT setval(pg_get_serial_sequence('package', 'id'),
                              ${chunk * 2 ** CHUNK_BITS.package + 5})`.execute(db.kysely);
      const pkg = await createPackage(db, ACTORS.coordinator, {
        cycle: '2025-08',
        title: `A package in chunk ${chunk}`,
        targetMinor: 10_000_000_000n,
        synthetic: true,
      });
      await lineOpenAndFund(w, pkg.id);
      extra.push(pkg.id);
    }
    expect((await listTableChunks(db.kysely, 'package')).length).toBe(3);
    expect((await listTableChunks(db.kysely, 'contribution')).length).toBe(3);
    expect((await listTableChunks(db.kysely, 'contribution_payment')).length).toBe(3);
    expect((await listTableChunks(db.kysely, 'ledger_account')).length).toBe(3);
    // Warm: every stage kept for every basis.
    await keptAndFresh(w);
    const writes: [string, () => Promise<unknown>][] = [
      [
        'a pledge',
        () =>
          createContribution(db, ACTORS.coordinator, {
            donorPartyId: 'NOR',
            currency: 'NOK',
            amountMinor: 12_345_67n,
            announcedOn: '2025-09-15',
            title: 'A pledge between two readings',
          }),
      ],
      [
        'a commitment',
        async () => {
          const c = await createContribution(db, ACTORS.coordinator, {
            donorPartyId: 'GBR',
            currency: 'GBP',
            amountMinor: 50_000_00n,
            announcedOn: '2025-09-19',
            title: 'A commitment between two readings',
          });
          await commitContribution(db, ACTORS.coordinator, c.id, { committedOn: '2025-10-01' });
        },
      ],
      [
        'a commitment in the first chunk',
        () =>
          commitContribution(db, ACTORS.coordinator, w.contributions.canPledge!, {
            committedOn: '2025-10-01',
          }),
      ],
      [
        'a payment',
        () =>
          recordPayment(db, ACTORS.coordinator, w.contributions.nld!, {
            amountMinor: 7_777_77n,
            paidOn: '2025-10-17',
          }),
      ],
      [
        'an allocation',
        () =>
          allocateToPackage(db, ACTORS.coordinator, w.packages.p2!.id, {
            contributionId: w.contributions.gbr!,
            amountMinor: 1_000_00n,
            valueDate: '2025-10-20',
          }),
      ],
      [
        'an allocation in another chunk of packages',
        () =>
          allocateToPackage(db, ACTORS.coordinator, extra[1]!, {
            contributionId: w.contributions.gbr!,
            amountMinor: 2_000_00n,
            valueDate: '2025-10-21',
          }),
      ],
      [
        'an authorisation',
        () =>
          authorizePackage(db, ACTORS.supplier, w.packages.p3!.id, {
            reference: 'US-AUTH-TEST-003',
            authorizedOn: '2025-11-03',
          }),
      ],
      [
        'a package composed',
        async () => {
          const pkg = await createPackage(db, ACTORS.coordinator, {
            cycle: '2025-09',
            title: 'A draft composed between two readings',
            targetMinor: 10_000_000_000n,
            synthetic: true,
          });
          await addPackageLine(db, ACTORS.coordinator, pkg.id, {
            requirementItemId: w.items.B!,
            quantity: 2,
          });
        },
      ],
      [
        'a package cancelled',
        () => cancelPackage(db, ACTORS.coordinator, extra[0]!, { reason: 'no longer needed' }),
      ],
      [
        'a disbursement',
        () =>
          disbursePackage(db, ACTORS.coordinator, w.packages.p1!.id, {
            amountMinor: 1_000_00n,
            paidOn: '2025-10-25',
          }),
      ],
      [
        'a receipt',
        async () => {
          // Five more of item A shipped and received on PURL-001 (80 ordered, 40 delivered).
          const p1 = w.packages.p1!;
          await shipAndReceive(db, p1.id, {
            reference: 'SHIP-2',
            on: { planned: '2025-10-21', dispatched: '2025-10-22', handedOver: '2025-10-23' },
            lines: [{ packageLineId: p1.lines.A!, quantity: 5 }],
            receivedOn: '2025-10-24',
          });
        },
      ],
      [
        'a cancellation',
        async () => {
          const c = await createContribution(db, ACTORS.coordinator, {
            donorPartyId: 'CAN',
            currency: 'USD',
            amountMinor: 9_999_00n,
            announcedOn: '2025-10-31',
            title: 'A pledge withdrawn',
          });
          await cancelContribution(db, ACTORS.coordinator, c.id, { reason: 'withdrawn' });
        },
      ],
    ];
    for (const [what, write] of writes) {
      await write();
      const hits = stageMemoStats().hits;
      const { kept, fresh, reread } = await keptAndFresh(w);
      expect(kept, `after ${what}`).toEqual(fresh);
      // An allocation: coverage's funding shares and lead times read its package's chunk again,
      // not the others; coverage's lines and receipts are all kept.
      if (what.startsWith('an allocation')) {
        for (const name of PACKAGE_READS) expect(reread[name], `${name} after ${what}`).toBe(1);
        expect(reread[LINE_READS] ?? 0, `lines after ${what}`).toBe(0);
      }
      if (what === 'a pledge' || what === 'a payment') {
        for (const name of [...PACKAGE_READS, LINE_READS])
          expect(reread[name] ?? 0, `${name} after ${what}`).toBe(0);
      }
      // A package cancelled: its chunk's lines and funding shares read again, not the others'.
      if (what === 'a package cancelled') {
        expect(reread[LINE_READS], `lines after ${what}`).toBe(1);
        expect(reread[PACKAGE_READS[0]!], `funding after ${what}`).toBe(1);
      }
      // A receipt: the lines and receipts read again, the funding shares kept.
      if (what === 'a receipt') {
        expect(reread[LINE_READS], `lines after ${what}`).toBeGreaterThan(0);
        expect(reread[PACKAGE_READS[0]!] ?? 0, `funding after ${what}`).toBe(0);
      }
      // Kept stages were used: the write changed only some tables.
      expect(stageMemoStats().hits, `after ${what}`).toBeGreaterThan(hits);
    }
  }, 180_000);

  it('keeps coverage, lead times and the allocated records across pledges, commitments and payments, and computes them again after an allocation, which leaves burden sharing kept', async () => {
    const db = w.t.database;
    const options = { currency: 'USD' as const, rateMode: 'value_date' as const, asOf: AS_OF };
    analysisResults.clear();
    const first = await getCoverage(db, ACTORS.coordinator, options);
    const drill = await drillFigure(db, ACTORS.coordinator, options, 'coverage.funded');
    const leadTimes = await getLeadTimes(db, ACTORS.coordinator, options);
    const allocated = await drillFigure(db, ACTORS.coordinator, options, 'funnel.allocated');
    const c = await createContribution(db, ACTORS.coordinator, {
      donorPartyId: 'NOR',
      currency: 'NOK',
      amountMinor: 1_000_000_00n,
      announcedOn: '2025-09-01',
      title: 'A pledge coverage cannot see',
    });
    await commitContribution(db, ACTORS.coordinator, c.id, { committedOn: '2025-09-01' });
    await recordPayment(db, ACTORS.coordinator, c.id, {
      amountMinor: 10_000_00n,
      paidOn: '2025-09-15',
    });
    const hits = analysisResults.stats().hits;
    expect(await getCoverage(db, ACTORS.coordinator, options)).toEqual({
      ...first,
      basis: { ...first.basis, generatedAt: expect.any(String) as string },
    });
    await drillFigure(db, ACTORS.coordinator, options, 'coverage.funded');
    expect(await getLeadTimes(db, ACTORS.coordinator, options)).toEqual({
      ...leadTimes,
      basis: { ...leadTimes.basis, generatedAt: expect.any(String) as string },
    });
    await drillFigure(db, ACTORS.coordinator, options, 'funnel.allocated');
    expect(analysisResults.stats().hits).toBe(hits + 4);

    const burden = await getBurdenSharing(db, ACTORS.coordinator, options);
    await allocateToPackage(db, ACTORS.coordinator, w.packages.p2!.id, {
      contributionId: c.id,
      amountMinor: 5_000_00n,
      valueDate: '2025-09-15',
    });
    // Burden sharing reads no package-side table: kept across the allocation.
    const burdenHits = analysisResults.stats().hits;
    expect(await getBurdenSharing(db, ACTORS.coordinator, options)).toEqual({
      ...burden,
      basis: { ...burden.basis, generatedAt: expect.any(String) as string },
    });
    expect(analysisResults.stats().hits).toBe(burdenHits + 1);
    const after = await getCoverage(db, ACTORS.coordinator, options);
    const afterDrill = await drillFigure(db, ACTORS.coordinator, options, 'coverage.funded');
    expect(after.totals.fundedMinor).toBeGreaterThan(first.totals.fundedMinor);
    expect(afterDrill.totalMinor).toBe(after.totals.fundedMinor);
    expect(afterDrill.totalMinor).toBeGreaterThan(drill.totalMinor);
    const afterAllocated = await drillFigure(db, ACTORS.coordinator, options, 'funnel.allocated');
    expect(afterAllocated.records.length).toBe(allocated.records.length + 1);
    // The same as computed from scratch.
    analysisResults.clear();
    clearStageMemo();
    const fresh = await getCoverage(db, ACTORS.coordinator, options);
    expect({ ...after, basis: { ...after.basis, generatedAt: '' } }).toEqual({
      ...fresh,
      basis: { ...fresh.basis, generatedAt: '' },
    });
  });

  it('drills coverage.funded down to the same records, folds, total and basis as every share made', async () => {
    const db = w.t.database;
    const keys = [
      'coverage.funded',
      'coverage.funded:2025-08',
      'coverage.funded:2025-09_',
      'coverage.funded:2025-08:artillery',
      'coverage.funded:2025-08:drones',
    ];
    const readers: Actor[] = [
      ACTORS.coordinator,
      ACTORS.contributor('NLD'),
      ACTORS.contributor('CAN'),
      ACTORS.contributor('GBR'),
    ];
    const limits = LIMITS as { drillRecordsMax: number };
    const max = limits.drillRecordsMax;
    // Between the second and third passes CAN funds an open package of another chunk: the
    // packages and items it may see (kept per chunk of packages) follow.
    const [open] = await db.withConnection((c) =>
      c.query<{ id: bigint }>(`
        SELECT id FROM package WHERE status = 'open' AND id >= ${2 ** CHUNK_BITS.package}
        ORDER BY id DESC LIMIT 1`),
    );
    try {
      // The whole list, then lists cut short (read page by page: a page is as long as the room).
      for (const listed of [max, 3, 1, max]) {
        const kept = stageMemoStats().chunksKept;
        if (listed === max && limits.drillRecordsMax === 1) {
          await allocateToPackage(db, ACTORS.coordinator, BigInt(open!.id), {
            contributionId: w.contributions.can!,
            amountMinor: 3_000_00n,
            valueDate: '2025-10-31',
          });
        }
        const allocated = listed === max && limits.drillRecordsMax === 1;
        limits.drillRecordsMax = listed;
        for (const [currency, rateMode] of BASES) {
          const options = basisOptions(currency, rateMode);
          for (const actor of readers) {
            for (const figure of keys) {
              analysisResults.clear();
              const drilled = await drillFigure(db, actor, options, figure);
              const reference = await inTransaction(
                db,
                (tx) =>
                  drillCoverageRecords(
                    tx,
                    { actor, options: { ...options, databaseId: undefined } },
                    parseFigureKey(figure),
                  ),
                { isolation: 'repeatable read' },
              );
              const plain = (d: typeof drilled) => ({
                ...d,
                basis: { ...d.basis, generatedAt: '' },
              });
              const what = `${figure} for ${actor.role} ${actor.partyId ?? ''} in ${currency} ${rateMode}, ${listed} listed`;
              expect(plain(drilled), what).toEqual(plain(reference));
            }
          }
        }
        // After the allocation the funders of its chunk are read again; the packages' items,
        // kept under the chunk's shape (migration 0028), are not.
        if (allocated) {
          const now = stageMemoStats().chunksKept;
          expect((now.funders ?? 0) - (kept.funders ?? 0)).toBe(1);
          expect((now['package-items'] ?? 0) - (kept['package-items'] ?? 0)).toBe(0);
        }
      }
    } finally {
      limits.drillRecordsMax = max;
    }
  });

  it('drills the contribution-side stages and the allocated one down to the same records, total and basis as every record converted', async () => {
    const db = w.t.database;
    for (const [currency, rateMode] of BASES) {
      const options = basisOptions(currency, rateMode);
      for (const stage of ['pledged', 'committed', 'paid', 'allocated'] as const) {
        for (const original of [undefined, 'EUR', 'NOK', 'USD']) {
          const key = original === undefined ? `funnel.${stage}` : `funnel.${stage}:${original}`;
          const actor = ACTORS.contributor('NLD');
          analysisResults.clear();
          const drilled = await drillFigure(db, actor, options, key);
          // The reference: every record of the stage read, converted and listed by drillDown.
          const reference = await inTransaction(
            db,
            async (tx) => {
              const context = { actor, options: { ...options, databaseId: undefined } };
              const records = upTo(await loadStageRecords(tx, stage), AS_OF).filter(
                (r) => original === undefined || r.currency === original,
              );
              const reporting = await openFor(tx, context, records);
              return drillDown(reporting, key, records, await visibilityFor(tx, context));
            },
            { isolation: 'repeatable read' },
          );
          const plain = (d: typeof drilled) => ({ ...d, basis: { ...d.basis, generatedAt: '' } });
          expect(plain(drilled), `${key} in ${currency} ${rateMode}`).toEqual(plain(reference));
        }
      }
    }
  });

  it('versions every table of records, or exempts it by name', async () => {
    const rows = await w.t.database.withConnection((c) =>
      c.query<{ table: string; versioned: boolean }>(`
        SELECT c.relname AS "table",
               EXISTS (SELECT 1 FROM pg_trigger g JOIN pg_proc p ON p.oid = g.tgfoid
                       WHERE g.tgrelid = c.oid AND p.proname = 'purl_touch_table') AS versioned
        FROM pg_class c
        WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace`),
    );
    expect(
      rows
        .filter((r) => !r.versioned)
        .map((r) => r.table)
        .sort(),
    ).toEqual([
      'api_token',
      'audit_event',
      'audit_head',
      'auth_session',
      'http_idempotency',
      'login_throttle',
      'oidc_login_attempt',
      'schema_migration',
      'table_chunk',
    ]);
  });

  it('keeps the revisions of the chunked tables with the bits the stages read them by', async () => {
    const rows = await w.t.database.withConnection((c) =>
      c.query<{ table: string; trigger: string; bits: string }>(`
        SELECT c.relname AS "table", g.tgname AS "trigger",
               split_part(encode(g.tgargs, 'escape'), '\\000', 1) AS bits
        FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
        JOIN pg_proc p ON p.oid = g.tgfoid
        WHERE p.proname = 'purl_touch_chunks'
        ORDER BY 1, 2`),
    );
    const expected = Object.entries(CHUNK_BITS).flatMap(([table, bits]) =>
      ['delete', 'insert', 'truncate', 'update'].map((op) => ({
        table,
        trigger: `${table}_touch_chunks_${op}`,
        bits: String(bits),
      })),
    );
    expect(rows).toEqual(expected);
  });

  it("moves a chunk of packages' shape when a package is created or cancelled, not when it is funded or opened", async () => {
    const db = w.t.database;
    // The shape's triggers split ids as the packages' chunks do.
    const triggers = await db.withConnection((c) =>
      c.query<{ trigger: string; bits: string }>(`
        SELECT g.tgname AS "trigger", split_part(encode(g.tgargs, 'escape'), '\\000', 1) AS bits
        FROM pg_trigger g JOIN pg_proc p ON p.oid = g.tgfoid
        WHERE p.proname = 'purl_touch_package_shape' ORDER BY 1`),
    );
    expect(triggers).toEqual(
      ['delete', 'insert', 'truncate', 'update'].map((op) => ({
        trigger: `package_shape_touch_${op}`,
        bits: String(CHUNK_BITS.package),
      })),
    );
    const revisions = () => chunkRevisions(db, ['package', 'package_shape']);
    const start = await revisions();
    // Every chunk of packages has a shape, and no other.
    expect(
      Object.keys(start)
        .filter((k) => k.startsWith('package_shape#'))
        .sort(),
    ).toEqual(
      Object.keys(start)
        .filter((k) => k.startsWith('package#'))
        .map((k) => k.replace('package#', 'package_shape#'))
        .sort(),
    );
    await sql`SELECT setval(pg_get_serial_sequence('package', 'id'),
                            ${9 * 2 ** CHUNK_BITS.package + 1})`.execute(db.kysely);
    const pkg = await createPackage(db, ACTORS.coordinator, {
      cycle: '2025-08',
      title: 'A package in chunk 9',
      targetMinor: 10_000_000_000n,
      synthetic: true,
    });
    const created = await revisions();
    expect(changed(start, created)).toEqual(['package#9', 'package_shape#9']);
    expect(created['package_shape#9']).toBe(await auditHead(db));
    await lineOpenAndFund(w, pkg.id);
    const funded = await revisions();
    expect(changed(created, funded)).toEqual(['package#9']);
    await cancelPackage(db, ACTORS.coordinator, pkg.id, { reason: 'no longer needed' });
    const cancelled = await revisions();
    expect(changed(funded, cancelled)).toEqual(['package#9', 'package_shape#9']);
    expect(cancelled['package_shape#9']).toBe(await auditHead(db));
  });

  it('moves only the revisions of the chunks a write changed, to its audit event; a rollback moves none', async () => {
    const db = w.t.database;
    const revisions = () => chunkRevisions(db, ['contribution', 'contribution_payment']);
    // The rows agree with the revisions: every chunk holding a row has one.
    const held = await sql<{ key: string }>`
      SELECT DISTINCT 'contribution#' || (id >> ${CHUNK_BITS.contribution}) AS key FROM contribution
      UNION SELECT DISTINCT 'contribution_payment#' || (id >> ${CHUNK_BITS.contribution_payment})
      FROM contribution_payment`.execute(db.kysely);
    const before = await revisions();
    for (const r of held.rows) expect(before[r.key], r.key).toBeDefined();

    await sql`SELECT setval(pg_get_serial_sequence('contribution', 'id'),
                            ${7 * 2 ** CHUNK_BITS.contribution + 3})`.execute(db.kysely);
    const pledge = await createContribution(db, ACTORS.coordinator, {
      donorPartyId: 'NLD',
      currency: 'EUR',
      amountMinor: 2_00n,
      announcedOn: '2025-10-01',
      title: 'Chunk seven',
    });
    const afterPledge = await revisions();
    expect(changed(before, afterPledge)).toEqual(['contribution#7']);
    expect(afterPledge['contribution#7']).toBe(await auditHead(db));

    await commitContribution(db, ACTORS.coordinator, pledge.id, { committedOn: '2025-10-02' });
    const afterCommit = await revisions();
    expect(changed(afterPledge, afterCommit)).toEqual(['contribution#7']);
    // One of the commitment's audit events (it appends several), after the pledge's.
    expect(BigInt(afterCommit['contribution#7']!)).toBeGreaterThan(
      BigInt(afterPledge['contribution#7']!),
    );
    expect(BigInt(afterCommit['contribution#7']!)).toBeLessThanOrEqual(BigInt(await auditHead(db)));

    // A write after the transaction's audit event is revised with that event at once.
    const old = w.contributions.nld!;
    await inTransaction(db, async (tx) => {
      await appendTestEvent(tx, String(old));
      await sql`UPDATE contribution SET title = title WHERE id IN (${old}, ${pledge.id})`.execute(
        tx,
      );
    });
    const afterLate = await revisions();
    const oldChunk = `contribution#${Number(old) >> CHUNK_BITS.contribution}`;
    expect(changed(afterCommit, afterLate)).toEqual(
      [...new Set([oldChunk, 'contribution#7'])].sort(),
    );
    expect(afterLate[oldChunk]).toBe(await auditHead(db));

    // A transaction rolled back leaves every revision as it was.
    await expect(
      inTransaction(db, async (tx) => {
        await sql`UPDATE contribution SET title = title WHERE id = ${pledge.id}`.execute(tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await revisions()).toEqual(afterLate);
  });

  it('moves only the versions of the tables a write changed, to its audit event, in commit order', async () => {
    const db = w.t.database;
    const before = await readTableVersions(db.kysely);
    const pledge = await createContribution(db, ACTORS.coordinator, {
      donorPartyId: 'NLD',
      currency: 'EUR',
      amountMinor: 1_00n,
      announcedOn: '2025-10-01',
      title: 'One euro',
    });
    const afterPledge = await readTableVersions(db.kysely);
    expect(afterPledge.contribution).toBe(await auditHead(db));
    expect(afterPledge.contribution).not.toBe(before.contribution);
    expect(afterPledge.contribution_payment).toBe(before.contribution_payment);
    expect(afterPledge.allocation).toBe(before.allocation);

    await recordPayment(db, ACTORS.coordinator, w.contributions.nld!, {
      amountMinor: 1_00n,
      paidOn: '2025-10-31',
    });
    const afterPayment = await readTableVersions(db.kysely);
    expect(afterPayment.contribution_payment).toBe(await auditHead(db));
    expect(BigInt(afterPayment.contribution_payment!)).toBeGreaterThan(
      BigInt(afterPledge.contribution!),
    );

    // A write after the transaction's audit event is versioned with that event at once.
    await inTransaction(db, async (tx) => {
      await appendTestEvent(tx, String(pledge.id));
      await sql`UPDATE package SET title = title WHERE id = ${w.packages.p3!.id}`.execute(tx);
    });
    const afterLate = await readTableVersions(db.kysely);
    expect(afterLate.package).toBe(await auditHead(db));

    // A transaction rolled back leaves every version as it was.
    await expect(
      inTransaction(db, async (tx) => {
        await sql`UPDATE contribution SET title = title WHERE id = ${pledge.id}`.execute(tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await readTableVersions(db.kysely)).toEqual(afterLate);
  });

  it('reads a stage of many chunks totals first, then batch by batch, to the same groups as one whole read', async () => {
    const db = w.t.database;
    // 40 more chunks of contributions and of payments (more than the 32 read in one batch).
    const currencies = ['NOK', 'GBP', 'EUR', 'USD'] as const;
    const donors = { NOK: 'NOR', GBP: 'GBR', EUR: 'NLD', USD: 'CAN' } as const;
    // Days with a rate on them or shortly before (the fixture's rates).
    const days = ['2025-09-01', '2025-09-05', '2025-09-15', '2025-09-19', '2025-09-22'];
    for (let i = 0; i < 40; i++) {
      for (const table of ['contribution', 'contribution_payment'] as const) {
        await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'),
                                ${(20 + i) * 2 ** CHUNK_BITS[table] + 5})`.execute(db.kysely);
      }
      const currency = currencies[i % currencies.length]!;
      const c = await createContribution(db, ACTORS.coordinator, {
        donorPartyId: donors[currency],
        currency,
        amountMinor: BigInt(1_000_00 + i * 1_37),
        announcedOn: days[i % days.length]!,
        title: `Chunk ${20 + i}`,
      });
      await commitContribution(db, ACTORS.coordinator, c.id, {
        committedOn: days[(i + 1) % days.length]!,
      });
      await recordPayment(db, ACTORS.coordinator, c.id, {
        amountMinor: BigInt(3_33 + i),
        paidOn: days[(i + 2) % days.length]!,
      });
    }
    expect((await listTableChunks(db.kysely, 'contribution')).length).toBeGreaterThan(40);
    expect((await listTableChunks(db.kysely, 'contribution_payment')).length).toBeGreaterThan(40);
    for (const [currency, rateMode] of BASES) {
      for (const stage of ['pledged', 'committed', 'paid', 'allocated'] as const) {
        for (const by of GROUPINGS) {
          clearStageMemo();
          const { batched, whole } = await batchedAndWhole(db, stage, by, currency, rateMode);
          const what = `${stage} ${JSON.stringify(by)} in ${currency} ${rateMode}`;
          expect(plainConverted(batched), what).toEqual(plainConverted(whole));
          expect(batched.totals, what).toEqual(whole.totals);
        }
      }
    }
  }, 180_000);

  it('merges a chunked stage again from its kept merge after a write, taking out and adding only the changed chunks, to the groups of one whole read', async () => {
    const db = w.t.database;
    // The chunks of the test before (more than 40 of contributions and of payments).
    const chunks = await listTableChunks(db.kysely, 'contribution');
    expect(chunks.length).toBeGreaterThan(40);
    const stages = ['committed', 'paid'] as const;
    const compare = async (what: string) => {
      for (const [currency, rateMode] of BASES)
        for (const stage of stages)
          for (const by of GROUPINGS) {
            const { batched, whole } = await batchedAndWhole(db, stage, by, currency, rateMode);
            const label = `${what}: ${stage} ${JSON.stringify(by)} in ${currency} ${rateMode}`;
            expect(plainConverted(batched), label).toEqual(plainConverted(whole));
          }
    };
    // A commitment alone on its day, in a chunk of its own, withdrawn below.
    await sql`SELECT setval(pg_get_serial_sequence('contribution', 'id'),
                            ${71 * 2 ** CHUNK_BITS.contribution + 5})`.execute(db.kysely);
    const alone = await createContribution(db, ACTORS.coordinator, {
      donorPartyId: 'CAN',
      currency: 'USD',
      amountMinor: 2_500_00n,
      announcedOn: '2025-09-16',
      title: 'Chunk 71',
    });
    await commitContribution(db, ACTORS.coordinator, alone.id, { committedOn: '2025-09-16' });
    clearStageMemo();
    await compare('first');
    const {
      rows: [chunk25],
    } = await sql<{ id: string }>`
      SELECT id::text FROM contribution WHERE title = 'Chunk 25'`.execute(db.kysely);
    const writes: [string, () => Promise<unknown>][] = [
      // A day and a donor that chunk had no group of: a group added to the merge.
      [
        'a payment',
        () =>
          recordPayment(db, ACTORS.coordinator, BigInt(chunk25!.id), {
            amountMinor: 12_34n,
            paidOn: '2025-09-22',
          }),
      ],
      // Its commitment gone: groups taken out, one of them left without records.
      [
        'a cancellation',
        () => cancelContribution(db, ACTORS.coordinator, alone.id, { reason: 'withdrawn' }),
      ],
      // A chunk no merge had yet.
      [
        'a commitment in a new chunk',
        async () => {
          for (const table of ['contribution', 'contribution_payment'] as const) {
            await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'),
                                    ${70 * 2 ** CHUNK_BITS[table] + 5})`.execute(db.kysely);
          }
          const c = await createContribution(db, ACTORS.coordinator, {
            donorPartyId: 'NOR',
            currency: 'NOK',
            amountMinor: 4_321_00n,
            announcedOn: '2025-09-05',
            title: 'Chunk 70',
          });
          await commitContribution(db, ACTORS.coordinator, c.id, { committedOn: '2025-09-15' });
          await recordPayment(db, ACTORS.coordinator, c.id, {
            amountMinor: 1_00n,
            paidOn: '2025-09-19',
          });
        },
      ],
    ];
    for (const [what, write] of writes) {
      await write();
      const before = stageMemoStats();
      await compare(`after ${what}`);
      const after = stageMemoStats();
      // Merged from the kept ones, a few parts changed each.
      expect(after.mergesFrom - before.mergesFrom, what).toBeGreaterThan(0);
      expect(after.partsChanged - before.partsChanged, what).toBeLessThanOrEqual(
        4 * (after.mergesFrom - before.mergesFrom),
      );
    }
  }, 180_000);
});

const GROUPINGS = [
  {},
  { byDay: true },
  { byParty: true },
  { byDay: true, byParty: true, per: 'year' as const },
  { byDay: true, per: 'month' as const },
];

/** A conversion as sorted text (the order of groups is not part of it). */
function plainConverted(c: { groups: readonly object[]; conversions: number; fellBack: number }) {
  return {
    groups: c.groups
      .map((g) => JSON.stringify(g, (_, v) => (typeof v === 'bigint' ? `${v}n` : (v as unknown))))
      .sort(),
    conversions: c.conversions,
    fellBack: c.fellBack,
  };
}

/**
 * A stage read and converted in one snapshot twice: per chunk with the memo (`batched`, kept
 * chunks and merges used) and whole without it.
 */
async function batchedAndWhole(
  db: FundingWorld['t']['database'],
  stage: 'pledged' | 'committed' | 'paid' | 'allocated',
  by: (typeof GROUPINGS)[number],
  currency: (typeof BASES)[number][0],
  rateMode: (typeof BASES)[number][1],
) {
  const options = { ...basisOptions(currency, rateMode), databaseId: 987_654 };
  const actor = ACTORS.coordinator;
  const [batched, whole] = await inTransaction(
    db,
    async (tx) => {
      const run = async (databaseId: number | undefined) => {
        const context = { actor, options: { ...options, databaseId } };
        const read = await readStage(tx, context, stage, by);
        const reporting = await openFor(tx, context, scopeOf(read.totals));
        return { totals: read.totals, ...(await reportStageCounted(tx, context, reporting, read)) };
      };
      return [await run(987_654), await run(undefined)];
    },
    { isolation: 'repeatable read' },
  );
  return { batched, whole };
}
