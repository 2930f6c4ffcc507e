/**
 * The meeting briefing (issue 5, point 4): a few pages a minister reads in five minutes before a
 * UDCG meeting — the meeting and the basis of the figures, headline figures, the pace chart,
 * burden sharing, coverage by capability area, the previous meeting's announcements and what
 * became of them (and this meeting's own), stalled packages — as a PDF in English or French.
 *
 * The path: `authorize('reports.read')` → the meeting (`getMeeting`: NOT_FOUND before anything
 * else is read or rendered) → the analyses, each through its own service with the caller as
 * actor, so their access checks and redaction apply (funnel, burden sharing, coverage, pace:
 * `analytics/funding.ts`; lead times and follow-up: `analytics/delivery.ts`) → the plain model
 * (`briefing-model.ts`) → HTML with inline SVG charts (`briefing-html.ts`) → PDF
 * (`browser.ts`).
 *
 * Rules:
 * - One basis for every analysis: the same currency, rate mode and `asOf` (fixed once here —
 *   default today, UTC — so a render across midnight cannot mix two days). Each analysis reads
 *   its own REPEATABLE READ snapshot; the title block shows the funnel's basis.
 * - The goal the headline measures progress against is the pace's goal (US$5 bn by default,
 *   converted to the reporting currency as the pace says), so both pages agree.
 * - "Synthetic demonstration data" is stated when the meeting (or the previous one), any of
 *   their announcements, or any contribution or package is synthetic.
 * - Names (parties, capability areas) in the reader's language from the reference data.
 */
import type { Actor } from '../../core/actor.js';
import {
  checkAnalyticsOptions,
  percentText,
  type AnalyticsBasis,
  type AnalyticsOptions,
} from '../../core/analytics.js';
import { DomainError } from '../../core/errors.js';
import { parseAmount } from '../../core/money.js';
import { authorize } from '../../core/policy.js';
import type { Database } from '../../storage/database.js';
import { includesSyntheticData } from '../../storage/public-repository.js';
import {
  getFollowUp,
  getLeadTimes,
  type FollowUp,
  type LeadTimes,
  type StalledPackage,
} from '../analytics/delivery.js';
import {
  getBurdenSharing,
  getCoverage,
  getFunnel,
  getPace,
  type BurdenSharing,
  type Coverage,
  type Funnel,
  type Pace,
} from '../analytics/funding.js';
import { todayUtc } from '../analytics/reporting.js';
import { getMeeting, listMeetings, type Meeting, type MeetingDetail } from '../meetings-service.js';
import { listCapabilityAreas, listParties } from '../reference-service.js';
import { BRIEFING_LANGUAGES, type BriefingLanguage } from './briefing-format.js';
import { loadChartLibrary } from './briefing-charts.js';
import { briefingHtml } from './briefing-html.js';
import type {
  BriefingCoverageRow,
  BriefingDonor,
  BriefingFollowUp,
  BriefingModel,
  BriefingPace,
  BriefingStalledPackage,
  BriefingWait,
} from './briefing-model.js';
import { renderPdf } from './browser.js';

export interface BriefingRequest {
  meetingId: bigint;
  lang: BriefingLanguage;
  /** USD (default) or EUR. */
  currency?: string | undefined;
  /** `value_date` (default) or `fixed`. */
  rateMode?: string | undefined;
  /** With `fixed`: the day whose rates are used (default the latest day with rates). */
  rateDate?: string | undefined;
  /** Figures as of this day (default today, UTC). */
  asOf?: string | undefined;
}

export interface RenderedBriefing {
  pdf: Buffer;
  /** `purl-briefing-<number>-<date>-<lang>.pdf`. */
  fileName: string;
  /** The document's title in its language. */
  title: string;
  meeting: { id: bigint; number: number; heldOn: string };
  lang: BriefingLanguage;
  basis: AnalyticsBasis;
}

/** The meeting briefing as a PDF (see the rules at the top of this file). */
export async function renderBriefing(
  database: Database,
  actor: Actor,
  request: BriefingRequest,
): Promise<RenderedBriefing> {
  authorize(actor, 'reports.read');
  const model = await buildBriefingModel(database, actor, request);
  await loadChartLibrary();
  const document = briefingHtml(model);
  const pdf = await renderPdf(document.html, document);
  return {
    pdf,
    fileName: `purl-briefing-${model.meeting.number}-${model.meeting.heldOn}-${model.lang}.pdf`,
    title: document.title,
    meeting: { id: model.meeting.id, number: model.meeting.number, heldOn: model.meeting.heldOn },
    lang: model.lang,
    basis: model.basis,
  };
}

