/**
 * The words of the meeting briefing, in English and in French. Pure: no I/O.
 *
 * Rules:
 * - One catalogue per language with the same keys (`BriefingMessages`): TypeScript refuses a
 *   language that lacks a message.
 * - French is written as NATO's French texts write it: "Groupe de contact sur la défense de
 *   l'Ukraine", "engagé", "versé", "livré", "paquet", "part du PIB", "partage du fardeau". The
 *   messages write an ordinary space before ":", ";", "?" and "!"; the HTML builder turns it into
 *   the no-break space French typography wants (`frenchSpacing`).
 * - Messages that take values receive them already formatted (`briefing-format.ts`).
 * - Party and capability-area names come from the reference data in the reader's language; the
 *   announcements' own text is quoted as reported (its language is not translated).
 */
import type { ReportingCurrency } from '../../core/analytics.js';
import { ECB_SOURCE, EUR_BASE_SOURCE } from '../../core/fx.js';
import type { MeetingKind, FollowUpStatus } from '../../core/meetings.js';
import type { PackageStatus } from '../../core/packages.js';
import { NBSP, type BriefingLanguage } from './briefing-format.js';

export interface BriefingMessages {
  /** The document's title (the PDF's title, the header). */
  documentTitle: string;
  /** The line above the meeting's title. */
  kicker: string;
  meetingTitle(kind: MeetingKind, number: number): string;
  chairs(count: number): string;
  participants: string;
  place: string;
  date: string;
  syntheticNotice: string;
  /** The same in a few words (every page's footer). */
  syntheticShort: string;
  basis: {
    title: string;
    currency: string;
    currencyName: Record<ReportingCurrency, string>;
    rates: string;
    valueDateRates: string;
    fixedRates(date: string): string;
    asOf: string;
    rateSource: string;
    generatedAt: string;
    fellBack(count: string): string;
    afterLastRate(count: string, day: string): string;
    /** The rate sources the product records, in the reader's language (others as stored). */
    knownSources: Record<string, string>;
  };
  headline: {
    title: string;
    committed: string;
    paid: string;
    allocated: string;
    authorised: string;
    delivered: string;
    pledgedNote(amount: string): string;
    goalTitle(goal: string): string;
    /** The default goal is set in US dollars: say what it was converted from. */
    goalConverted(usd: string, date: string): string;
    goalProgress(committed: string, percent: string, goal: string): string;
    goalRemaining(amount: string): string;
    goalReached: string;
    donors(count: string): string;
    explain: string;
  };
  pace: {
    title: string;
    intro(target: string): string;
    committed: string;
    paid: string;
    delivered: string;
    cumulativeCommitted: string;
    cumulativeTarget: string;
    axisAmount(unit: string): string;
    projected(goal: string, date: string, pace: string): string;
    reached(goal: string, date: string): string;
    notProjected(goal: string, reason: string): string;
    reasons: Record<'no_pace' | 'zero_pace' | 'too_far', string>;
  };
  burden: {
    title: string;
    intro: string;
    axis: string;
    rank: string;
    donor: string;
    committed: string;
    percentGdp: string;
    share: string;
    perCapita: string;
    fallbackNote(marker: string): string;
    noGdp: string;
    /** No donor has GDP data: no chart. */
    noGdpAtAll: string;
    none: string;
    top(count: string): string;
  };
  coverage: {
    title: string;
    intro: string;
    area: string;
    approved: string;
    funded: string;
    delivered: string;
    percentFunded: string;
    total: string;
    axisAmount(unit: string): string;
    none: string;
  };
  followUp: {
    title: string;
    previousIntro(meeting: string, date: string): string;
    currentTitle: string;
    currentIntro(meeting: string, date: string): string;
    noPrevious: string;
    noAnnouncements: string;
    party: string;
    announcement: string;
    announced: string;
    committed: string;
    paid: string;
    deliveredSince: string;
    status: string;
    statuses: Record<FollowUpStatus, string>;
    totals: string;
    quotedAsReported: string;
    more(count: string): string;
  };
  stalled: {
    title: string;
    intro(days: string): string;
    none: string;
    packageNumber: string;
    status: string;
    since: string;
    days: string;
    waitingFor: string;
    statuses: Record<PackageStatus, string>;
    waitFunding(gap: string): string;
    waitAuthorisation: string;
    waitFirstDispatch: string;
    more(count: string): string;
    waitReceipt(received: number, receivedText: string, linesText: string): string;
  };
  /** The page footer: the numbers are filled in by the PDF printer. */
  footer: { page: string; of: string };
  /** "12 days" / "12 jours". */
  days(count: number, formatted: string): string;
  unitBillions: Record<ReportingCurrency, string>;
  unitMillions: Record<ReportingCurrency, string>;
  /** ", " and " and " in lists. */
  list(items: string[]): string;
}

