/**
 * The delivery analyses as export tables (core/export-table.ts, the one shape the CSV and XLSX
 * writers take): lead times per stage, stalled packages, a meeting's follow-up, the Kiel context
 * view — headers, titles and sentences in English or French; cell values that are codes
 * (statuses, stages, party ids) stay codes, as in every export (services/exports/labels.ts).
 *
 * Every table's meta block states the basis the figures are on: currency, rate mode, rate date,
 * as of, generation time, rate source, conversions — then what is particular to the analysis
 * (the stalled threshold, the meeting, how Kiel's EUR figures were converted and their files).
 * Money columns hold minor units of the reporting currency (`money`), Kiel's EUR bn their exact
 * published text (`decimal`). Pure: no I/O.
 */
import type { ExportColumn, ExportTable } from '../../core/export-table.js';
import { formatAmount } from '../../core/money.js';
import { META, words, type ExportLanguage, type Words } from '../exports/labels.js';
import type { KielContext } from './context.js';
import type { FollowUp } from './follow-up.js';
import type { LeadTimeStage, LeadTimes, WaitingStage } from './lead-times.js';
import type { AnalyticsBasis } from '../../core/analytics.js';

const LOCALE: Record<ExportLanguage, string> = { en: 'en-GB', fr: 'fr-FR' };

/**
 * Formatters by language and currency, made once (making one is costly: lead times' stalled
 * packages, thousands at scale 1, each say what they wait for). Currencies are ISO codes: few.
 */
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** An amount of minor units as text for a sentence ("USD 1,234.50", "1 234,50 $US"). */
export function moneyText(amountMinor: bigint, currency: string, lang: ExportLanguage): string {
  const key = `${lang}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE[lang], {
      style: 'currency',
      currency,
      currencyDisplay: lang === 'en' ? 'code' : 'symbol',
    });
    moneyFormats.set(key, format);
  }
  // Exact: the decimal text is formatted, never a JS number.
  return format.format(formatAmount(amountMinor, 2) as `${number}`);
}

const BASIS = {
  asOf: words('As of', 'Situation au'),
  rateSource: words('Rate source', 'Source des taux'),
  conversions: words('Conversions', 'Conversions'),
  valueDate: words(
    'value_date: each amount at the ECB rate of its own value date',
    'value_date : chaque montant au taux BCE de sa date de valeur',
  ),
  fixed: words(
    'fixed: every amount at the ECB rates of one date',
    'fixed : tous les montants aux taux BCE d’une même date',
  ),
  eachValueDate: words('the value date of each amount', 'la date de valeur de chaque montant'),
} as const;

/** The meta rows of a basis, in the language. */
export function basisMeta(basis: AnalyticsBasis, lang: ExportLanguage): [string, string][] {
  const conversions =
    lang === 'en'
      ? `${basis.conversions} amounts converted, ${basis.fellBack} at an earlier day's rate (weekend or holiday)`
      : `${basis.conversions} montants convertis, dont ${basis.fellBack} au taux d’un jour antérieur (week-end ou jour férié)`;
  return [
    [META.currency[lang], basis.currency],
    [META.rateMode[lang], (basis.rateMode === 'fixed' ? BASIS.fixed : BASIS.valueDate)[lang]],
    [META.rateDate[lang], basis.rateDate ?? BASIS.eachValueDate[lang]],
    [BASIS.asOf[lang], basis.asOf],
    [META.generatedAt[lang], basis.generatedAt],
    [BASIS.rateSource[lang], basis.rateSource],
    [BASIS.conversions[lang], conversions],
  ];
}

function column(
  key: string,
  label: Words,
  kind: ExportColumn['kind'],
  lang: ExportLanguage,
  currency?: string,
): ExportColumn {
  return { key, label: label[lang], kind, ...(currency !== undefined ? { currency } : {}) };
}

const FIGURE = words('Figure key (drill-down)', 'Clé du chiffre (détail)');

// ---- Lead times ----

export const STAGE_WORDS: Record<LeadTimeStage, Words> = {
  committed_to_funded: words('Committed → funded', 'Engagé → financé'),
  funded_to_authorized: words('Funded → authorised', 'Financé → autorisé'),
  authorized_to_dispatched: words('Authorised → first dispatch', 'Autorisé → première expédition'),
  dispatched_to_delivered: words(
    'First dispatch → fully received',
    'Première expédition → entièrement reçu',
  ),
};

