/**
 * Meetings: UDCG meetings and ministerials, what parties announced there, and what each
 * announcement became. Pure rules: input checks, the link rule, and the follow-up arithmetic.
 *
 * An announcement is words, maybe with an amount ("€100M"); it becomes funding only through the
 * contributions linked to it, and a contribution only counts once committed (a pledge is not
 * funding). The follow-up puts each announcement beside its contributions' committed and paid
 * amounts, per currency: no conversion, so every figure stays in the currency it was stated in.
 */
import type { ContributionStatus } from './contributions.js';
import { DomainError } from './errors.js';
import { requireDate } from './fx.js';
import { LIMITS } from './limits.js';

export const MEETING_KINDS = ['udcg', 'ministerial', 'other'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

/** The limits of a meeting record (named here; `details.limit` carries the name). */
export const MEETING_LIMITS = {
  chairsMax: 10,
  participantsMax: 200,
  announcementsMax: 500,
  /** Contributions linked to one announcement. */
  announcementLinksMax: 50,
  numberMax: 100_000,
} as const;

const PARTY_ID = /^[A-Z][A-Z0-9-]{1,19}$/;
const CURRENCY_CODE = /^[A-Z]{3}$/;

export interface MeetingFields {
  number: number;
  kind: MeetingKind;
  heldOn: string;
  place: string;
  chairs: string[];
  participants: string[];
  title: string | null;
  summary: string | null;
  synthetic: boolean;
  sourceNote: string | null;
}

export interface MeetingInput {
  number: number;
  kind: string;
  heldOn: string;
  place: string;
  chairs: readonly string[];
  participants?: readonly string[] | undefined;
  title?: string | null | undefined;
  summary?: string | null | undefined;
  synthetic?: boolean | undefined;
  sourceNote?: string | null | undefined;
}

export type MeetingChanges = Partial<MeetingInput>;

function invalid(field: string, message: string): never {
  throw new DomainError('VALIDATION_FAILED', message, { field });
}

function checkNumber(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MEETING_LIMITS.numberMax) {
    invalid('number', `number must be a whole number from 1 to ${MEETING_LIMITS.numberMax}.`);
  }
  return value;
}

function checkKind(value: string): MeetingKind {
  if (!(MEETING_KINDS as readonly string[]).includes(value)) {
    invalid('kind', `kind must be one of ${MEETING_KINDS.join(', ')}.`);
  }
  return value as MeetingKind;
}

function requiredText(value: string | undefined, field: string, max: number): string {
  const text = value?.trim() ?? '';
  if (text.length === 0 || text.length > max) {
    invalid(field, `${field} must be 1 to ${max} characters.`);
  }
  return text;
}

/** Optional text: blank becomes null. */
function optionalText(value: string | null | undefined, field: string, max: number) {
  const text = value?.trim() ?? '';
  if (text.length > max) invalid(field, `${field} must be at most ${max} characters.`);
  return text.length === 0 ? null : text;
}

/** A list of party ids: well formed, each once, at most `max`. */
export function checkPartyList(
  ids: readonly string[],
  field: string,
  options: { min: number; max: number; limit: string },
): string[] {
  if (ids.length > options.max) {
    throw new DomainError('LIMIT_EXCEEDED', `${field} may list at most ${options.max} parties.`, {
      field,
      limit: options.limit,
    });
  }
  if (ids.length < options.min) invalid(field, `${field} must list at least one party.`);
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (!PARTY_ID.test(id)) invalid(`${field}.${index}`, `${id} is not a party id.`);
    if (seen.has(id)) invalid(`${field}.${index}`, `${id} is listed twice.`);
    seen.add(id);
  });
  return [...ids];
}

function checkChairs(ids: readonly string[]): string[] {
  return checkPartyList(ids, 'chairs', {
    min: 1,
    max: MEETING_LIMITS.chairsMax,
    limit: 'meeting.chairsMax',
  });
}

function checkParticipants(ids: readonly string[]): string[] {
  return checkPartyList(ids, 'participants', {
    min: 0,
    max: MEETING_LIMITS.participantsMax,
    limit: 'meeting.participantsMax',
  });
}

/** Checks and normalises a new meeting. */
export function checkMeeting(input: MeetingInput): MeetingFields {
  return {
    number: checkNumber(input.number),
    kind: checkKind(input.kind),
    heldOn: requireDate(input.heldOn, 'heldOn'),
    place: requiredText(input.place, 'place', 200),
    chairs: checkChairs(input.chairs),
    participants: checkParticipants(input.participants ?? []),
    title: optionalText(input.title, 'title', 200),
    summary: optionalText(input.summary, 'summary', 5000),
    synthetic: input.synthetic ?? false,
    sourceNote: optionalText(input.sourceNote, 'sourceNote', 1000),
  };
}

/** Checks the fields a change names; absent fields stay as they are. Refuses an empty change. */
export function checkMeetingChanges(changes: MeetingChanges): Partial<MeetingFields> {
  const out: Partial<MeetingFields> = {};
  if (changes.number !== undefined) out.number = checkNumber(changes.number);
  if (changes.kind !== undefined) out.kind = checkKind(changes.kind);
  if (changes.heldOn !== undefined) out.heldOn = requireDate(changes.heldOn, 'heldOn');
  if (changes.place !== undefined) out.place = requiredText(changes.place, 'place', 200);
  if (changes.chairs !== undefined) out.chairs = checkChairs(changes.chairs);
  if (changes.participants !== undefined)
    out.participants = checkParticipants(changes.participants);
  if (changes.title !== undefined) out.title = optionalText(changes.title, 'title', 200);
  if (changes.summary !== undefined) out.summary = optionalText(changes.summary, 'summary', 5000);
  if (changes.synthetic !== undefined) out.synthetic = changes.synthetic;
  if (changes.sourceNote !== undefined)
    out.sourceNote = optionalText(changes.sourceNote, 'sourceNote', 1000);
  if (Object.keys(out).length === 0) invalid('body', 'Name at least one field to change.');
  return out;
}

