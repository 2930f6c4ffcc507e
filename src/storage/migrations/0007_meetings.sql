-- 0007 meetings: UDCG meetings and ministerials, what parties announced there, and the
-- contributions each announcement became (for the meeting follow-up). The vocabularies and
-- rules are mirrored in src/core/meetings.ts. Chairs and participants are party ids in arrays:
-- an array cannot carry a foreign key, so the service checks them against `party`.

CREATE TABLE meeting (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The UDCG's own numbering (the 31st meeting); ministerials and others get numbers too.
  number        integer     NOT NULL UNIQUE CHECK (number BETWEEN 1 AND 100000),
  kind          text        NOT NULL CHECK (kind IN ('udcg', 'ministerial', 'other')),
  held_on       date        NOT NULL,
  place         text        NOT NULL CHECK (length(btrim(place)) BETWEEN 1 AND 200),
  chairs        text[]      NOT NULL CHECK (cardinality(chairs) BETWEEN 1 AND 10),
  participants  text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(participants) <= 200),
  title         text        CHECK (length(title) <= 200),
  summary       text        CHECK (length(summary) <= 5000),
  synthetic     boolean     NOT NULL DEFAULT false,
  source_note   text        CHECK (length(source_note) <= 1000),
  version       integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- Lists go newest first: by date, then id.
CREATE INDEX meeting_held_on ON meeting (held_on, id);

CREATE TABLE meeting_announcement (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  meeting_id    bigint      NOT NULL REFERENCES meeting (id),
  party_id      text        NOT NULL REFERENCES party (id),
  -- What was announced, in the language it was reported in.
  text          text        NOT NULL CHECK (length(btrim(text)) BETWEEN 1 AND 2000),
  amount_minor  bigint      CHECK (amount_minor >= 0),
  currency      char(3)     REFERENCES currency (code),
  synthetic     boolean     NOT NULL DEFAULT false,
  source_note   text        CHECK (length(source_note) <= 1000),
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT meeting_announcement_amount_with_currency
    CHECK ((amount_minor IS NULL) = (currency IS NULL))
);
CREATE INDEX meeting_announcement_meeting ON meeting_announcement (meeting_id, id);
CREATE INDEX meeting_announcement_party ON meeting_announcement (party_id);

-- An announcement and the contribution(s) it became. The service holds that the contribution's
-- donor is the announcement's party.
CREATE TABLE meeting_announcement_contribution (
  announcement_id  bigint NOT NULL REFERENCES meeting_announcement (id),
  contribution_id  bigint NOT NULL REFERENCES contribution (id),
  PRIMARY KEY (announcement_id, contribution_id)
);
CREATE INDEX meeting_announcement_contribution_contribution
  ON meeting_announcement_contribution (contribution_id);
