/**
 * What the demo loader asks of the database before it writes: how many records of each kind it
 * writes are there, and how many of them are the demo's own (their note ends with the demo
 * tag) — one statement, whatever the size of the database.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.js';

export interface RecordCounts {
  contributions: number;
  packages: number;
  requirementLists: number;
  meetings: number;
}

/** Every contribution, package, requirement list and meeting, and those tagged with `tag`. */
export async function countDemoRecords(
  db: Kysely<Schema>,
  tag: string,
): Promise<{ all: RecordCounts; tagged: RecordCounts }> {
  // `right(note, length(tag)) = tag`: the note ends with the tag (no LIKE escaping of the tag).
  const counts = (table: string) => sql`
    SELECT count(*)::int AS "all",
           count(*) FILTER (WHERE right(source_note, ${tag.length}::int) = ${tag})::int AS tagged
    FROM ${sql.table(table)}`;
  const result = await sql<{ kind: keyof RecordCounts; all: number; tagged: number }>`
    SELECT 'contributions' AS kind, c.* FROM (${counts('contribution')}) c
    UNION ALL SELECT 'packages', p.* FROM (${counts('package')}) p
    UNION ALL SELECT 'requirementLists', l.* FROM (${counts('requirement_list')}) l
    UNION ALL SELECT 'meetings', m.* FROM (${counts('meeting')}) m`.execute(db);
  const all: RecordCounts = { contributions: 0, packages: 0, requirementLists: 0, meetings: 0 };
  const tagged: RecordCounts = { ...all };
  for (const row of result.rows) {
    all[row.kind] = row.all;
    tagged[row.kind] = row.tagged;
  }
  return { all, tagged };
}