export interface AnnouncementInput {
  partyId: string;
  text: string;
  amountMinor?: bigint | null | undefined;
  currency?: string | null | undefined;
  synthetic?: boolean | undefined;
  sourceNote?: string | null | undefined;
}

export interface AnnouncementFields {
  partyId: string;
  text: string;
  amountMinor: bigint | null;
  currency: string | null;
  synthetic: boolean;
  sourceNote: string | null;
}

/** An announcement: a party, its words, and an amount with its currency — both or neither. */
export function checkAnnouncement(input: AnnouncementInput): AnnouncementFields {
  if (!PARTY_ID.test(input.partyId)) invalid('partyId', `${input.partyId} is not a party id.`);
  const amount = input.amountMinor ?? null;
  const currency = input.currency ?? null;
  if ((amount === null) !== (currency === null)) {
    invalid(
      amount === null ? 'amountMinor' : 'currency',
      'An announced amount needs its currency, and a currency needs an amount.',
    );
  }
  if (currency !== null && !CURRENCY_CODE.test(currency)) {
    invalid('currency', 'currency must be an ISO 4217 code.');
  }
  if (amount !== null) {
    if (amount < 0n)
      throw new DomainError('AMOUNT_INVALID', 'amountMinor cannot be negative.', {
        field: 'amountMinor',
      });
    if (amount > LIMITS.transferAmountMaxMinor) {
      throw new DomainError(
        'LIMIT_EXCEEDED',
        `amountMinor exceeds ${LIMITS.transferAmountMaxMinor} minor units.`,
        { field: 'amountMinor', limit: 'transferAmountMaxMinor' },
      );
    }
  }
  return {
    partyId: input.partyId,
    text: requiredText(input.text, 'text', 2000),
    amountMinor: amount,
    currency,
    synthetic: input.synthetic ?? false,
    sourceNote: optionalText(input.sourceNote, 'sourceNote', 1000),
  };
}

/** An announcement becomes contributions of the party that announced it, never another's. */
export function checkLinkParty(announcementPartyId: string, contributionDonorId: string): void {
  if (announcementPartyId !== contributionDonorId) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `The contribution is ${contributionDonorId}'s; this announcement is ${announcementPartyId}'s.`,
      { field: 'contributionId', announcementPartyId, contributionDonorId },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Follow-up

export interface LinkedContribution {
  id: bigint;
  status: ContributionStatus;
  currency: string;
  pledgedMinor: bigint;
  committedMinor: bigint;
  paidMinor: bigint;
}

/** Where an announcement stands, judged by the contributions linked to it. */
export const FOLLOW_UP_STATUSES = [
  'not_linked',
  'pledged',
  'committed',
  'partially_paid',
  'paid',
  'cancelled',
] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/**
 * - `not_linked`: no contribution yet;
 * - `cancelled`: every linked contribution was cancelled;
 * - `pledged`: the live ones are all pledges (not funding yet);
 * - `paid`: the live ones are all paid in full;
 * - `partially_paid`: some money was paid, not all;
 * - `committed`: something is committed, nothing paid.
 */
export function followUpStatus(contributions: readonly LinkedContribution[]): FollowUpStatus {
  if (contributions.length === 0) return 'not_linked';
  const live = contributions.filter((c) => c.status !== 'cancelled');
  if (live.length === 0) return 'cancelled';
  if (live.every((c) => c.status === 'pledged')) return 'pledged';
  if (live.every((c) => c.status === 'paid')) return 'paid';
  if (live.some((c) => c.paidMinor > 0n)) return 'partially_paid';
  return 'committed';
}

export interface CurrencyTotals {
  currency: string;
  announcedMinor: bigint;
  committedMinor: bigint;
  paidMinor: bigint;
}

export interface AnnouncementForFollowUp {
  amountMinor: bigint | null;
  currency: string | null;
  contributions: readonly LinkedContribution[];
}

/**
 * Sums per currency: announced amounts in the currency announced, committed and paid amounts in
 * each contribution's currency. A contribution linked to several announcements counts once.
 * Sorted by currency code.
 */
export function totalsByCurrency(announcements: readonly AnnouncementForFollowUp[]) {
  const totals = new Map<string, CurrencyTotals>();
  const row = (currency: string) => {
    let t = totals.get(currency);
    if (!t) {
      t = { currency, announcedMinor: 0n, committedMinor: 0n, paidMinor: 0n };
      totals.set(currency, t);
    }
    return t;
  };
  const counted = new Set<bigint>();
  for (const a of announcements) {
    if (a.amountMinor !== null && a.currency !== null)
      row(a.currency).announcedMinor += a.amountMinor;
    for (const c of a.contributions) {
      if (counted.has(c.id)) continue;
      counted.add(c.id);
      const t = row(c.currency);
      t.committedMinor += c.committedMinor;
      t.paidMinor += c.paidMinor;
    }
  }
  return [...totals.values()].sort((x, y) => (x.currency < y.currency ? -1 : 1));
}
