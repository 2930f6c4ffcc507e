/**
 * The export tables (CSV, XLSX — `core/export-table.ts`) of the funding analyses: one function
 * per analysis turning its result into a table, with headers in English or French and a meta
 * block stating the basis (currency, rate mode, rate date, as of, generation time, rate source,
 * conversions) and what the analysis decided (the reconciliation, the pace, the projection).
 * Pure: the caller computes the analysis (with its access check and redaction) first.
 *
 * Cells keep codes (stage, party id, capability area code) as the list exports do, beside a
 * name column in the file's language, so a file sorts and filters the same in both languages.
 * Money is minor units of the reporting currency (or of the column's original currency).
 */
import type { AnalyticsBasis } from '../../core/analytics.js';
import type { ExportColumn, ExportTable } from '../../core/export-table.js';
import { formatAmount } from '../../core/money.js';
import { META, words, type ExportLanguage, type Words } from '../exports/labels.js';
import type { BurdenSharing, IndicatorGap } from './burden.js';
import type { Coverage } from './coverage.js';
import type { Funnel, FunnelStage } from './funnel.js';
import type { Pace } from './pace.js';

const L = {
  asOf: words('As of', 'Situation au'),
  rateSource: words('Rate source', 'Source des taux'),
  conversions: words('Conversions', 'Conversions'),
  valueDateMode: words(
    'value date (each record at the ECB rate of its own value date)',
    'date de valeur (chaque enregistrement au taux BCE de sa propre date de valeur)',
  ),
  fixedMode: words(
    'fixed date (every record at one date’s ECB rates)',
    'date fixe (tous les enregistrements aux taux BCE d’une seule date)',
  ),
  conversionsValue: words(
    '{n} amounts converted, {m} at an earlier day’s rate (weekend or holiday)',
    '{n} montants convertis, dont {m} au taux d’un jour antérieur (week-end ou jour férié)',
  ),
  yes: words('yes', 'oui'),
  no: words('no', 'non'),
  total: words('Total', 'Total'),
} as const;