const en: BriefingMessages = {
  documentTitle: 'Meeting briefing',
  kicker: 'PURL Ledger · Partnered Ukraine Resupply Line · Meeting briefing',
  meetingTitle(kind, number) {
    if (kind === 'udcg')
      return `${englishOrdinal(number)} meeting of the Ukraine Defense Contact Group`;
    if (kind === 'ministerial') return `Ministerial meeting no. ${number}`;
    return `Meeting no. ${number}`;
  },
  chairs: (count) => (count === 1 ? 'Chair' : 'Chairs'),
  participants: 'Participants',
  place: 'Place',
  date: 'Date',
  syntheticNotice:
    'Synthetic demonstration data: some records in this briefing (package contents, prices, payments, deliveries, or this meeting) are invented for the demonstration and are not public facts.',
  syntheticShort: 'Synthetic demonstration data',
  basis: {
    title: 'Basis of the figures',
    currency: 'Currency',
    currencyName: { USD: 'US dollar (USD)', EUR: 'euro (EUR)' },
    rates: 'Exchange rates',
    valueDateRates: 'each amount at the ECB reference rate of its own value date',
    fixedRates: (date) => `every amount at the ECB reference rates of ${date}`,
    asOf: 'Figures as of',
    rateSource: 'Rate source',
    generatedAt: 'Generated',
    fellBack: (count) =>
      `${count} amounts fell on a day without a rate (weekend, holiday) and used the latest earlier day's rate.`,
    afterLastRate: (count, day) =>
      `${count} amounts are dated after the last imported exchange rates (${day}) and were converted at that day's rates: provisional until newer ECB rates are imported.`,
    knownSources: { [ECB_SOURCE]: ECB_SOURCE, [EUR_BASE_SOURCE]: EUR_BASE_SOURCE },
  },
  headline: {
    title: 'Headline figures',
    committed: 'Committed',
    paid: 'Paid',
    allocated: 'Allocated to packages',
    authorised: 'Authorised by the United States',
    delivered: 'Delivered (value received)',
    pledgedNote: (amount) =>
      `Pledged in all (announced, committed or not): ${amount}. Pledges do not count as funding until committed.`,
    goalTitle: (goal) => `Progress towards the ${goal} goal`,
    goalConverted: (usd, date) => `The goal is ${usd}, at the ECB rate of ${date}.`,
    goalProgress: (committed, percent, goal) => `${committed} committed: ${percent} of ${goal}.`,
    goalRemaining: (amount) => `${amount} to go.`,
    goalReached: 'The goal is reached.',
    donors: (count) => `Donors with committed funding: ${count}`,
    explain:
      'Committed: contributions committed by their donors. Paid: payments received. Allocated: funds assigned to packages. Authorised: price of the packages the United States has authorised. Delivered: quantities Ukraine has confirmed received, at their unit price.',
  },
  pace: {
    title: 'Pace of funding',
    intro: (target) =>
      `Committed, paid and delivered value per month (bars), and cumulative committed against the cumulative target of ${target} a month (lines).`,
    committed: 'Committed',
    paid: 'Paid',
    delivered: 'Delivered',
    cumulativeCommitted: 'Cumulative committed',
    cumulativeTarget: 'Cumulative target',
    axisAmount: (unit) => `Amount (${unit})`,
    projected: (goal, date, pace) =>
      `At the current pace of ${pace} a month, cumulative commitments reach ${goal} on ${date}.`,
    reached: (goal, date) => `Cumulative commitments reached ${goal} on ${date}.`,
    notProjected: (goal, reason) => `No date can be projected for ${goal}: ${reason}`,
    reasons: {
      no_pace: 'no complete month of commitments yet.',
      zero_pace: 'nothing was committed in the last three complete months.',
      too_far: 'at the current pace it would take more than a hundred years.',
    },
  },
  burden: {
    title: 'Burden sharing',
    intro:
      'Committed funding as a share of each donor’s gross domestic product (GDP of the year of commitment, World Bank, current US$), ranked.',
    axis: 'Share of GDP (%)',
    rank: 'Rank',
    donor: 'Donor',
    committed: 'Committed',
    percentGdp: 'Share of GDP',
    share: 'Share of total',
    perCapita: 'Per inhabitant',
    fallbackNote: (marker) =>
      `${marker} GDP of a later year was not yet published: the latest available year is used.`,
    noGdp: 'no GDP data',
    noGdpAtAll:
      'No GDP figures are loaded (the World Bank file, loaded with purl import gdp): shares of GDP cannot be shown; donors are ranked by committed funding.',
    none: 'No committed contribution yet.',
    top: (count) => `The ${count} largest donors`,
  },
  coverage: {
    title: 'Coverage by capability area',
    intro:
      'Requirements approved by the validators against the funding and deliveries of the packages that address them (% funded = funded ÷ approved).',
    area: 'Capability area',
    approved: 'Approved',
    funded: 'Funded',
    delivered: 'Delivered',
    percentFunded: '% funded',
    total: 'Total',
    axisAmount: (unit) => `Amount (${unit})`,
    none: 'No approved requirement yet.',
  },
  followUp: {
    title: 'Announcements and what became of them',
    previousIntro: (meeting, date) =>
      `Announced at the previous meeting (${meeting}, ${date}), and committed, paid and delivered since.`,
    currentTitle: 'Announced at this meeting',
    currentIntro: (meeting, date) => `Announced at ${meeting} (${date}).`,
    noPrevious: 'No earlier meeting is recorded.',
    noAnnouncements: 'No announcement is recorded for this meeting.',
    party: 'Party',
    announcement: 'Announcement (as reported)',
    announced: 'Announced',
    committed: 'Committed',
    paid: 'Paid',
    deliveredSince: 'Delivered since',
    status: 'Status',
    statuses: {
      not_linked: 'no contribution yet',
      pledged: 'pledged',
      committed: 'committed',
      partially_paid: 'partly paid',
      paid: 'paid',
      cancelled: 'cancelled',
    },
    totals: 'Total',
    quotedAsReported: 'Announcements are quoted as reported.',
    more: (count) => `${count} more announcements are counted in the total but not listed.`,
  },
  stalled: {
    title: 'Stalled packages',
    intro: (days) =>
      `Packages whose current stage has lasted longer than ${days}, and what each is waiting for.`,
    none: 'No package is stalled.',
    packageNumber: 'Package',
    status: 'Stage',
    since: 'Since',
    days: 'Days',
    waitingFor: 'Waiting for',
    statuses: {
      draft: 'draft',
      open: 'open for funding',
      funded: 'funded',
      authorized: 'authorised',
      in_delivery: 'in delivery',
      delivered: 'delivered',
      closed: 'closed',
      cancelled: 'cancelled',
    },
    waitFunding: (gap) => `funding: a gap of ${gap}`,
    waitAuthorisation: 'authorisation by the United States',
    waitFirstDispatch: 'first dispatch',
    more: (count) =>
      `${count} more stalled packages are not listed (the stalled-packages export lists them all).`,
    waitReceipt: (_received, receivedText, linesText) =>
      `receipt: ${receivedText} of ${linesText} lines received`,
  },
  footer: { page: 'Page', of: 'of' },
  days: (count, formatted) => `${formatted} ${count === 1 ? 'day' : 'days'}`,
  unitBillions: { USD: '$ bn', EUR: '€ bn' },
  unitMillions: { USD: '$ m', EUR: '€ m' },
  list: (items) => joinList(items, ' and '),
};