export function leadTimesTable(result: LeadTimes, lang: ExportLanguage): ExportTable {
  const currency = result.basis.currency;
  return {
    name: 'lead-times',
    title: words('Lead times per stage', 'Délais par étape')[lang],
    meta: basisMeta(result.basis, lang),
    columns: [
      column('stage', words('Stage', 'Étape'), 'text', lang),
      column('stageName', words('Stage name', 'Nom de l’étape'), 'text', lang),
      column('packages', words('Packages', 'Paquets'), 'integer', lang),
      column('medianDays', words('Median (days)', 'Médiane (jours)'), 'integer', lang),
      column('p90Days', words('90th percentile (days)', '90e centile (jours)'), 'integer', lang),
      column(
        'valueMinor',
        words('Value of the packages', 'Valeur des paquets'),
        'money',
        lang,
        currency,
      ),
      column('figure', FIGURE, 'text', lang),
    ],
    rows: result.stages.map((s) => ({
      stage: s.stage,
      stageName: STAGE_WORDS[s.stage][lang],
      packages: s.packages,
      medianDays: s.medianDays,
      p90Days: s.p90Days,
      valueMinor: s.valueMinor,
      figure: s.figure,
    })),
  };
}

/** What a package waits for, in a sentence of the language. */
export function waitingForText(
  stage: WaitingStage,
  facts: { gapMinor: bigint; currency: string; linesReceived: number; linesTotal: number },
  lang: ExportLanguage,
): string {
  const gap = moneyText(facts.gapMinor, facts.currency, lang);
  const { linesReceived: n, linesTotal: m } = facts;
  if (lang === 'fr') {
    switch (stage) {
      case 'funding':
        return `en attente de financement : il manque ${gap}`;
      case 'authorisation':
        return 'en attente d’autorisation';
      case 'first_dispatch':
        return 'en attente de la première expédition';
      case 'delivery':
        return `en cours de livraison : ${n} ligne${n > 1 ? 's' : ''} reçue${n > 1 ? 's' : ''} sur ${m}`;
    }
  }
  switch (stage) {
    case 'funding':
      return `waiting for funding: gap ${gap}`;
    case 'authorisation':
      return 'waiting for authorisation';
    case 'first_dispatch':
      return 'waiting for first dispatch';
    case 'delivery':
      return `in delivery: ${n} of ${m} line${m === 1 ? '' : 's'} received`;
  }
}

export function stalledPackagesTable(result: LeadTimes, lang: ExportLanguage): ExportTable {
  const currency = result.basis.currency;
  const days = result.stalledAfterDays;
  return {
    name: 'stalled-packages',
    title: words(
      `Stalled packages (more than ${days} days in one stage)`,
      `Paquets bloqués (plus de ${days} jours à la même étape)`,
    )[lang],
    meta: [
      ...basisMeta(result.basis, lang),
      [
        words('Stalled after', 'Bloqué au-delà de')[lang],
        `${days} ${lang === 'fr' ? 'jours' : 'days'}`,
      ],
    ],
    columns: [
      column('number', words('Package', 'Paquet'), 'text', lang),
      column('title', words('Title', 'Intitulé'), 'text', lang),
      column('status', words('Status', 'Statut'), 'text', lang),
      column('stage', words('Waiting for (stage)', 'En attente de (étape)'), 'text', lang),
      column('since', words('Since', 'Depuis le'), 'date', lang),
      column('days', words('Days', 'Jours'), 'integer', lang),
      column('priceMinor', words('Price', 'Prix'), 'money', lang, currency),
      column(
        'gapMinor',
        words('Funding gap', 'Montant restant à financer'),
        'money',
        lang,
        currency,
      ),
      column('linesReceived', words('Lines received', 'Lignes reçues'), 'integer', lang),
      column('linesTotal', words('Lines', 'Lignes'), 'integer', lang),
      column('waitingFor', words('What it waits for', 'Ce qu’il attend'), 'text', lang),
      column('figure', FIGURE, 'text', lang),
    ],
    rows: result.stalled.map((s) => ({
      number: s.number,
      title: s.title,
      status: s.status,
      stage: s.stage,
      since: s.since,
      days: s.days,
      priceMinor: s.priceMinor,
      gapMinor: s.gapMinor,
      linesReceived: s.linesReceived,
      linesTotal: s.linesTotal,
      waitingFor: waitingForText(
        s.stage,
        {
          gapMinor: s.gapMinor,
          currency,
          linesReceived: s.linesReceived,
          linesTotal: s.linesTotal,
        },
        lang,
      ),
      figure: s.figure,
    })),
  };
}

// ---- Meeting follow-up ----

