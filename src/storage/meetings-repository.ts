/**
 * SQL of meetings, their announcements and the announcement → contribution links. Writers pass
 * the transaction and lock the meeting row first (`findMeeting(tx, id, true)`): every command on
 * a meeting or its announcements is serialised on that one row; the audit head is locked last.
 * Every write bumps the meeting's `version` (and `updated_at`).
 */
import { sql, type Selectable, type Updateable } from 'kysely';
import type { Database } from './database.js';
import type { ContributionStatus } from './schema-funding.js';
import type {
  MeetingAnnouncementTable,
  MeetingKindColumn,
  MeetingTable,
} from './schema-meetings.js';
import { sqlState, type Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];

export type MeetingRow = Selectable<MeetingTable>;
export type MeetingAnnouncementRow = Selectable<MeetingAnnouncementTable>;

const NUMBER_CONSTRAINT = 'meeting_number_key';

function isNumberTaken(error: unknown): boolean {
  return (
    sqlState(error) === '23505' &&
    (error as { constraint?: unknown }).constraint === NUMBER_CONSTRAINT
  );
}

export interface MeetingValues {
  number: number;
  kind: MeetingKindColumn;
  heldOn: string;
  place: string;
  chairs: string[];
  participants: string[];
  title: string | null;
  summary: string | null;
  synthetic: boolean;
  sourceNote: string | null;
}