const fr: BriefingMessages = {
  documentTitle: 'Note d’information pour la réunion',
  kicker: 'PURL Ledger · Partnered Ukraine Resupply Line · Note d’information pour la réunion',
  meetingTitle(kind, number) {
    if (kind === 'udcg') {
      return `${number === 1 ? '1re' : `${number}e`} réunion du Groupe de contact sur la défense de l’Ukraine`;
    }
    if (kind === 'ministerial') return `Réunion ministérielle nº${NBSP}${number}`;
    return `Réunion nº${NBSP}${number}`;
  },
  chairs: (count) => (count === 1 ? 'Présidence' : 'Coprésidence'),
  participants: 'Participants',
  place: 'Lieu',
  date: 'Date',
  syntheticNotice:
    'Données de démonstration synthétiques : une partie des informations de cette note (contenu des paquets, prix, versements, livraisons ou la réunion elle-même) est inventée pour la démonstration et ne constitue pas un fait public.',
  syntheticShort: 'Données de démonstration synthétiques',
  basis: {
    title: 'Base des chiffres',
    currency: 'Monnaie',
    currencyName: { USD: 'dollar des États-Unis (USD)', EUR: 'euro (EUR)' },
    rates: 'Taux de change',
    valueDateRates: 'chaque montant au taux de référence de la BCE de sa date de valeur',
    fixedRates: (date) => `tous les montants aux taux de référence de la BCE du ${date}`,
    asOf: 'Chiffres arrêtés au',
    rateSource: 'Source des taux',
    generatedAt: 'Établie le',
    fellBack: (count) =>
      `${count} montants tombaient un jour sans taux (week-end, jour férié) et ont pris le taux du dernier jour précédent.`,
    afterLastRate: (count, day) =>
      `${count} montants sont datés après les derniers taux importés (${day}) et ont été convertis à ces taux : chiffres provisoires jusqu’à l’import de taux BCE plus récents.`,
    knownSources: {
      [ECB_SOURCE]: 'taux de change de référence de l’euro publiés par la BCE (eurofxref-hist)',
      [EUR_BASE_SOURCE]: 'l’euro est la monnaie de base de la BCE (taux de 1 par définition)',
    },
  },
  headline: {
    title: 'Chiffres clés',
    committed: 'Engagé',
    paid: 'Versé',
    allocated: 'Affecté aux paquets',
    authorised: 'Autorisé par les États-Unis',
    delivered: 'Livré (valeur reçue)',
    pledgedNote: (amount) =>
      `Promesses de contribution au total (annoncées, engagées ou non) : ${amount}. Une promesse ne compte comme financement qu’une fois engagée.`,
    goalTitle: (goal) => `Progression vers l’objectif de ${goal}`,
    goalConverted: (usd, date) => `L’objectif est de ${usd}, au taux de la BCE du ${date}.`,
    goalProgress: (committed, percent, goal) =>
      `${committed} engagés : ${percent} de l’objectif de ${goal}.`,
    goalRemaining: (amount) => `Il reste ${amount}.`,
    goalReached: 'L’objectif est atteint.',
    donors: (count) => `Donateurs ayant engagé des fonds : ${count}`,
    explain:
      'Engagé : contributions engagées par les donateurs. Versé : paiements reçus. Affecté : fonds attribués aux paquets. Autorisé : prix des paquets autorisés par les États-Unis. Livré : quantités dont l’Ukraine a confirmé la réception, à leur prix unitaire.',
  },
  pace: {
    title: 'Rythme des financements',
    intro: (target) =>
      `Montants engagés, versés et livrés par mois (barres), et montant engagé cumulé face à l’objectif cumulé de ${target} par mois (courbes).`,
    committed: 'Engagé',
    paid: 'Versé',
    delivered: 'Livré',
    cumulativeCommitted: 'Engagé cumulé',
    cumulativeTarget: 'Objectif cumulé',
    axisAmount: (unit) => `Montant (${unit})`,
    projected: (goal, date, pace) =>
      `Au rythme actuel de ${pace} par mois, les engagements cumulés atteindront ${goal} le ${date}.`,
    reached: (goal, date) => `Les engagements cumulés ont atteint ${goal} le ${date}.`,
    notProjected: (goal, reason) => `Aucune date ne peut être projetée pour ${goal} : ${reason}`,
    reasons: {
      no_pace: 'aucun mois complet d’engagements pour l’instant.',
      zero_pace: 'rien n’a été engagé au cours des trois derniers mois complets.',
      too_far: 'au rythme actuel, il faudrait plus de cent ans.',
    },
  },
  burden: {
    title: 'Partage du fardeau',
    intro:
      'Financements engagés rapportés au produit intérieur brut de chaque donateur (PIB de l’année de l’engagement, Banque mondiale, dollars courants), par rang.',
    axis: 'Part du PIB (%)',
    rank: 'Rang',
    donor: 'Donateur',
    committed: 'Engagé',
    percentGdp: 'Part du PIB',
    share: 'Part du total',
    perCapita: 'Par habitant',
    fallbackNote: (marker) =>
      `${marker} Le PIB d’une année plus récente n’étant pas encore publié, la dernière année disponible est utilisée.`,
    noGdp: 'PIB non disponible',
    noGdpAtAll:
      'Aucune donnée de PIB n’est chargée (fichier de la Banque mondiale, chargé par la commande purl import gdp) : la part du PIB ne peut être indiquée ; les donateurs sont classés par montant engagé.',
    none: 'Aucune contribution engagée pour l’instant.',
    top: (count) => `Les ${count} premiers donateurs`,
  },
  coverage: {
    title: 'Couverture par domaine capacitaire',
    intro:
      'Besoins approuvés par les validateurs, face au financement et aux livraisons des paquets qui y répondent (% financé = financé ÷ approuvé).',
    area: 'Domaine capacitaire',
    approved: 'Approuvé',
    funded: 'Financé',
    delivered: 'Livré',
    percentFunded: '% financé',
    total: 'Total',
    axisAmount: (unit) => `Montant (${unit})`,
    none: 'Aucun besoin approuvé pour l’instant.',
  },
  followUp: {
    title: 'Annonces et suites données',
    previousIntro: (meeting, date) =>
      `Annoncé lors de la réunion précédente (${meeting}, ${date}), puis engagé, versé et livré depuis.`,
    currentTitle: 'Annoncé lors de cette réunion',
    currentIntro: (meeting, date) => `Annoncé lors de la ${lowerFirst(meeting)} (${date}).`,
    noPrevious: 'Aucune réunion antérieure n’est enregistrée.',
    noAnnouncements: 'Aucune annonce n’est enregistrée pour cette réunion.',
    party: 'Partie',
    announcement: 'Annonce (telle que rapportée)',
    announced: 'Annoncé',
    committed: 'Engagé',
    paid: 'Versé',
    deliveredSince: 'Livré depuis',
    status: 'État',
    statuses: {
      not_linked: 'pas encore de contribution',
      pledged: 'promis',
      committed: 'engagé',
      partially_paid: 'partiellement versé',
      paid: 'versé',
      cancelled: 'annulé',
    },
    totals: 'Total',
    quotedAsReported:
      'Les annonces sont citées telles qu’elles ont été rapportées, dans leur langue d’origine.',
    more: (count) => `${count} autres annonces sont comptées dans le total sans être détaillées.`,
  },
  stalled: {
    title: 'Paquets en attente',
    intro: (days) =>
      `Paquets dont l’étape en cours dure depuis plus de ${days}, et ce que chacun attend.`,
    none: 'Aucun paquet n’est en attente.',
    packageNumber: 'Paquet',
    status: 'Étape',
    since: 'Depuis le',
    days: 'Jours',
    waitingFor: 'En attente de',
    statuses: {
      draft: 'brouillon',
      open: 'ouvert au financement',
      funded: 'financé',
      authorized: 'autorisé',
      in_delivery: 'en cours de livraison',
      delivered: 'livré',
      closed: 'clos',
      cancelled: 'annulé',
    },
    waitFunding: (gap) => `financement : il manque ${gap}`,
    waitAuthorisation: 'autorisation des États-Unis',
    waitFirstDispatch: 'première expédition',
    more: (count) =>
      `${count} autres paquets en attente ne sont pas détaillés (l’export des paquets en attente les donne tous).`,
    waitReceipt: (received, receivedText, linesText) =>
      received < 2
        ? `réception : ${receivedText} ligne reçue sur ${linesText}`
        : `réception : ${receivedText} lignes reçues sur ${linesText}`,
  },
  footer: { page: 'Page', of: 'sur' },
  days: (count, formatted) => `${formatted} ${count < 2 ? 'jour' : 'jours'}`,
  unitBillions: { USD: 'Md$', EUR: 'Md€' },
  unitMillions: { USD: 'M$', EUR: 'M€' },
  list: (items) => joinList(items, ' et '),
};

export const BRIEFING_MESSAGES: Record<BriefingLanguage, BriefingMessages> = { en, fr };

/** 1st, 2nd, 3rd, 4th, 11th, 21st… */
function englishOrdinal(n: number): string {
  const suffix: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };
  return `${n}${suffix[new Intl.PluralRules('en', { type: 'ordinal' }).select(n)] ?? 'th'}`;
}

function joinList(items: string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')}${and}${items[items.length - 1]}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
