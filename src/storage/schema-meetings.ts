/** Kysely table types of meetings, their announcements and links — see migration 0007. */
import type { ColumnType, Generated } from 'kysely';

type Int8 = ColumnType<bigint, bigint | number | string, bigint | number | string>;
type GeneratedInt8 = ColumnType<bigint, bigint | number | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type MeetingKindColumn = 'udcg' | 'ministerial' | 'other';

export interface MeetingTable {
  id: GeneratedInt8;
  number: number;
  kind: MeetingKindColumn;
  held_on: string;
  place: string;
  chairs: string[];
  participants: Generated<string[]>;
  title: string | null;
  summary: string | null;
  synthetic: Generated<boolean>;
  source_note: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MeetingAnnouncementTable {
  id: GeneratedInt8;
  meeting_id: Int8;
  party_id: string;
  text: string;
  amount_minor: Int8 | null;
  currency: string | null;
  synthetic: Generated<boolean>;
  source_note: string | null;
  created_at: Timestamp;
}

export interface MeetingAnnouncementContributionTable {
  announcement_id: Int8;
  contribution_id: Int8;
}

export interface MeetingsSchema {
  meeting: MeetingTable;
  meeting_announcement: MeetingAnnouncementTable;
  meeting_announcement_contribution: MeetingAnnouncementContributionTable;
}