/** What the briefing shows, read from the analyses (no rendering: tests and the web use it). */
export async function buildBriefingModel(
  database: Database,
  actor: Actor,
  request: BriefingRequest,
): Promise<BriefingModel> {
  authorize(actor, 'reports.read');
  const lang = checkBriefingLanguage(request.lang, 'lang');
  const checked = checkAnalyticsOptions({
    currency: request.currency,
    rateMode: request.rateMode,
    rateDate: request.rateDate,
    asOf: request.asOf,
  });
  const options: AnalyticsOptions = { ...checked, asOf: checked.asOf ?? todayUtc() };
  const meeting = await getMeeting(database, actor, request.meetingId);

  const [funnel, burden, coverage, pace, leadTimes, followUp] = await Promise.all([
    getFunnel(database, actor, options),
    getBurdenSharing(database, actor, options),
    getCoverage(database, actor, options),
    getPace(database, actor, options),
    getLeadTimes(database, actor, options),
    getFollowUp(database, actor, meeting.id, options),
  ]);
  const previousId = followUp.previousMeetingId;
  const [previous, previousMeeting] =
    previousId === null
      ? [null, null]
      : await Promise.all([
          getFollowUp(database, actor, previousId, options),
          getMeeting(database, actor, previousId),
        ]);
  const names = await referenceNames(database, actor, lang);
  const synthetic =
    isSynthetic(meeting) ||
    (previousMeeting !== null && isSynthetic(previousMeeting)) ||
    (await includesSyntheticData(database.kysely));

  return {
    lang,
    currency: options.currency,
    basis: funnel.basis,
    synthetic,
    meeting: {
      id: meeting.id,
      number: meeting.number,
      kind: meeting.kind,
      heldOn: meeting.heldOn,
      place: meeting.place,
      chairs: meeting.chairs.map((id) => names.party(id)),
      participantCount: meeting.participants.length,
      synthetic: meeting.synthetic,
    },
    headline: headlineOf(funnel, burden, pace),
    pace: paceOf(pace),
    donors: donorsOf(burden, lang),
    coverage: coverageOf(coverage, names.areaOrder, lang),
    previous: previous === null ? null : followUpOf(previous, names.party),
    current: followUp.announcements.length === 0 ? null : followUpOf(followUp, names.party),
    stalledAfterDays: leadTimes.stalledAfterDays,
    stalled: stalledOf(leadTimes),
  };
}

/** A meeting by its number (the UDCG's own numbering); NOT_FOUND naming `meeting`. */
export async function findMeetingByNumber(
  database: Database,
  actor: Actor,
  number: number,
): Promise<Meeting> {
  let cursor: string | undefined;
  do {
    const page = await listMeetings(database, actor, { limit: 200, cursor });
    const found = page.items.find((m) => m.number === number);
    if (found) return found;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  throw new DomainError(
    'NOT_FOUND',
    `meeting: no meeting has the number ${number}; \`purl demo load\` or GET /api/v1/meetings lists them.`,
    { field: 'meeting', number },
  );
}

/** `en` or `fr`; VALIDATION_FAILED naming `field` otherwise. */
export function checkBriefingLanguage(value: unknown, field: string): BriefingLanguage {
  if (!BRIEFING_LANGUAGES.includes(value as BriefingLanguage)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `${field}: the briefing is written in ${BRIEFING_LANGUAGES.join(' or ')}.`,
      { field, allowed: BRIEFING_LANGUAGES },
    );
  }
  return value as BriefingLanguage;
}

// ---- from the analyses to the model ----

function isSynthetic(meeting: MeetingDetail): boolean {
  return meeting.synthetic || meeting.announcements.some((a) => a.synthetic);
}

function stageAmount(funnel: Funnel, stage: Funnel['stages'][number]['stage']): bigint {
  return funnel.stages.find((s) => s.stage === stage)?.amountMinor ?? 0n;
}

function headlineOf(funnel: Funnel, burden: BurdenSharing, pace: Pace): BriefingModel['headline'] {
  const committedMinor = stageAmount(funnel, 'committed');
  const goalMinor = pace.goal.amountMinor;
  return {
    pledgedMinor: stageAmount(funnel, 'pledged'),
    committedMinor,
    paidMinor: stageAmount(funnel, 'paid'),
    allocatedMinor: stageAmount(funnel, 'allocated'),
    authorisedMinor: stageAmount(funnel, 'authorised'),
    deliveredMinor: stageAmount(funnel, 'delivered'),
    goalMinor,
    goalConvertedFrom:
      pace.goal.source === 'default' && pace.goal.rateDate !== null
        ? { usdMinor: pace.goal.defaultUsdMinor, rateDate: pace.goal.rateDate }
        : null,
    goalPercent: percentText(committedMinor, goalMinor, 2),
    donors: burden.donors.filter((d) => d.committedMinor > 0n).length,
  };
}

