/**
 * Every limit of the product, named once. Services and the HTTP layer enforce them and report
 * `LIMIT_EXCEEDED` with the limit's name, so a user knows which one was hit.
 */
export const LIMITS = {
  /** Largest single transfer: 10^15 minor units (10 trillion in a 2-decimal currency). */
  transferAmountMaxMinor: 10n ** 15n,
  /** Characters of an amount or rate written as decimal text (`"1234.50"`). */
  amountTextMaxChars: 40,
  /** Transfers in one linked batch. */
  transferBatchMax: 1_000,
  /** Characters of an idempotency key. */
  idempotencyKeyMaxChars: 128,
  /** Characters of an account reference or transfer memo. */
  referenceMaxChars: 200,
  /** Attempts of one transaction on serialization failure or deadlock (40001/40P01). */
  transactionAttemptsMax: 12,
  /** Days an FX rate may be carried forward to a later value date (weekends, holidays). */
  fxCarryForwardDaysMax: 10,
  /** Rows (days) of one FX import file. */
  fxImportRowsMax: 50_000,
  /** Bytes of one FX import file, and of the CSV inside a zip once uncompressed. */
  fxImportBytesMax: 64 * 1_048_576,
  /** Request body in bytes. */
  httpBodyBytesMax: 1_048_576,
  /**
   * Levels of nesting of a JSON value hashed or stored (`canonicalJson`): a request body of 1 MiB
   * can nest half a million arrays, which would overflow the stack of any recursive walk.
   */
  jsonNestingMax: 64,
  /** Rows of one page in any list endpoint. */
  pageSizeMax: 200,
  /**
   * Failed sign-ins with one email (known user or not) before it is locked: counted until
   * `loginFailureWindowMs` pass without a failure (measured from the last failure or the end of
   * the last lockout). Kept in the database, so every app server agrees.
   */
  loginFailuresBeforeLockout: 5,
  loginFailureWindowMs: 15 * 60_000,
  /** The first lockout; each further failure doubles it, up to `loginLockoutMaxMs`. */
  loginLockoutBaseMs: 60_000,
  loginLockoutMaxMs: 60 * 60_000,
  /** Sign-in attempts from one client address per window (in memory, per app process). */
  loginAttemptsPerAddressMax: 20,
  loginAttemptsPerAddressWindowMs: 5 * 60_000,
  /** Requests of one client (the signed-in actor, else the address) per window (per process). */
  httpRequestsPerClientMax: 600,
  httpRequestsPerClientWindowMs: 60_000,
  /** Rows of one contributions, GDP, population or Kiel import file. */
  importRowsMax: 200_000,
  /** Bytes of one contributions (CSV or XLSX), GDP, population or Kiel import file. */
  importBytesMax: 64 * 1_048_576,
  /**
   * Bytes of an Excel workbook's parts once uncompressed, as its zip declares them: a few MB of
   * XLSX can inflate to gigabytes (a zip bomb), so the sizes are read before anything inflates.
   */
  xlsxUncompressedBytesMax: 512 * 1_048_576,
  /** Invalid rows listed in one import report (the count is always exact). */
  importErrorsReportedMax: 1_000,
  /** Records of one drill-down response (the total is always exact; see `truncated`). */
  drillRecordsMax: 5_000,
  /** Rows of one CSV or XLSX export. */
  exportRowsMax: 1_000_000,
  /**
   * Analysis results kept in memory per server process (`services/analytics/result-cache.ts`),
   * least recently used first out; each is valid for one data version of one database.
   */
  analyticsCacheEntriesMax: 256,
  /** Estimated bytes of all the analysis results kept (an entry larger than this is not kept). */
  analyticsCacheBytesMax: 64 * 1_048_576,
  /**
   * Analyses computed from the database at once per process (`services/analytics/figures.ts`);
   * more wait their turn before opening a snapshot. One computation reads up to every record of
   * its stages, so this bounds the memory and connections a burst of cold calls takes — and
   * identical calls share one computation.
   */
  analysisComputationsMax: 2,
  /**
   * Converted groups of funding stages kept in memory per process for the analyses
   * (`services/analytics/stage-memo.ts`), in all: each is valid while the tables its stage
   * reads have not changed. Least recently used stages out first.
   */
  analyticsStageGroupsMax: 400_000,
  /**
   * Funding stages (or chunks of 1,024 contributions of a stage) kept so, each for a grouping,
   * date and currency of a database.
   */
  analyticsStagesMax: 4_096,
  /**
   * Merges of a chunked stage's groups kept per process (one per stage, grouping, date and
   * basis of a database): the next merge after a write only takes out the changed chunks' old
   * groups and adds their new ones. Least recently used first out.
   */
  analyticsStageMergesMax: 64,
  /** (currency, year) sets of ECB rates kept in memory for the analyses' converter, per process. */
  analyticsRateYearsMax: 2_000,
  /**
   * Answers of read routes kept in memory per server process (`http/read-cache.ts`), per reader
   * and URL, least recently used first out; each is valid until the data may have changed.
   */
  readCacheEntriesMax: 2_000,
  /** Bytes of all the read answers kept. */
  readCacheBytesMax: 32 * 1_048_576,
  /** Bytes of one read answer kept (a larger one is answered, not kept). */
  readCacheEntryBytesMax: 1_048_576,
  /** Sessions and API tokens known valid kept in memory per server process. */
  credentialCacheEntriesMax: 10_000,
  /** Approved requirement items one plan considers (the highest-priority first). */
  planItemsMax: 5_000,
  /** Contributions with money available one plan considers (the most money first). */
  planContributionsMax: 2_000,
  /** Hypothetical pledges in one what-if scenario. */
  planHypotheticalPledgesMax: 100,
  /** Price changes in one what-if scenario. */
  planPriceChangesMax: 1_000,
  /** Scenarios solved side by side in one planning request. */
  planScenariosMax: 2,
  /** Themed packages for earmarked money one plan may propose (besides the joint package and each donor's own). */
  planEarmarkPackagesMax: 8,
  /** Seconds the solver may take for one scenario; it then answers with the best plan found (flagged). */
  planSolveSecondsMax: 20,
  /** Solves waiting their turn per process (one runs at a time); more are refused as busy. */
  planSolvesQueuedMax: 4,
  /** Milliseconds the PDF renderer may take for one briefing. */
  briefingRenderTimeoutMs: 60_000,
} as const;
