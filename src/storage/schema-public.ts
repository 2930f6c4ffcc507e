/** Kysely table types of the published public figures — see migration 0012. */
import type { ColumnType } from 'kysely';

type GeneratedInt8 = ColumnType<bigint, bigint | number | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PublicSnapshotTable {
  id: GeneratedInt8;
  published_at: Timestamp;
  published_by: string;
  /** Written as JSON text; read back as the parsed object. */
  figures: ColumnType<unknown, string, never>;
  hash: string;
}

export interface PublicSchema {
  public_snapshot: PublicSnapshotTable;
}