/** Inserts a meeting; `undefined` when a meeting with that number exists. */
export async function insertMeeting(tx: Tx, m: MeetingValues): Promise<MeetingRow | undefined> {
  return tx
    .insertInto('meeting')
    .values({
      number: m.number,
      kind: m.kind,
      held_on: m.heldOn,
      place: m.place,
      chairs: m.chairs,
      participants: m.participants,
      title: m.title,
      summary: m.summary,
      synthetic: m.synthetic,
      source_note: m.sourceNote,
    })
    .onConflict((oc) => oc.column('number').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Reads a meeting; `lock` takes its row lock for a command. */
export async function findMeeting(
  db: Executor,
  id: bigint,
  lock = false,
): Promise<MeetingRow | undefined> {
  let query = db.selectFrom('meeting').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/**
 * Applies changes (possibly none: a child of the meeting changed) and bumps the version;
 * `undefined` when the new number belongs to another meeting. The caller holds the row lock.
 */
export async function updateMeeting(
  tx: Tx,
  id: bigint,
  changes: Partial<MeetingValues>,
): Promise<MeetingRow | undefined> {
  const set: Updateable<MeetingTable> = {};
  if (changes.number !== undefined) set.number = changes.number;
  if (changes.kind !== undefined) set.kind = changes.kind;
  if (changes.heldOn !== undefined) set.held_on = changes.heldOn;
  if (changes.place !== undefined) set.place = changes.place;
  if (changes.chairs !== undefined) set.chairs = changes.chairs;
  if (changes.participants !== undefined) set.participants = changes.participants;
  if (changes.title !== undefined) set.title = changes.title;
  if (changes.summary !== undefined) set.summary = changes.summary;
  if (changes.synthetic !== undefined) set.synthetic = changes.synthetic;
  if (changes.sourceNote !== undefined) set.source_note = changes.sourceNote;
  if (changes.number !== undefined) {
    const other = await tx
      .selectFrom('meeting')
      .select('id')
      .where('number', '=', changes.number)
      .where('id', '<>', id)
      .executeTakeFirst();
    if (other) return undefined;
  }
  try {
    return await tx
      .updateTable('meeting')
      .set({ ...set, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    // A concurrent meeting took the number between the check and the update.
    if (isNumberTaken(error)) return undefined;
    throw error;
  }
}

export interface MeetingFilter {
  kind?: MeetingKindColumn | undefined;
  heldFrom?: string | undefined;
  heldTo?: string | undefined;
  /** The (held_on, id) of the last row of the previous page. */
  after?: { heldOn: string; id: bigint } | undefined;
  /** `desc` (default): newest first; `asc`: oldest first (the next meeting: from today, asc). */
  order?: 'asc' | 'desc' | undefined;
  limit: number;
}

/** By date, then id, both in `order` (newest first by default); `limit + 1` rows. */
export async function listMeetings(db: Executor, f: MeetingFilter): Promise<MeetingRow[]> {
  const order = f.order ?? 'desc';
  let query = db
    .selectFrom('meeting')
    .selectAll()
    .orderBy('held_on', order)
    .orderBy('id', order)
    .limit(f.limit + 1);
  if (f.kind) query = query.where('kind', '=', f.kind);
  if (f.heldFrom) query = query.where('held_on', '>=', f.heldFrom);
  if (f.heldTo) query = query.where('held_on', '<=', f.heldTo);
  const after = f.after;
  if (after) {
    query = query.where((eb) =>
      eb(
        eb.refTuple('held_on', 'id'),
        order === 'asc' ? '>' : '<',
        eb.tuple(after.heldOn, after.id),
      ),
    );
  }
  return query.execute();
}

/** The ids of `ids` that name no party. */
export async function missingParties(db: Executor, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('party')
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  const known = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}

export interface AnnouncementValues {
  meetingId: bigint;
  partyId: string;
  text: string;
  amountMinor: bigint | null;
  currency: string | null;
  synthetic: boolean;
  sourceNote: string | null;
}

export async function insertAnnouncement(
  tx: Tx,
  a: AnnouncementValues,
): Promise<MeetingAnnouncementRow> {
  return tx
    .insertInto('meeting_announcement')
    .values({
      meeting_id: a.meetingId,
      party_id: a.partyId,
      text: a.text,
      amount_minor: a.amountMinor,
      currency: a.currency,
      synthetic: a.synthetic,
      source_note: a.sourceNote,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function countAnnouncements(db: Executor, meetingId: bigint): Promise<number> {
  const row = await db
    .selectFrom('meeting_announcement')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('meeting_id', '=', meetingId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** An announcement of this meeting (an id of another meeting's announcement is not found). */
export async function findAnnouncement(
  db: Executor,
  meetingId: bigint,
  announcementId: bigint,
): Promise<MeetingAnnouncementRow | undefined> {
  return db
    .selectFrom('meeting_announcement')
    .selectAll()
    .where('id', '=', announcementId)
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
}

export async function findAnnouncements(
  db: Executor,
  meetingId: bigint,
): Promise<MeetingAnnouncementRow[]> {
  return db
    .selectFrom('meeting_announcement')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .orderBy('id')
    .execute();
}

export interface LinkedContributionRow {
  announcement_id: bigint;
  contribution_id: bigint;
  status: ContributionStatus;
  currency: string;
  pledged_minor: bigint;
  committed_minor: bigint;
  paid_minor: bigint;
}

/** Every link of the meeting's announcements, with the contribution's status and amounts now. */
export async function findLinkedContributions(
  db: Executor,
  meetingId: bigint,
): Promise<LinkedContributionRow[]> {
  return db
    .selectFrom('meeting_announcement_contribution as l')
    .innerJoin('meeting_announcement as a', 'a.id', 'l.announcement_id')
    .innerJoin('contribution as c', 'c.id', 'l.contribution_id')
    .select([
      'l.announcement_id',
      'l.contribution_id',
      'c.status',
      'c.currency',
      'c.pledged_minor',
      'c.committed_minor',
      'c.paid_minor',
    ])
    .where('a.meeting_id', '=', meetingId)
    .orderBy('l.announcement_id')
    .orderBy('l.contribution_id')
    .execute();
}

export async function countLinks(db: Executor, announcementId: bigint): Promise<number> {
  const row = await db
    .selectFrom('meeting_announcement_contribution')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('announcement_id', '=', announcementId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Links; false when the link already existed. */
export async function insertLink(
  tx: Tx,
  announcementId: bigint,
  contributionId: bigint,
): Promise<boolean> {
  const row = await tx
    .insertInto('meeting_announcement_contribution')
    .values({ announcement_id: announcementId, contribution_id: contributionId })
    .onConflict((oc) => oc.columns(['announcement_id', 'contribution_id']).doNothing())
    .returning('announcement_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Unlinks; false when there was no such link. */
export async function deleteLink(
  tx: Tx,
  announcementId: bigint,
  contributionId: bigint,
): Promise<boolean> {
  const row = await tx
    .deleteFrom('meeting_announcement_contribution')
    .where('announcement_id', '=', announcementId)
    .where('contribution_id', '=', contributionId)
    .returning('announcement_id')
    .executeTakeFirst();
  return row !== undefined;
}