export function followUpTable(result: FollowUp, lang: ExportLanguage): ExportTable {
  const currency = result.basis.currency;
  const m = result.meeting;
  const money = (key: string, label: Words) => column(key, label, 'money', lang, currency);
  const total = words(
    'Meeting total (each contribution once)',
    'Total de la réunion (chaque contribution une fois)',
  );
  return {
    name: 'meeting-follow-up',
    title: words(
      `Follow-up of meeting ${m.number} (${m.heldOn}, ${m.place})`,
      `Suivi de la réunion n° ${m.number} (${m.heldOn}, ${m.place})`,
    )[lang],
    meta: [
      ...basisMeta(result.basis, lang),
      [words('Meeting', 'Réunion')[lang], `${m.number} — ${m.heldOn} — ${m.place}`],
      [
        words('Delivered', 'Livré')[lang],
        words(
          'value of receipts since the meeting, shared among a package’s funders pro rata (largest remainder)',
          'valeur des réceptions depuis la réunion, répartie entre les financeurs du paquet au prorata (plus forts restes)',
        )[lang],
      ],
    ],
    columns: [
      column('announcementId', words('Announcement ID', 'Identifiant de l’annonce'), 'text', lang),
      column('partyId', words('Party', 'Partie'), 'text', lang),
      column('text', words('Announcement', 'Annonce'), 'text', lang),
      {
        ...column(
          'originalAmountMinor',
          words('Amount announced (as announced)', 'Montant annoncé (devise d’origine)'),
          'money',
          lang,
        ),
        currencyKey: 'originalCurrency',
      },
      column('originalCurrency', words('Currency announced', 'Devise annoncée'), 'text', lang),
      money('announcedMinor', words('Announced', 'Annoncé')),
      money('committedMinor', words('Committed', 'Engagé')),
      money('paidMinor', words('Paid', 'Versé')),
      money('deliveredMinor', words('Delivered since the meeting', 'Livré depuis la réunion')),
      column('status', words('Status', 'Statut'), 'text', lang),
      column('contributionIds', words('Contributions', 'Contributions'), 'text', lang),
    ],
    rows: [
      ...result.announcements.map((a) => ({
        announcementId: String(a.announcementId),
        partyId: a.partyId,
        text: a.text,
        originalAmountMinor: a.originalAmountMinor,
        originalCurrency: a.originalCurrency,
        announcedMinor: a.announcedMinor,
        committedMinor: a.committedMinor,
        paidMinor: a.paidMinor,
        deliveredMinor: a.deliveredMinor,
        status: a.status,
        contributionIds: a.contributions.map((c) => String(c.contributionId)).join(' '),
      })),
      {
        announcementId: null,
        partyId: null,
        text: total[lang],
        originalAmountMinor: null,
        originalCurrency: null,
        announcedMinor: result.totals.announcedMinor,
        committedMinor: result.totals.committedMinor,
        paidMinor: result.totals.paidMinor,
        deliveredMinor: result.totals.deliveredMinor,
        status: null,
        contributionIds: null,
      },
    ],
  };
}

// ---- Kiel context ----

