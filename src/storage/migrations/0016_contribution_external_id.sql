-- 0016 contribution imports: the reference a donor's own records give a contribution (a
-- spreadsheet row's id), unique per donor, so re-importing the same file finds the rows it
-- already imported instead of duplicating them. Optional: contributions entered by hand have none.
ALTER TABLE contribution ADD COLUMN external_id text
  CHECK (length(external_id) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX contribution_donor_external_id ON contribution (donor_party_id, external_id)
  WHERE external_id IS NOT NULL;
