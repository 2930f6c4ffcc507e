-- 0006 funding: contributions (pledge → commitment → payments) and their payments.
-- Money moves on the ledger (ledger_transfer); these tables keep the workflow state and point
-- at the transfers. Pledges are recorded here only: a pledge is not funding.
CREATE TABLE contribution (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  donor_party_id      text    NOT NULL REFERENCES party (id),
  currency            char(3) NOT NULL REFERENCES currency (code),
  status              text    NOT NULL CHECK (status IN ('pledged', 'committed', 'partially_paid', 'paid', 'cancelled')),
  pledged_minor       bigint  NOT NULL CHECK (pledged_minor >= 0),
  committed_minor     bigint  NOT NULL DEFAULT 0 CHECK (committed_minor >= 0),
  paid_minor          bigint  NOT NULL DEFAULT 0 CHECK (paid_minor >= 0 AND paid_minor <= committed_minor),
  announced_on        date    NOT NULL,
  committed_on        date,
  earmark_areas       text[]  NOT NULL DEFAULT '{}',
  earmark_package_id  bigint,
  title               text    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  internal_note       text    CHECK (length(internal_note) <= 2000),
  source_note         text    CHECK (length(source_note) <= 1000),
  synthetic           boolean NOT NULL DEFAULT false,
  status_reason       text    CHECK (length(status_reason) <= 1000),
  version             integer NOT NULL DEFAULT 1,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'pledged') = (committed_minor = 0 AND status <> 'cancelled') OR status = 'cancelled'),
  CHECK (status <> 'paid' OR (paid_minor = committed_minor AND committed_minor > 0)),
  CHECK (NOT (cardinality(earmark_areas) > 0 AND earmark_package_id IS NOT NULL))
);
CREATE INDEX contribution_donor ON contribution (donor_party_id, id);
CREATE INDEX contribution_status ON contribution (status, id);

CREATE TABLE contribution_payment (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  contribution_id  bigint  NOT NULL REFERENCES contribution (id),
  amount_minor     bigint  NOT NULL CHECK (amount_minor > 0),
  paid_on          date    NOT NULL,
  transfer_id      bigint  NOT NULL UNIQUE REFERENCES ledger_transfer (id),
  reference        text    CHECK (length(reference) <= 200),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contribution_payment_contribution ON contribution_payment (contribution_id);
CREATE TRIGGER contribution_payment_append_only BEFORE UPDATE OR DELETE ON contribution_payment
  FOR EACH ROW EXECUTE FUNCTION purl_refuse_change();
