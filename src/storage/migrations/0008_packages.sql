-- 0008 packages and allocations. A package bundles approved requirement items; contributions
-- fund it through allocations, each a pending hold on the ledger (converted to the package
-- currency at a recorded rate) until the supplier authorises the package, then posted.
CREATE TABLE package (
  id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number                   text    NOT NULL UNIQUE CHECK (number ~ '^PURL-[0-9]{3,}$'),
  cycle                    char(7) NOT NULL CHECK (cycle ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  title                    text    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  -- US equipment is priced in dollars: packages are kept in USD.
  currency                 char(3) NOT NULL DEFAULT 'USD' CHECK (currency = 'USD') REFERENCES currency (code),
  target_minor             bigint  NOT NULL CHECK (target_minor > 0),
  price_minor              bigint  NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
  funded_minor             bigint  NOT NULL DEFAULT 0 CHECK (funded_minor >= 0),
  disbursed_minor          bigint  NOT NULL DEFAULT 0 CHECK (disbursed_minor >= 0),
  status                   text    NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'open', 'funded', 'authorized', 'in_delivery', 'delivered', 'closed', 'cancelled')),
  authorization_reference  text    CHECK (length(authorization_reference) <= 200),
  authorized_on            date,
  status_reason            text    CHECK (length(status_reason) <= 1000),
  synthetic                boolean NOT NULL DEFAULT false,
  source_note              text    CHECK (length(source_note) <= 2000),
  version                  integer NOT NULL DEFAULT 1,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  opened_at                timestamptz,
  funded_at                timestamptz,
  authorized_at            timestamptz,
  cancelled_at             timestamptz,
  closed_at                timestamptz,
  CHECK (disbursed_minor <= price_minor),
  CHECK (status NOT IN ('authorized', 'in_delivery', 'delivered', 'closed') OR authorization_reference IS NOT NULL)
);
CREATE INDEX package_status ON package (status, id);
CREATE INDEX package_cycle ON package (cycle, id);

CREATE TABLE package_line (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  package_id           bigint  NOT NULL REFERENCES package (id),
  requirement_item_id  bigint  NOT NULL REFERENCES requirement_item (id),
  capability_area      text    NOT NULL REFERENCES capability_area (code),
  category             text    NOT NULL,
  lethal               boolean NOT NULL,
  quantity             integer NOT NULL CHECK (quantity > 0),
  unit                 text    NOT NULL,
  unit_price_minor     bigint  NOT NULL CHECK (unit_price_minor >= 0),
  description          text,
  synthetic            boolean NOT NULL DEFAULT false,
  created_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (package_id, requirement_item_id)
);

CREATE TABLE allocation (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  package_id            bigint  NOT NULL REFERENCES package (id),
  contribution_id       bigint  NOT NULL REFERENCES contribution (id),
  status                text    NOT NULL CHECK (status IN ('pending', 'posted', 'voided')),
  -- What leaves the contribution, in its currency, and what reaches the package, in USD.
  amount_minor          bigint  NOT NULL CHECK (amount_minor > 0),
  currency              char(3) NOT NULL REFERENCES currency (code),
  package_amount_minor  bigint  NOT NULL CHECK (package_amount_minor > 0),
  value_date            date    NOT NULL,
  rate                  numeric NOT NULL CHECK (rate > 0),
  from_rate_per_eur     numeric NOT NULL,
  to_rate_per_eur       numeric NOT NULL,
  rate_date             date    NOT NULL,
  rate_source           text    NOT NULL,
  -- The pending ledger legs (one for a same-currency allocation, two through FX otherwise).
  hold_transfer_ids     bigint[] NOT NULL CHECK (cardinality(hold_transfer_ids) BETWEEN 1 AND 2),
  synthetic             boolean NOT NULL DEFAULT false,
  created_at            timestamptz NOT NULL DEFAULT now(),
  resolved_at           timestamptz
);
CREATE INDEX allocation_package ON allocation (package_id);
CREATE INDEX allocation_contribution ON allocation (contribution_id);

-- A contribution earmarked for one package names an existing package.
ALTER TABLE contribution
  ADD CONSTRAINT contribution_earmark_package_fk FOREIGN KEY (earmark_package_id) REFERENCES package (id);