function paceOf(pace: Pace): BriefingPace {
  const p = pace.projection;
  const projection: BriefingPace['projection'] =
    p.reachedOn !== null
      ? { kind: 'reached', on: p.reachedOn }
      : p.projectedDate !== null && pace.pace.perMonthMinor !== null
        ? { kind: 'projected', on: p.projectedDate, paceMinor: pace.pace.perMonthMinor }
        : { kind: 'none', reason: p.reasonCode ?? 'no_pace' };
  return {
    months: pace.months.map((m) => ({
      month: m.month,
      committedMinor: m.committedMinor,
      paidMinor: m.paidMinor,
      deliveredMinor: m.deliveredMinor,
      cumulativeCommittedMinor: m.cumulativeCommittedMinor,
      cumulativeTargetMinor: m.cumulativeTargetMinor,
    })),
    targetPerMonthMinor: pace.target.amountMinor,
    goalMinor: pace.goal.amountMinor,
    projection,
  };
}

function donorsOf(burden: BurdenSharing, lang: BriefingLanguage): BriefingDonor[] {
  return burden.donors
    .filter((d) => d.committedMinor > 0n)
    .map((d) => ({
      rank: d.rankByCommitted,
      partyId: d.partyId,
      name: d.names[lang],
      committedMinor: d.committedMinor,
      percentGdp: d.percentOfGdp,
      gdpFallback: d.gdpFallback,
      sharePercent: d.shareOfTotal,
      // Decimal text with 2 decimals (major units) → minor units, exactly.
      perCapitaMinor:
        d.perCapita === null ? null : parseAmount(d.perCapita, 2, { field: 'perCapita' }),
    }));
}

/** Coverage per capability area over every cycle, in the areas' display order. */
function coverageOf(
  coverage: Coverage,
  areaOrder: Map<string, number>,
  lang: BriefingLanguage,
): BriefingCoverageRow[] {
  const byArea = new Map<string, BriefingCoverageRow>();
  for (const row of coverage.rows) {
    let area = byArea.get(row.capabilityArea);
    if (!area) {
      area = {
        code: row.capabilityArea,
        name: row.areaNames[lang],
        approvedMinor: 0n,
        fundedMinor: 0n,
        deliveredMinor: 0n,
        percentFunded: null,
      };
      byArea.set(row.capabilityArea, area);
    }
    area.approvedMinor += row.approvedMinor;
    area.fundedMinor += row.fundedMinor;
    area.deliveredMinor += row.deliveredMinor;
  }
  return [...byArea.values()]
    .filter((a) => a.approvedMinor !== 0n || a.fundedMinor !== 0n || a.deliveredMinor !== 0n)
    .map((a) => ({ ...a, percentFunded: percentText(a.fundedMinor, a.approvedMinor, 2) }))
    .sort(
      (a, b) =>
        (areaOrder.get(a.code) ?? Number.MAX_SAFE_INTEGER) -
          (areaOrder.get(b.code) ?? Number.MAX_SAFE_INTEGER) || a.code.localeCompare(b.code),
    );
}

function followUpOf(followUp: FollowUp, party: (id: string) => string): BriefingFollowUp {
  return {
    meeting: {
      number: followUp.meeting.number,
      kind: followUp.meeting.kind,
      heldOn: followUp.meeting.heldOn,
    },
    announcements: followUp.announcements.map((a) => ({
      partyName: party(a.partyId),
      text: a.text,
      announcedMinor: a.announcedMinor,
      committedMinor: a.committedMinor,
      paidMinor: a.paidMinor,
      deliveredSinceMinor: a.deliveredMinor,
      status: a.status,
    })),
    totals: {
      announcedMinor: followUp.totals.announcedMinor,
      committedMinor: followUp.totals.committedMinor,
      paidMinor: followUp.totals.paidMinor,
      deliveredSinceMinor: followUp.totals.deliveredMinor,
    },
  };
}

function stalledOf(leadTimes: LeadTimes): BriefingStalledPackage[] {
  return leadTimes.stalled.map((s) => ({
    number: s.number,
    status: s.status,
    since: s.since,
    days: s.days,
    wait: waitOf(s),
  }));
}

function waitOf(s: StalledPackage): BriefingWait {
  switch (s.stage) {
    case 'funding':
      return { kind: 'funding', gapMinor: s.gapMinor };
    case 'authorisation':
      return { kind: 'authorisation' };
    case 'first_dispatch':
      return { kind: 'first_dispatch' };
    case 'delivery':
      return { kind: 'receipt', linesReceived: s.linesReceived, lines: s.linesTotal };
  }
}

interface ReferenceNames {
  /** A party's name in the language (its id when unknown). */
  party(id: string): string;
  /** Capability area code → display order. */
  areaOrder: Map<string, number>;
}

async function referenceNames(
  database: Database,
  actor: Actor,
  lang: BriefingLanguage,
): Promise<ReferenceNames> {
  const parties = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await listParties(database, actor, { limit: 200, cursor });
    for (const p of page.items) parties.set(p.id, p.names[lang]);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  const areas = await listCapabilityAreas(database, actor);
  return {
    party: (id) => parties.get(id) ?? id,
    areaOrder: new Map(areas.map((a) => [a.code, a.sortOrder])),
  };
}
