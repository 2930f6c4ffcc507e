/**
 * What the meeting briefing shows, as plain data: the one shape the HTML and chart builders
 * take (`briefing-html.ts`, `briefing-charts.ts`), filled by `briefing-service.ts` from the
 * analyses. Money is bigint minor units of the reporting currency; percentages are exact decimal
 * text (`core/analytics.ts` `percentText`); names are already in the reader's language. Types
 * only: no I/O, no logic.
 */
import type { AnalyticsBasis, ReportingCurrency } from '../../core/analytics.js';
import type { FollowUpStatus, MeetingKind } from '../../core/meetings.js';
import type { PackageStatus } from '../../core/packages.js';
import type { BriefingLanguage } from './briefing-format.js';

export interface BriefingMeeting {
  id: bigint;
  number: number;
  kind: MeetingKind;
  heldOn: string;
  place: string;
  /** The chairs' names in the reader's language. */
  chairs: string[];
  participantCount: number;
  synthetic: boolean;
}

export interface BriefingHeadline {
  /** Every pledge not cancelled (committed or not): shown apart, never counted as funding. */
  pledgedMinor: bigint;
  committedMinor: bigint;
  paidMinor: bigint;
  allocatedMinor: bigint;
  authorisedMinor: bigint;
  deliveredMinor: bigint;
  /** The goal cumulative commitments are measured against ($5 bn by default). */
  goalMinor: bigint;
  /** The default goal set in US dollars and converted to EUR: from what, at which day's rate. */
  goalConvertedFrom: { usdMinor: bigint; rateDate: string } | null;
  /** Progress towards the goal: committed ÷ goal, decimal text (null for a zero goal). */
  goalPercent: string | null;
  /** Donors with committed funding. */
  donors: number;
}

export interface BriefingPaceMonth {
  /** `YYYY-MM`. */
  month: string;
  committedMinor: bigint;
  paidMinor: bigint;
  deliveredMinor: bigint;
  cumulativeCommittedMinor: bigint;
  cumulativeTargetMinor: bigint;
}

/** When cumulative commitments reach the goal. */
export type BriefingProjection =
  | { kind: 'reached'; on: string }
  | { kind: 'projected'; on: string; paceMinor: bigint }
  | { kind: 'none'; reason: 'no_pace' | 'zero_pace' | 'too_far' };

export interface BriefingPace {
  months: BriefingPaceMonth[];
  targetPerMonthMinor: bigint;
  goalMinor: bigint;
  projection: BriefingProjection;
}

export interface BriefingDonor {
  rank: number;
  partyId: string;
  name: string;
  committedMinor: bigint;
  /** % of GDP, decimal text; null without GDP data. */
  percentGdp: string | null;
  /** True when a later year's GDP was missing and an earlier year's was used. */
  gdpFallback: boolean;
  /** Share of all committed funding, decimal text. */
  sharePercent: string | null;
  /** Committed per inhabitant, minor units; null without population data. */
  perCapitaMinor: bigint | null;
}

export interface BriefingCoverageRow {
  code: string;
  name: string;
  approvedMinor: bigint;
  fundedMinor: bigint;
  deliveredMinor: bigint;
  /** Funded ÷ approved, decimal text; null when nothing is approved. */
  percentFunded: string | null;
}

export interface BriefingAnnouncement {
  partyName: string;
  /** As reported (its own language). */
  text: string;
  /** The announced amount in the reporting currency; null when none was stated. */
  announcedMinor: bigint | null;
  committedMinor: bigint;
  paidMinor: bigint;
  deliveredSinceMinor: bigint;
  status: FollowUpStatus;
}

/** A meeting named in the follow-up (the previous one, or this one). */
export interface BriefingMeetingRef {
  number: number;
  kind: MeetingKind;
  heldOn: string;
}

export interface BriefingFollowUp {
  meeting: BriefingMeetingRef;
  announcements: BriefingAnnouncement[];
  totals: {
    /** Null when no announcement stated an amount. */
    announcedMinor: bigint | null;
    committedMinor: bigint;
    paidMinor: bigint;
    deliveredSinceMinor: bigint;
  };
}

/** What a stalled package waits for (worded by the briefing in the reader's language). */
export type BriefingWait =
  | { kind: 'funding'; gapMinor: bigint }
  | { kind: 'authorisation' }
  | { kind: 'first_dispatch' }
  | { kind: 'receipt'; linesReceived: number; lines: number };

export interface BriefingStalledPackage {
  number: string;
  status: PackageStatus;
  since: string | null;
  days: number;
  wait: BriefingWait;
}

export interface BriefingModel {
  lang: BriefingLanguage;
  currency: ReportingCurrency;
  /** The basis of the analyses (one snapshot of options; the funnel's is shown). */
  basis: AnalyticsBasis;
  /** True when the meeting or any record behind the figures is synthetic demonstration data. */
  synthetic: boolean;
  meeting: BriefingMeeting;
  headline: BriefingHeadline;
  pace: BriefingPace;
  /** Ranked by committed, largest first (all donors; the chart and table take the first ones). */
  donors: BriefingDonor[];
  coverage: BriefingCoverageRow[];
  /** The previous meeting's announcements (null when none is recorded before this one). */
  previous: BriefingFollowUp | null;
  /** This meeting's own announcements (null when it has none). */
  current: BriefingFollowUp | null;
  /** The threshold the stalled packages exceeded, in days. */
  stalledAfterDays: number;
  stalled: BriefingStalledPackage[];
}
