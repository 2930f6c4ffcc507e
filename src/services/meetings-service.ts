/**
 * Use cases of meetings: record a UDCG meeting or ministerial, amend it, record what parties
 * announced there, link each announcement to the contribution(s) it became, and follow up.
 *
 * Each command: access check (`meetings.write`: coordinators) → core rules → one transaction
 * that locks the meeting row, checks `If-Match` against its version, checks the party ids
 * against `party` (arrays carry no foreign key), writes, bumps the meeting's version and records
 * one audit event (entity `meeting`). Every role but admin reads meetings; contributions are
 * read from their own table, so the follow-up always shows their status now.
 */
import type { Actor } from '../core/actor.js';
import { DomainError } from '../core/errors.js';
import {
  MEETING_LIMITS,
  checkAnnouncement,
  checkLinkParty,
  checkMeeting,
  checkMeetingChanges,
  followUpStatus,
  totalsByCurrency,
  type AnnouncementInput,
  type CurrencyTotals,
  type FollowUpStatus,
  type LinkedContribution,
  type MeetingChanges,
  type MeetingInput,
  type MeetingKind,
} from '../core/meetings.js';
import {
  checkVersion,
  decodeCursor,
  pageLimit,
  toPage,
  type Page,
  type PageRequest,
} from '../core/pagination.js';
import { requireDate } from '../core/fx.js';
import { authorize } from '../core/policy.js';
import { findContribution } from '../storage/contributions-repository.js';
import type { Database } from '../storage/database.js';
import { currencyExists } from '../storage/ledger-repository.js';
import {
  countAnnouncements,
  countLinks,
  deleteLink,
  findAnnouncement,
  findAnnouncements,
  findLinkedContributions,
  findMeeting,
  insertAnnouncement,
  insertLink,
  insertMeeting,
  listMeetings as listMeetingRows,
  missingParties,
  updateMeeting as updateMeetingRow,
  type LinkedContributionRow,
  type MeetingAnnouncementRow,
  type MeetingRow,
} from '../storage/meetings-repository.js';
import { inTransaction, type Tx } from '../storage/transaction.js';
import { recordAudit } from './audit-service.js';