function t(w: Words, lang: ExportLanguage, values: Record<string, string | number> = {}): string {
  return w[lang].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** The meta rows every analysis table starts with. */
export function basisMeta(basis: AnalyticsBasis, lang: ExportLanguage): [string, string][] {
  return [
    [t(META.currency, lang), basis.currency],
    [t(META.rateMode, lang), t(basis.rateMode === 'fixed' ? L.fixedMode : L.valueDateMode, lang)],
    [t(META.rateDate, lang), basis.rateDate ?? t(META.notApplicable, lang)],
    [t(L.asOf, lang), basis.asOf],
    [t(META.generatedAt, lang), basis.generatedAt],
    [t(L.rateSource, lang), basis.rateSource],
    [
      t(L.conversions, lang),
      t(L.conversionsValue, lang, { n: basis.conversions, m: basis.fellBack }),
    ],
  ];
}

function money(key: string, label: Words, lang: ExportLanguage, currency: string): ExportColumn {
  return { key, label: t(label, lang), kind: 'money', currency };
}

function column(
  key: string,
  label: Words,
  lang: ExportLanguage,
  kind: ExportColumn['kind'],
): ExportColumn {
  return { key, label: t(label, lang), kind };
}

// ---- Funnel ----

const STAGE_NAMES: Record<FunnelStage, Words> = {
  pledged: words('Pledged', 'Annoncé'),
  committed: words('Committed', 'Engagé'),
  paid: words('Paid', 'Versé'),
  allocated: words('Allocated to packages', 'Alloué aux paquets'),
  authorised: words('Authorised', 'Autorisé'),
  disbursed: words('Disbursed to the supplier', 'Décaissé au fournisseur'),
  delivered: words('Delivered (value)', 'Livré (valeur)'),
};

const FUNNEL = {
  title: words('Funding funnel', 'Entonnoir du financement'),
  stage: words('Stage', 'Étape'),
  stageName: words('Stage name', 'Nom de l’étape'),
  funding: words('Counts as funding', 'Compte comme financement'),
  amount: words('Amount ({currency})', 'Montant ({currency})'),
  percentOfCommitted: words('% of committed', '% de l’engagé'),
  records: words('Records', 'Enregistrements'),
  original: words('In {currency} (original)', 'En {currency} (devise d’origine)'),
  reconciled: words('Reconciled with the ledger', 'Rapproché du grand livre'),
  reconciledAll: words(
    'yes: {n} lines match the ledger balances',
    'oui : {n} lignes concordent avec les soldes du grand livre',
  ),
  reconciledNot: words('NO: {lines}', 'NON : {lines}'),
} as const;

export function funnelTable(result: Funnel, lang: ExportLanguage): ExportTable {
  const currency = result.basis.currency;
  const originals = [
    ...new Set(result.stages.flatMap((s) => s.byCurrency.map((c) => c.currency))),
  ].sort();
  const mismatches = result.reconciliation.lines.filter((l) => !l.matches);
  return {
    name: 'funnel',
    title: t(FUNNEL.title, lang),
    meta: [
      ...basisMeta(result.basis, lang),
      [
        t(FUNNEL.reconciled, lang),
        mismatches.length === 0
          ? t(FUNNEL.reconciledAll, lang, { n: result.reconciliation.lines.length })
          : t(FUNNEL.reconciledNot, lang, {
              lines: mismatches
                .map(
                  (l) =>
                    `${l.stage} ${l.currency}: ${l.analyticsMinor} ≠ ${l.ledgerMinor} (${l.ledgerAccounts})`,
                )
                .join('; '),
            }),
      ],
    ],
    columns: [
      column('stage', FUNNEL.stage, lang, 'text'),
      column('stageName', FUNNEL.stageName, lang, 'text'),
      column('funding', FUNNEL.funding, lang, 'boolean'),
      {
        ...money('amount', FUNNEL.amount, lang, currency),
        label: t(FUNNEL.amount, lang, { currency }),
      },
      column('percentOfCommitted', FUNNEL.percentOfCommitted, lang, 'percent'),
      column('records', FUNNEL.records, lang, 'integer'),
      ...originals.map((c) => ({
        key: `original_${c}`,
        label: t(FUNNEL.original, lang, { currency: c }),
        kind: 'money' as const,
        currency: c,
      })),
    ],
    rows: result.stages.map((s) => ({
      stage: s.stage,
      stageName: t(STAGE_NAMES[s.stage], lang),
      funding: s.funding,
      amount: s.amountMinor,
      percentOfCommitted: s.percentOfCommitted,
      records: s.records,
      ...Object.fromEntries(
        originals.map((c) => [
          `original_${c}`,
          s.byCurrency.find((b) => b.currency === c)?.amountMinor ?? 0n,
        ]),
      ),
    })),
  };
}

// ---- Burden sharing ----

const BURDEN = {
  title: words('Burden sharing', 'Partage du fardeau'),
  rank: words('Rank (committed)', 'Rang (engagé)'),
  party: words('Donor', 'Donateur'),
  name: words('Name', 'Nom'),
  contributions: words('Contributions', 'Contributions'),
  committed: words('Committed ({currency})', 'Engagé ({currency})'),
  shareOfTotal: words('% of total committed', '% du total engagé'),
  committedUsd: words('Committed (USD, for % of GDP)', 'Engagé (USD, pour le % du PIB)'),
  percentOfGdp: words('% of GDP', '% du PIB'),
  rankByGdp: words('Rank (% of GDP)', 'Rang (% du PIB)'),
  gdpYear: words('GDP year', 'Année du PIB'),
  gdpFallback: words('GDP of an earlier year (fallback)', 'PIB d’une année antérieure (repli)'),
  gdpMissing: words('No % of GDP because', 'Pas de % du PIB car'),
  perCapita: words('Per capita ({currency})', 'Par habitant ({currency})'),
  populationYear: words('Population year', 'Année de la population'),
  populationFallback: words(
    'Population of an earlier year (fallback)',
    'Population d’une année antérieure (repli)',
  ),
  perCapitaMissing: words('No per capita figure because', 'Pas de montant par habitant car'),
  totalCommitted: words('Total committed', 'Total engagé'),
  gdp: words('GDP', 'PIB'),
  population: words('population', 'population'),
  noFigures: words('no {what} figure for this country', 'aucune donnée de {what} pour ce pays'),
  noEarlierYear: words(
    'no {what} figure for {year} or an earlier year (the first is {first})',
    'aucune donnée de {what} pour {year} ni pour une année antérieure (la première est {first})',
  ),
} as const;

function gapText(gap: IndicatorGap | null, what: Words, lang: ExportLanguage): string | null {
  if (gap === null) return null;
  const values = { what: t(what, lang), year: gap.commitmentYear, first: gap.firstYear ?? '' };
  return t(gap.firstYear === null ? BURDEN.noFigures : BURDEN.noEarlierYear, lang, values);
}

export function burdenSharingTable(result: BurdenSharing, lang: ExportLanguage): ExportTable {
  const currency = result.basis.currency;
  return {
    name: 'burden-sharing',
    title: t(BURDEN.title, lang),
    meta: [
      ...basisMeta(result.basis, lang),
      [
        t(BURDEN.totalCommitted, lang),
        `${formatAmount(result.totalCommittedMinor, 2)} ${currency}`,
      ],
    ],
    columns: [
      column('rank', BURDEN.rank, lang, 'integer'),
      column('party', BURDEN.party, lang, 'text'),
      column('name', BURDEN.name, lang, 'text'),
      column('contributions', BURDEN.contributions, lang, 'integer'),
      {
        ...money('committed', BURDEN.committed, lang, currency),
        label: t(BURDEN.committed, lang, { currency }),
      },
      column('shareOfTotal', BURDEN.shareOfTotal, lang, 'percent'),
      money('committedUsd', BURDEN.committedUsd, lang, 'USD'),
      column('percentOfGdp', BURDEN.percentOfGdp, lang, 'percent'),
      column('rankByGdp', BURDEN.rankByGdp, lang, 'integer'),
      column('gdpYear', BURDEN.gdpYear, lang, 'integer'),
      column('gdpFallback', BURDEN.gdpFallback, lang, 'boolean'),
      column('gdpMissing', BURDEN.gdpMissing, lang, 'text'),
      {
        ...column('perCapita', BURDEN.perCapita, lang, 'decimal'),
        label: t(BURDEN.perCapita, lang, { currency }),
      },
      column('populationYear', BURDEN.populationYear, lang, 'integer'),
      column('populationFallback', BURDEN.populationFallback, lang, 'boolean'),
      column('perCapitaMissing', BURDEN.perCapitaMissing, lang, 'text'),
    ],
    rows: result.donors.map((d) => ({
      rank: d.rankByCommitted,
      party: d.partyId,
      name: lang === 'fr' ? d.names.fr : d.names.en,
      contributions: d.contributions,
      committed: d.committedMinor,
      shareOfTotal: d.shareOfTotal,
      committedUsd: d.committedUsdMinor,
      percentOfGdp: d.percentOfGdp,
      rankByGdp: d.rankByPercentOfGdp,
      gdpYear: d.gdpYear,
      gdpFallback: d.gdpFallback,
      gdpMissing: gapText(d.gdpMissing, BURDEN.gdp, lang),
      perCapita: d.perCapita,
      populationYear: d.populationYear,
      populationFallback: d.populationFallback,
      perCapitaMissing: gapText(d.perCapitaMissing, BURDEN.population, lang),
    })),
  };
}

// ---- Coverage ----

const COVERAGE = {
  title: words(
    'Coverage by cycle and capability area',
    'Couverture par cycle et domaine capacitaire',
  ),
  cycle: words('Cycle', 'Cycle'),
  area: words('Capability area', 'Domaine capacitaire'),
  areaName: words('Capability area name', 'Nom du domaine capacitaire'),
  requested: words('Requested ({currency})', 'Demandé ({currency})'),
  approved: words('Approved ({currency})', 'Approuvé ({currency})'),
  packaged: words('In packages ({currency})', 'En paquets ({currency})'),
  funded: words('Funded ({currency})', 'Financé ({currency})'),
  delivered: words('Delivered ({currency})', 'Livré ({currency})'),
  percentFunded: words('% funded (funded / approved)', '% financé (financé / approuvé)'),
  cycles: words('Cycles', 'Cycles'),
  all: words('all', 'tous'),
} as const;

export function coverageTable(result: Coverage, lang: ExportLanguage): ExportTable {
  const currency = result.basis.currency;
  const amount = (key: keyof typeof COVERAGE & string) => ({
    key,
    label: t(COVERAGE[key], lang, { currency }),
    kind: 'money' as const,
    currency,
  });
  const cells = (f: Coverage['totals']) => ({
    requested: f.requestedMinor,
    approved: f.approvedMinor,
    packaged: f.packagedMinor,
    funded: f.fundedMinor,
    delivered: f.deliveredMinor,
    percentFunded: f.percentFunded,
  });
  const range =
    result.cycleFrom === null && result.cycleTo === null
      ? t(COVERAGE.all, lang)
      : `${result.cycleFrom ?? '…'} – ${result.cycleTo ?? '…'}`;
  return {
    name: 'coverage',
    title: t(COVERAGE.title, lang),
    meta: [...basisMeta(result.basis, lang), [t(COVERAGE.cycles, lang), range]],
    columns: [
      column('cycle', COVERAGE.cycle, lang, 'text'),
      column('area', COVERAGE.area, lang, 'text'),
      column('areaName', COVERAGE.areaName, lang, 'text'),
      amount('requested'),
      amount('approved'),
      amount('packaged'),
      amount('funded'),
      amount('delivered'),
      column('percentFunded', COVERAGE.percentFunded, lang, 'percent'),
    ],
    rows: [
      ...result.rows.map((r) => ({
        cycle: r.cycle,
        area: r.capabilityArea,
        areaName: lang === 'fr' ? r.areaNames.fr : r.areaNames.en,
        ...cells(r),
      })),
      { cycle: t(L.total, lang), area: null, areaName: null, ...cells(result.totals) },
    ],
  };
}

// ---- Pace ----

const PACE = {
  title: words('Pace against the target', 'Rythme par rapport à l’objectif'),
  month: words('Month', 'Mois'),
  complete: words('Complete month', 'Mois complet'),
  committed: words('Committed ({currency})', 'Engagé ({currency})'),
  paid: words('Paid ({currency})', 'Versé ({currency})'),
  delivered: words('Delivered ({currency})', 'Livré ({currency})'),
  cumulativeCommitted: words('Cumulative committed ({currency})', 'Engagé cumulé ({currency})'),
  cumulativePaid: words('Cumulative paid ({currency})', 'Versé cumulé ({currency})'),
  cumulativeDelivered: words('Cumulative delivered ({currency})', 'Livré cumulé ({currency})'),
  target: words('Target ({currency})', 'Objectif ({currency})'),
  cumulativeTarget: words('Cumulative target ({currency})', 'Objectif cumulé ({currency})'),
  targetMeta: words('Target per month', 'Objectif mensuel'),
  goalMeta: words('Goal', 'But'),
  givenValue: words('{amount} {currency} (given)', '{amount} {currency} (indiqué)'),
  defaultValue: words(
    '{amount} {currency} (default: {usd} USD{rate})',
    '{amount} {currency} (par défaut : {usd} USD{rate})',
  ),
  rateNote: words(' at {rate} of {date}', ' au taux de {rate} du {date}'),
  paceMeta: words('Pace (average committed per month)', 'Rythme (engagé moyen par mois)'),
  paceValue: words('{amount} {currency} over {months}', '{amount} {currency} sur {months}'),
  projectionMeta: words('Goal reached', 'But atteint'),
  reachedOn: words('reached on {date}', 'atteint le {date}'),
  projected: words('projected for {date} at the current pace', 'prévu le {date} au rythme actuel'),
  noCompleteMonth: words(
    'no complete month yet (the pace is averaged over complete months only)',
    'aucun mois complet pour l’instant (le rythme est une moyenne sur des mois complets)',
  ),
  noPace: words('no date: no pace yet', 'pas de date : pas encore de rythme'),
  zeroPace: words(
    'no date: nothing was committed in the last complete months',
    'pas de date : rien n’a été engagé au cours des derniers mois complets',
  ),
  tooFar: words(
    'no date: more than 100 years away at the current pace',
    'pas de date : à plus de 100 ans au rythme actuel',
  ),
} as const;

const PROJECTION_REASONS = {
  no_pace: PACE.noPace,
  zero_pace: PACE.zeroPace,
  too_far: PACE.tooFar,
} as const;

function paceSettingText(setting: Pace['target'], currency: string, lang: ExportLanguage): string {
  const amount = formatAmount(setting.amountMinor, 2);
  if (setting.source === 'given') return t(PACE.givenValue, lang, { amount, currency });
  const rate =
    setting.rate !== null && setting.rateDate !== null
      ? t(PACE.rateNote, lang, { rate: setting.rate, date: setting.rateDate })
      : '';
  return t(PACE.defaultValue, lang, {
    amount,
    currency,
    usd: formatAmount(setting.defaultUsdMinor, 2),
    rate,
  });
}

export function paceTable(result: Pace, lang: ExportLanguage): ExportTable {
  const currency = result.basis.currency;
  const amount = (key: keyof typeof PACE & string) => ({
    key,
    label: t(PACE[key], lang, { currency }),
    kind: 'money' as const,
    currency,
  });
  const pace = result.pace;
  const projection = result.projection;
  return {
    name: 'pace',
    title: t(PACE.title, lang),
    meta: [
      ...basisMeta(result.basis, lang),
      [t(PACE.targetMeta, lang), paceSettingText(result.target, currency, lang)],
      [t(PACE.goalMeta, lang), paceSettingText(result.goal, currency, lang)],
      [
        t(PACE.paceMeta, lang),
        pace.perMonthMinor === null
          ? t(PACE.noCompleteMonth, lang)
          : t(PACE.paceValue, lang, {
              amount: formatAmount(pace.perMonthMinor, 2),
              currency,
              months: pace.window.join(', '),
            }),
      ],
      [
        t(PACE.projectionMeta, lang),
        projection.reachedOn !== null
          ? t(PACE.reachedOn, lang, { date: projection.reachedOn })
          : projection.projectedDate !== null
            ? t(PACE.projected, lang, { date: projection.projectedDate })
            : projection.reasonCode !== null
              ? t(PROJECTION_REASONS[projection.reasonCode], lang)
              : '',
      ],
    ],
    columns: [
      column('month', PACE.month, lang, 'text'),
      column('complete', PACE.complete, lang, 'boolean'),
      amount('committed'),
      amount('paid'),
      amount('delivered'),
      amount('cumulativeCommitted'),
      amount('cumulativePaid'),
      amount('cumulativeDelivered'),
      amount('target'),
      amount('cumulativeTarget'),
    ],
    rows: result.months.map((m) => ({
      month: m.month,
      complete: m.complete,
      committed: m.committedMinor,
      paid: m.paidMinor,
      delivered: m.deliveredMinor,
      cumulativeCommitted: m.cumulativeCommittedMinor,
      cumulativePaid: m.cumulativePaidMinor,
      cumulativeDelivered: m.cumulativeDeliveredMinor,
      target: m.targetMinor,
      cumulativeTarget: m.cumulativeTargetMinor,
    })),
  };
}
