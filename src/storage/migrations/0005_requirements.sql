-- 0005 requirements: Ukraine's prioritised requirement lists, one per cycle (month), their items
-- and the joint approval (recipient, coordinator and supplier each sign).
-- The state machine lives in src/core/requirements.ts; the rules that a single row or a unique
-- index can hold are held here again. Items are described at the level of capability area and
-- item category only: never serial numbers, locations or movements.

CREATE TABLE requirement_list (
  id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  cycle         char(7)     NOT NULL UNIQUE CHECK (cycle ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  title         text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  status        text        NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'submitted', 'validated', 'approved', 'closed', 'withdrawn')),
  -- demo data is synthetic and says so
  synthetic     boolean     NOT NULL DEFAULT false,
  source_note   text        CHECK (length(source_note) <= 2000),
  version       integer     NOT NULL DEFAULT 1 CHECK (version > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  submitted_at  timestamptz,
  validated_at  timestamptz,
  approved_at   timestamptz,
  closed_at     timestamptz,
  withdrawn_at  timestamptz,
  -- each milestone reached has its time, and no milestone not reached has one (a withdrawn
  -- list keeps the times of the milestones it had reached)
  CONSTRAINT requirement_list_submitted_at CHECK (CASE status
    WHEN 'draft' THEN submitted_at IS NULL
    WHEN 'withdrawn' THEN true
    ELSE submitted_at IS NOT NULL END),
  CONSTRAINT requirement_list_validated_at CHECK (CASE status
    WHEN 'draft' THEN validated_at IS NULL
    WHEN 'submitted' THEN validated_at IS NULL
    WHEN 'withdrawn' THEN validated_at IS NULL OR submitted_at IS NOT NULL
    ELSE validated_at IS NOT NULL END),
  CONSTRAINT requirement_list_approved_at
    CHECK ((approved_at IS NOT NULL) = (status IN ('approved', 'closed'))),
  CONSTRAINT requirement_list_closed_at CHECK ((closed_at IS NOT NULL) = (status = 'closed')),
  CONSTRAINT requirement_list_withdrawn_at CHECK ((withdrawn_at IS NOT NULL) = (status = 'withdrawn'))
);
CREATE INDEX requirement_list_status ON requirement_list (status, cycle);

-- The joint approval: one signature per role; the list turns 'approved' in the transaction of
-- the third signature.
CREATE TABLE requirement_approval (
  list_id    bigint      NOT NULL REFERENCES requirement_list (id),
  role       text        NOT NULL CHECK (role IN ('recipient', 'coordinator', 'supplier')),
  actor_id   text        NOT NULL CHECK (length(actor_id) BETWEEN 1 AND 200),
  signed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (list_id, role)
);

CREATE TABLE requirement_item (
  id                             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  list_id                        bigint      NOT NULL REFERENCES requirement_list (id),
  capability_area                text        NOT NULL REFERENCES capability_area (code),
  category                       text        NOT NULL CHECK (length(category) BETWEEN 1 AND 200),
  lethal                         boolean     NOT NULL,
  requested_quantity             integer     NOT NULL CHECK (requested_quantity > 0),
  -- set by the validator, kept beside the requested quantity
  approved_quantity              integer     CHECK (approved_quantity >= 0),
  unit                           text        NOT NULL CHECK (length(unit) BETWEEN 1 AND 50),
  estimated_unit_cost_usd_minor  bigint      NOT NULL CHECK (estimated_unit_cost_usd_minor >= 0),
  priority_rank                  integer     NOT NULL CHECK (priority_rank > 0),
  -- restricted fields (redacted by role in the service layer)
  description                    text        CHECK (length(description) <= 4000),
  justification                  text        CHECK (length(justification) <= 4000),
  synthetic                      boolean     NOT NULL DEFAULT false,
  version                        integer     NOT NULL DEFAULT 1 CHECK (version > 0),
  created_at                     timestamptz NOT NULL DEFAULT now(),
  updated_at                     timestamptz NOT NULL DEFAULT now(),
  -- checked at commit, so a reorder can swap ranks inside one transaction
  CONSTRAINT requirement_item_rank_unique UNIQUE (list_id, priority_rank)
    DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX requirement_item_capability_area ON requirement_item (capability_area);