export interface Meeting {
  id: bigint;
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
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface Announcement {
  id: bigint;
  meetingId: bigint;
  partyId: string;
  /** What was announced, in the language it was reported in. */
  text: string;
  amountMinor: bigint | null;
  currency: string | null;
  synthetic: boolean;
  sourceNote: string | null;
  createdAt: Date;
  /** The contributions this announcement became. */
  contributionIds: bigint[];
}

export interface MeetingDetail extends Meeting {
  announcements: Announcement[];
}

/** What an announcement command returns: the announcement and the meeting's new version. */
export interface AnnouncementResult extends Announcement {
  meetingVersion: number;
}

export interface AnnouncementFollowUp extends Omit<Announcement, 'contributionIds'> {
  status: FollowUpStatus;
  contributions: LinkedContribution[];
  /** Announced (in its currency) beside committed and paid (in each contribution's). */
  totals: CurrencyTotals[];
}

export interface MeetingFollowUp {
  meeting: Meeting;
  announcements: AnnouncementFollowUp[];
  /** The whole meeting; a contribution linked to two announcements counts once. */
  totals: CurrencyTotals[];
}

interface CommandOptions {
  /** From If-Match: the meeting version the caller last read. */
  expectedVersion?: number | undefined;
}

function toMeeting(row: MeetingRow): Meeting {
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    heldOn: row.held_on,
    place: row.place,
    chairs: row.chairs,
    participants: row.participants,
    title: row.title,
    summary: row.summary,
    synthetic: row.synthetic,
    sourceNote: row.source_note,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toAnnouncement(row: MeetingAnnouncementRow, contributionIds: bigint[]): Announcement {
  return {
    id: row.id,
    meetingId: row.meeting_id,
    partyId: row.party_id,
    text: row.text,
    amountMinor: row.amount_minor,
    currency: row.currency,
    synthetic: row.synthetic,
    sourceNote: row.source_note,
    createdAt: row.created_at,
    contributionIds,
  };
}

/** A linked contribution as the follow-ups show it (here and in the analytics' follow-up). */
export function toLinked(row: LinkedContributionRow): LinkedContribution {
  return {
    id: row.contribution_id,
    status: row.status,
    currency: row.currency,
    pledgedMinor: row.pledged_minor,
    committedMinor: row.committed_minor,
    paidMinor: row.paid_minor,
  };
}

/** Refuses party ids that name no party, naming the first as `field.index`. */
async function checkPartiesExist(db: Tx, ids: readonly string[], field: string): Promise<void> {
  const missing = await missingParties(db, ids);
  const first = missing[0];
  if (first !== undefined) {
    throw new DomainError('VALIDATION_FAILED', `No party ${missing.join(', ')}.`, {
      field: `${field}.${ids.indexOf(first)}`,
      unknown: missing,
    });
  }
}

function duplicateNumber(number: number): DomainError {
  return new DomainError('DUPLICATE', `Meeting number ${number} is already recorded.`, {
    field: 'number',
  });
}

function notFound(): DomainError {
  return new DomainError('NOT_FOUND', 'No such meeting.', { field: 'id' });
}

/** The meeting with its announcements and their links, read in the caller's snapshot. */
async function readDetail(db: Tx, row: MeetingRow): Promise<MeetingDetail> {
  const [announcements, links] = [
    await findAnnouncements(db, row.id),
    await findLinkedContributions(db, row.id),
  ];
  return {
    ...toMeeting(row),
    announcements: announcements.map((a) =>
      toAnnouncement(
        a,
        links.filter((l) => l.announcement_id === a.id).map((l) => l.contribution_id),
      ),
    ),
  };
}

async function readAnnouncement(
  db: Tx,
  row: MeetingAnnouncementRow,
  meetingVersion: number,
): Promise<AnnouncementResult> {
  const links = await findLinkedContributions(db, row.meeting_id);
  return {
    ...toAnnouncement(
      row,
      links.filter((l) => l.announcement_id === row.id).map((l) => l.contribution_id),
    ),
    meetingVersion,
  };
}

/** Reads run in one REPEATABLE READ snapshot, so the ETag matches what is shown. */
function inSnapshot<T>(database: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(database, fn, { isolation: 'repeatable read' });
}

export async function createMeeting(
  database: Database,
  actor: Actor,
  input: MeetingInput,
): Promise<MeetingDetail> {
  authorize(actor, 'meetings.write');
  const fields = checkMeeting(input);
  return inTransaction(database, async (tx) => {
    await checkPartiesExist(tx, fields.chairs, 'chairs');
    await checkPartiesExist(tx, fields.participants, 'participants');
    const row = await insertMeeting(tx, fields);
    if (!row) throw duplicateNumber(fields.number);
    const meeting = toMeeting(row);
    await recordAudit(tx, actor, {
      entity: 'meeting',
      entityId: String(row.id),
      action: 'create',
      after: meeting,
    });
    return { ...meeting, announcements: [] };
  });
}

/** Locks the meeting, checks If-Match, runs `fn`. */
async function onMeeting<T>(
  database: Database,
  id: bigint,
  options: CommandOptions,
  fn: (tx: Tx, row: MeetingRow) => Promise<T>,
): Promise<T> {
  return inTransaction(database, async (tx) => {
    const row = await findMeeting(tx, id, true);
    if (!row) throw notFound();
    checkVersion('meeting', row.version, options.expectedVersion);
    return fn(tx, row);
  });
}

export async function updateMeeting(
  database: Database,
  actor: Actor,
  id: bigint,
  changes: MeetingChanges,
  options: CommandOptions = {},
): Promise<MeetingDetail> {
  authorize(actor, 'meetings.write');
  const fields = checkMeetingChanges(changes);
  return onMeeting(database, id, options, async (tx, before) => {
    if (fields.chairs) await checkPartiesExist(tx, fields.chairs, 'chairs');
    if (fields.participants) await checkPartiesExist(tx, fields.participants, 'participants');
    const row = await updateMeetingRow(tx, id, fields);
    if (!row) throw duplicateNumber(fields.number ?? before.number);
    const after = toMeeting(row);
    await recordAudit(tx, actor, {
      entity: 'meeting',
      entityId: String(id),
      action: 'update',
      before: toMeeting(before),
      after,
    });
    return readDetail(tx, row);
  });
}

export async function addAnnouncement(
  database: Database,
  actor: Actor,
  meetingId: bigint,
  input: AnnouncementInput,
  options: CommandOptions = {},
): Promise<AnnouncementResult> {
  authorize(actor, 'meetings.write');
  const fields = checkAnnouncement(input);
  return onMeeting(database, meetingId, options, async (tx) => {
    if ((await missingParties(tx, [fields.partyId])).length > 0) {
      throw new DomainError('VALIDATION_FAILED', `No party ${fields.partyId}.`, {
        field: 'partyId',
      });
    }
    if (fields.currency !== null && !(await currencyExists(tx, fields.currency))) {
      throw new DomainError('CURRENCY_UNKNOWN', `No currency ${fields.currency}.`, {
        field: 'currency',
      });
    }
    if ((await countAnnouncements(tx, meetingId)) >= MEETING_LIMITS.announcementsMax) {
      throw new DomainError(
        'LIMIT_EXCEEDED',
        `A meeting holds at most ${MEETING_LIMITS.announcementsMax} announcements.`,
        { limit: 'meeting.announcementsMax' },
      );
    }
    const row = await insertAnnouncement(tx, { meetingId, ...fields });
    const meeting = await updateMeetingRow(tx, meetingId, {});
    const result = { ...toAnnouncement(row, []), meetingVersion: meeting!.version };
    await recordAudit(tx, actor, {
      entity: 'meeting',
      entityId: String(meetingId),
      action: 'announce',
      after: result,
    });
    return result;
  });
}

/**
 * Links an announcement to a contribution it became (the contribution's donor must be the
 * announcement's party). Linking twice changes nothing and records nothing (PUT semantics).
 */
export async function linkAnnouncementToContribution(
  database: Database,
  actor: Actor,
  ids: { meetingId: bigint; announcementId: bigint; contributionId: bigint },
  options: CommandOptions = {},
): Promise<AnnouncementResult> {
  authorize(actor, 'meetings.write');
  return onMeeting(database, ids.meetingId, options, async (tx, meeting) => {
    const announcement = await findAnnouncement(tx, ids.meetingId, ids.announcementId);
    if (!announcement) {
      throw new DomainError('NOT_FOUND', 'No such announcement in this meeting.', {
        field: 'announcementId',
      });
    }
    const contribution = await findContribution(tx, ids.contributionId);
    if (!contribution) {
      throw new DomainError('NOT_FOUND', 'No such contribution.', { field: 'contributionId' });
    }
    checkLinkParty(announcement.party_id, contribution.donor_party_id);
    if ((await countLinks(tx, announcement.id)) >= MEETING_LIMITS.announcementLinksMax) {
      throw new DomainError(
        'LIMIT_EXCEEDED',
        `An announcement links at most ${MEETING_LIMITS.announcementLinksMax} contributions.`,
        { field: 'contributionId', limit: 'meeting.announcementLinksMax' },
      );
    }
    if (!(await insertLink(tx, announcement.id, contribution.id))) {
      return readAnnouncement(tx, announcement, meeting.version);
    }
    const updated = await updateMeetingRow(tx, ids.meetingId, {});
    const result = await readAnnouncement(tx, announcement, updated!.version);
    await recordAudit(tx, actor, {
      entity: 'meeting',
      entityId: String(ids.meetingId),
      action: 'link_contribution',
      after: {
        announcementId: announcement.id,
        contributionId: contribution.id,
        contributionIds: result.contributionIds,
        meetingVersion: result.meetingVersion,
      },
    });
    return result;
  });
}

export async function unlinkAnnouncementContribution(
  database: Database,
  actor: Actor,
  ids: { meetingId: bigint; announcementId: bigint; contributionId: bigint },
  options: CommandOptions = {},
): Promise<AnnouncementResult> {
  authorize(actor, 'meetings.write');
  return onMeeting(database, ids.meetingId, options, async (tx) => {
    const announcement = await findAnnouncement(tx, ids.meetingId, ids.announcementId);
    if (!announcement) {
      throw new DomainError('NOT_FOUND', 'No such announcement in this meeting.', {
        field: 'announcementId',
      });
    }
    if (!(await deleteLink(tx, announcement.id, ids.contributionId))) {
      throw new DomainError('NOT_FOUND', 'This contribution is not linked to the announcement.', {
        field: 'contributionId',
      });
    }
    const updated = await updateMeetingRow(tx, ids.meetingId, {});
    const result = await readAnnouncement(tx, announcement, updated!.version);
    await recordAudit(tx, actor, {
      entity: 'meeting',
      entityId: String(ids.meetingId),
      action: 'unlink_contribution',
      after: {
        announcementId: announcement.id,
        contributionId: ids.contributionId,
        contributionIds: result.contributionIds,
        meetingVersion: result.meetingVersion,
      },
    });
    return result;
  });
}

export async function getMeeting(
  database: Database,
  actor: Actor,
  id: bigint,
): Promise<MeetingDetail> {
  authorize(actor, 'meetings.read');
  return inSnapshot(database, async (tx) => {
    const row = await findMeeting(tx, id);
    if (!row) throw notFound();
    return readDetail(tx, row);
  });
}

/** For each announcement: announced, then what its contributions committed and paid, now. */
export async function getMeetingFollowUp(
  database: Database,
  actor: Actor,
  id: bigint,
): Promise<MeetingFollowUp> {
  authorize(actor, 'meetings.read');
  return inSnapshot(database, async (tx) => {
    const row = await findMeeting(tx, id);
    if (!row) throw notFound();
    const links = await findLinkedContributions(tx, id);
    const announcements = (await findAnnouncements(tx, id)).map((a) => {
      const { contributionIds: _ids, ...announcement } = toAnnouncement(a, []);
      const contributions = links.filter((l) => l.announcement_id === a.id).map(toLinked);
      return {
        ...announcement,
        status: followUpStatus(contributions),
        contributions,
        totals: totalsByCurrency([{ ...announcement, contributions }]),
      };
    });
    return { meeting: toMeeting(row), announcements, totals: totalsByCurrency(announcements) };
  });
}

export interface MeetingQuery extends PageRequest {
  kind?: MeetingKind | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** `desc` (default): newest first; `asc`: oldest first. A cursor pages in its own order. */
  order?: 'asc' | 'desc' | undefined;
}

/** Meetings by date, then id: newest first, or oldest first with `order: 'asc'`. */
export async function listMeetings(
  database: Database,
  actor: Actor,
  query: MeetingQuery = {},
): Promise<Page<Meeting>> {
  authorize(actor, 'meetings.read');
  const limit = pageLimit(query.limit);
  const cursor = decodeCursor(query.cursor, 2);
  if (query.from !== undefined) requireDate(query.from, 'from');
  if (query.to !== undefined) requireDate(query.to, 'to');
  if (query.order !== undefined && query.order !== 'asc' && query.order !== 'desc') {
    throw new DomainError('VALIDATION_FAILED', 'order must be asc or desc.', { field: 'order' });
  }
  let after: { heldOn: string; id: bigint } | undefined;
  if (cursor) {
    const [heldOn, id] = cursor;
    if (typeof heldOn !== 'string' || typeof id !== 'string' || !/^\d{1,19}$/.test(id)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'cursor is not one this server issued; start again without it.',
        { field: 'cursor' },
      );
    }
    after = { heldOn: requireDate(heldOn, 'cursor'), id: BigInt(id) };
  }
  const rows = await listMeetingRows(database.kysely, {
    kind: query.kind,
    heldFrom: query.from,
    heldTo: query.to,
    after,
    order: query.order,
    limit,
  });
  const page = toPage(rows, limit, (r) => [r.held_on, r.id.toString()]);
  return { items: page.items.map(toMeeting), nextCursor: page.nextCursor };
}
