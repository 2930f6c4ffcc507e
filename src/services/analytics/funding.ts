/**
 * The funding analyses of issue 5, in one place for their callers (the API, the exports, the
 * meeting briefing): the funnel, burden sharing, coverage and pace, the drill-down of any
 * figure, and their export tables. Each lives in its own file:
 * - `funnel.ts` — pledged → committed → paid → allocated → authorised → disbursed → delivered,
 *   per original currency too, reconciled with the ledger;
 * - `burden.ts` — committed per donor, % of GDP, per capita, share, ranks;
 * - `coverage.ts` — per cycle × capability area: requested, approved, packaged, funded,
 *   delivered, % funded;
 * - `pace.ts` — monthly and cumulative committed / paid / delivered against a target, the pace
 *   and a projected date;
 * - `drill.ts` — `drillFigure`, the records behind any figure;
 * - `figures.ts` — what they share (one snapshot, per-record conversion, redaction folding);
 * - `funding-tables.ts` — the export tables (CSV, XLSX) of each, in English or French.
 */
export { getBurdenSharing, type BurdenSharing, type BurdenSharingRow } from './burden.js';
export { getCoverage, type Coverage, type CoverageOptions, type CoverageRow } from './coverage.js';
export { drillFigure } from './drill.js';
export {
  FUNNEL_STAGES,
  getFunnel,
  type Funnel,
  type FunnelReconciliationLine,
  type FunnelStage,
  type FunnelStageFigure,
} from './funnel.js';
export { getPace, type Pace, type PaceMonth, type PaceOptions } from './pace.js';
export { burdenSharingTable, coverageTable, funnelTable, paceTable } from './funding-tables.js';