export function kielContextTable(result: KielContext, lang: ExportLanguage): ExportTable {
  const currency = result.basis.currency;
  const money = (key: string, label: Words) => column(key, label, 'money', lang, currency);
  const eurBn = (key: string, label: Words) => column(key, label, 'decimal', lang);
  const sources =
    result.sources.length === 0
      ? META.none[lang]
      : result.sources
          .map((s) => `${s.sourceFile} (sha256 ${s.sourceSha256}, ${s.importedAt.toISOString()})`)
          .join('; ');
  return {
    name: 'kiel-context',
    title: words(
      'PURL beside the Kiel Institute Ukraine Support Tracker, per donor',
      'La PURL au regard de l’Ukraine Support Tracker de l’Institut de Kiel, par donateur',
    )[lang],
    meta: [
      ...basisMeta(result.basis, lang),
      [
        words('Year', 'Année')[lang],
        result.year === null
          ? words('latest period', 'dernière période')[lang]
          : String(result.year),
      ],
      [
        words('Kiel conversion', 'Conversion des chiffres de Kiel')[lang],
        kielConversionText(result, lang),
      ],
      [words('Kiel source files', 'Fichiers source de Kiel')[lang], sources],
    ],
    columns: [
      column('iso', words('Donor', 'Donateur'), 'text', lang),
      column('name', words('Name', 'Nom'), 'text', lang),
      money('purlCommittedMinor', words('PURL committed', 'PURL — engagé')),
      money('purlPaidMinor', words('PURL paid', 'PURL — versé')),
      column('kielPeriod', words('Kiel period', 'Période (Kiel)'), 'text', lang),
      eurBn('kielTotalEurBn', words('Kiel total (EUR bn)', 'Kiel — total (Md EUR)')),
      eurBn('kielFinancialEurBn', words('Kiel financial (EUR bn)', 'Kiel — financier (Md EUR)')),
      eurBn(
        'kielHumanitarianEurBn',
        words('Kiel humanitarian (EUR bn)', 'Kiel — humanitaire (Md EUR)'),
      ),
      eurBn('kielMilitaryEurBn', words('Kiel military (EUR bn)', 'Kiel — militaire (Md EUR)')),
      eurBn(
        'kielCommitmentsEurBn',
        words('Kiel commitments (EUR bn)', 'Kiel — engagements (Md EUR)'),
      ),
      eurBn(
        'kielToBeAllocatedEurBn',
        words('Kiel to be allocated (EUR bn)', 'Kiel — à allouer (Md EUR)'),
      ),
      eurBn('kielGdpEurBn', words('Kiel GDP (EUR bn)', 'Kiel — PIB (Md EUR)')),
      eurBn(
        'kielPctGdp',
        words('Kiel % of GDP (as published)', 'Kiel — % du PIB (tel que publié)'),
      ),
      money('kielTotalMinor', words('Kiel total, converted', 'Kiel — total, converti')),
      money('kielMilitaryMinor', words('Kiel military, converted', 'Kiel — militaire, converti')),
      column('kielRate', words('Rate per EUR', 'Taux pour 1 EUR'), 'decimal', lang),
      column('kielRateDate', words('Rate date', 'Date du taux'), 'date', lang),
      column(
        'committedPctOfKielMilitary',
        words('PURL committed, % of Kiel military', 'PURL engagé, en % du militaire (Kiel)'),
        'percent',
        lang,
      ),
      column('kielSourceFile', words('Kiel source file', 'Fichier source (Kiel)'), 'text', lang),
    ],
    rows: result.rows.map((r) => ({
      iso: r.iso,
      name: r.names[lang],
      purlCommittedMinor: r.purl?.committedMinor ?? null,
      purlPaidMinor: r.purl?.paidMinor ?? null,
      kielPeriod: r.kiel?.period ?? null,
      kielTotalEurBn: r.kiel?.amounts.total.eurBn ?? null,
      kielFinancialEurBn: r.kiel?.amounts.financial.eurBn ?? null,
      kielHumanitarianEurBn: r.kiel?.amounts.humanitarian.eurBn ?? null,
      kielMilitaryEurBn: r.kiel?.amounts.military.eurBn ?? null,
      kielCommitmentsEurBn: r.kiel?.amounts.commitments.eurBn ?? null,
      kielToBeAllocatedEurBn: r.kiel?.amounts.toBeAllocated.eurBn ?? null,
      kielGdpEurBn: r.kiel?.amounts.gdp.eurBn ?? null,
      kielPctGdp: r.kiel?.pctGdp ?? null,
      kielTotalMinor: r.kiel?.amounts.total.amountMinor ?? null,
      kielMilitaryMinor: r.kiel?.amounts.military.amountMinor ?? null,
      kielRate: r.kiel?.rate ?? null,
      kielRateDate: r.kiel?.rateDate ?? null,
      committedPctOfKielMilitary: r.committedPctOfKielMilitary,
      kielSourceFile: r.kiel?.sourceFile ?? null,
    })),
  };
}

/** How Kiel's EUR figures were converted, in the language. */
export function kielConversionText(result: KielContext, lang: ExportLanguage): string {
  const { currency, rateMode, rateDate } = result.basis;
  if (currency === 'EUR')
    return words(
      'none: Kiel figures are in EUR as published',
      'aucune : les chiffres de Kiel sont en EUR, tels que publiés',
    )[lang];
  if (rateMode === 'fixed')
    return words(
      `EUR bn converted to ${currency} at the ECB rate of ${rateDate}`,
      `Md EUR convertis en ${currency} au taux BCE du ${rateDate}`,
    )[lang];
  return words(
    `EUR bn converted to ${currency} at the ECB rate of the end of each row's period (or of the as-of date, or of the last day with rates, if earlier); each row states its rate and date`,
    `Md EUR convertis en ${currency} au taux BCE de la fin de la période de chaque ligne (ou de la date de situation, ou du dernier jour de taux disponible, s’ils sont antérieurs) ; chaque ligne indique son taux et sa date`,
  )[lang];
}
