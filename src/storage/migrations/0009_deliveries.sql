-- 0009 deliveries: shipments of an authorised package (status and dates only — never
-- locations, routes or schedules of movements), what Ukraine received per line, and
-- discrepancies with their resolution.
CREATE TABLE shipment (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  package_id      bigint  NOT NULL REFERENCES package (id),
  reference       text    NOT NULL CHECK (length(reference) BETWEEN 1 AND 100),
  status          text    NOT NULL DEFAULT 'planned'
    CHECK (status IN ('planned', 'dispatched', 'arrived_hub', 'handed_over', 'received')),
  planned_on      date    NOT NULL,
  dispatched_on   date,
  arrived_hub_on  date,
  handed_over_on  date,
  received_on     date,
  synthetic       boolean NOT NULL DEFAULT false,
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (package_id, reference)
);
CREATE INDEX shipment_package ON shipment (package_id);

CREATE TABLE shipment_line (
  shipment_id      bigint  NOT NULL REFERENCES shipment (id),
  package_line_id  bigint  NOT NULL REFERENCES package_line (id),
  quantity         integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (shipment_id, package_line_id)
);

CREATE TABLE receipt (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shipment_id        bigint  NOT NULL REFERENCES shipment (id),
  package_line_id    bigint  NOT NULL REFERENCES package_line (id),
  received_quantity  integer NOT NULL CHECK (received_quantity >= 0),
  received_on        date    NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (shipment_id, package_line_id)
);

CREATE TABLE discrepancy (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  receipt_id       bigint  NOT NULL REFERENCES receipt (id),
  package_line_id  bigint  NOT NULL REFERENCES package_line (id),
  kind             text    NOT NULL CHECK (kind IN ('short', 'over', 'damaged', 'wrong_item')),
  quantity         integer NOT NULL CHECK (quantity > 0),
  reason           text    NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  resolution       text    CHECK (resolution IN ('replaced', 'credited', 'written_off')),
  resolution_note  text    CHECK (length(resolution_note) <= 1000),
  resolved_at      timestamptz,
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((resolution IS NULL) = (resolved_at IS NULL))
);
CREATE INDEX discrepancy_line ON discrepancy (package_line_id);
