-- 0001 foundation: currencies, the double-entry ledger, the audit chain.
-- Every rule that matters is asserted in src/core and held here again by a constraint.

-- ISO 4217 currencies with their minor-unit exponent (digits after the decimal point).
CREATE TABLE currency (
  code        char(3)  PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
  name        text     NOT NULL,
  minor_unit  smallint NOT NULL CHECK (minor_unit BETWEEN 0 AND 4),
  -- withdrawn codes still appear in historical ECB rates (CYP, EEK, …)
  withdrawn   boolean  NOT NULL DEFAULT false
);

INSERT INTO currency (code, name, minor_unit) VALUES
  ('AED', 'UAE Dirham', 2),
  ('AFN', 'Afghani', 2),
  ('ALL', 'Lek', 2),
  ('AMD', 'Armenian Dram', 2),
  ('ANG', 'Netherlands Antillean Guilder', 2),
  ('AOA', 'Kwanza', 2),
  ('ARS', 'Argentine Peso', 2),
  ('AUD', 'Australian Dollar', 2),
  ('AWG', 'Aruban Florin', 2),
  ('AZN', 'Azerbaijan Manat', 2),
  ('BAM', 'Convertible Mark', 2),
  ('BBD', 'Barbados Dollar', 2),
  ('BDT', 'Taka', 2),
  ('BGN', 'Bulgarian Lev', 2),
  ('BHD', 'Bahraini Dinar', 3),
  ('BIF', 'Burundi Franc', 0),
  ('BMD', 'Bermudian Dollar', 2),
  ('BND', 'Brunei Dollar', 2),
  ('BOB', 'Boliviano', 2),
  ('BOV', 'Mvdol', 2),
  ('BRL', 'Brazilian Real', 2),
  ('BSD', 'Bahamian Dollar', 2),
  ('BTN', 'Ngultrum', 2),
  ('BWP', 'Pula', 2),
  ('BYN', 'Belarusian Ruble', 2),
  ('BZD', 'Belize Dollar', 2),
  ('CAD', 'Canadian Dollar', 2),
  ('CDF', 'Congolese Franc', 2),
  ('CHE', 'WIR Euro', 2),
  ('CHF', 'Swiss Franc', 2),
  ('CHW', 'WIR Franc', 2),
  ('CLF', 'Unidad de Fomento', 4),
  ('CLP', 'Chilean Peso', 0),
  ('CNY', 'Yuan Renminbi', 2),
  ('COP', 'Colombian Peso', 2),
  ('COU', 'Unidad de Valor Real', 2),
  ('CRC', 'Costa Rican Colon', 2),
  ('CUC', 'Peso Convertible', 2),
  ('CUP', 'Cuban Peso', 2),
  ('CVE', 'Cabo Verde Escudo', 2),
  ('CZK', 'Czech Koruna', 2),
  ('DJF', 'Djibouti Franc', 0),
  ('DKK', 'Danish Krone', 2),
  ('DOP', 'Dominican Peso', 2),
  ('DZD', 'Algerian Dinar', 2),
  ('EGP', 'Egyptian Pound', 2),
  ('ERN', 'Nakfa', 2),
  ('ETB', 'Ethiopian Birr', 2),
  ('EUR', 'Euro', 2),
  ('FJD', 'Fiji Dollar', 2),
  ('FKP', 'Falkland Islands Pound', 2),
  ('GBP', 'Pound Sterling', 2),
  ('GEL', 'Lari', 2),
  ('GHS', 'Ghana Cedi', 2),
  ('GIP', 'Gibraltar Pound', 2),
  ('GMD', 'Dalasi', 2),
  ('GNF', 'Guinean Franc', 0),
  ('GTQ', 'Quetzal', 2),
  ('GYD', 'Guyana Dollar', 2),
  ('HKD', 'Hong Kong Dollar', 2),
  ('HNL', 'Lempira', 2),
  ('HTG', 'Gourde', 2),
  ('HUF', 'Forint', 2),
  ('IDR', 'Rupiah', 2),
  ('ILS', 'New Israeli Sheqel', 2),
  ('INR', 'Indian Rupee', 2),
  ('IQD', 'Iraqi Dinar', 3),
  ('IRR', 'Iranian Rial', 2),
  ('ISK', 'Iceland Krona', 0),
  ('JMD', 'Jamaican Dollar', 2),
  ('JOD', 'Jordanian Dinar', 3),
  ('JPY', 'Yen', 0),
  ('KES', 'Kenyan Shilling', 2),
  ('KGS', 'Som', 2),
  ('KHR', 'Riel', 2),
  ('KMF', 'Comorian Franc ', 0),
  ('KPW', 'North Korean Won', 2),
  ('KRW', 'Won', 0),
  ('KWD', 'Kuwaiti Dinar', 3),
  ('KYD', 'Cayman Islands Dollar', 2),
  ('KZT', 'Tenge', 2),
  ('LAK', 'Lao Kip', 2),
  ('LBP', 'Lebanese Pound', 2),
  ('LKR', 'Sri Lanka Rupee', 2),
  ('LRD', 'Liberian Dollar', 2),
  ('LSL', 'Loti', 2),
  ('LYD', 'Libyan Dinar', 3),
  ('MAD', 'Moroccan Dirham', 2),
  ('MDL', 'Moldovan Leu', 2),
  ('MGA', 'Malagasy Ariary', 2),
  ('MKD', 'Denar', 2),
  ('MMK', 'Kyat', 2),
  ('MNT', 'Tugrik', 2),
  ('MOP', 'Pataca', 2),
  ('MRU', 'Ouguiya', 2),
  ('MUR', 'Mauritius Rupee', 2),
  ('MVR', 'Rufiyaa', 2),
  ('MWK', 'Malawi Kwacha', 2),
  ('MXN', 'Mexican Peso', 2),
  ('MXV', 'Mexican Unidad de Inversion (UDI)', 2),
  ('MYR', 'Malaysian Ringgit', 2),
  ('MZN', 'Mozambique Metical', 2),
  ('NAD', 'Namibia Dollar', 2),
  ('NGN', 'Naira', 2),
  ('NIO', 'Cordoba Oro', 2),
  ('NOK', 'Norwegian Krone', 2),
  ('NPR', 'Nepalese Rupee', 2),
  ('NZD', 'New Zealand Dollar', 2),
  ('OMR', 'Rial Omani', 3),
  ('PAB', 'Balboa', 2),
  ('PEN', 'Sol', 2),
  ('PGK', 'Kina', 2),
  ('PHP', 'Philippine Peso', 2),
  ('PKR', 'Pakistan Rupee', 2),
  ('PLN', 'Zloty', 2),
  ('PYG', 'Guarani', 0),
  ('QAR', 'Qatari Rial', 2),
  ('RON', 'Romanian Leu', 2),
  ('RSD', 'Serbian Dinar', 2),
  ('RUB', 'Russian Ruble', 2),
  ('RWF', 'Rwanda Franc', 0),
  ('SAR', 'Saudi Riyal', 2),
  ('SBD', 'Solomon Islands Dollar', 2),
  ('SCR', 'Seychelles Rupee', 2),
  ('SDG', 'Sudanese Pound', 2),
  ('SEK', 'Swedish Krona', 2),
  ('SGD', 'Singapore Dollar', 2),
  ('SHP', 'Saint Helena Pound', 2),
  ('SLE', 'Leone', 2),
  ('SOS', 'Somali Shilling', 2),
  ('SRD', 'Surinam Dollar', 2),
  ('SSP', 'South Sudanese Pound', 2),
  ('STN', 'Dobra', 2),
  ('SVC', 'El Salvador Colon', 2),
  ('SYP', 'Syrian Pound', 2),
  ('SZL', 'Lilangeni', 2),
  ('THB', 'Baht', 2),
  ('TJS', 'Somoni', 2),
  ('TMT', 'Turkmenistan New Manat', 2),
  ('TND', 'Tunisian Dinar', 3),
  ('TOP', 'Pa’anga', 2),
  ('TRY', 'Turkish Lira', 2),
  ('TTD', 'Trinidad and Tobago Dollar', 2),
  ('TWD', 'New Taiwan Dollar', 2),
  ('TZS', 'Tanzanian Shilling', 2),
  ('UAH', 'Hryvnia', 2),
  ('UGX', 'Uganda Shilling', 0),
  ('USD', 'US Dollar', 2),
  ('USN', 'US Dollar (Next day)', 2),
  ('UYI', 'Uruguay Peso en Unidades Indexadas (UI)', 0),
  ('UYU', 'Peso Uruguayo', 2),
  ('UYW', 'Unidad Previsional', 4),
  ('UZS', 'Uzbekistan Sum', 2),
  ('VED', 'Bolívar Soberano', 2),
  ('VES', 'Bolívar Soberano', 2),
  ('VND', 'Dong', 0),
  ('VUV', 'Vatu', 0),
  ('WST', 'Tala', 2),
  ('XAF', 'CFA Franc BEAC', 0),
  ('XCD', 'East Caribbean Dollar', 2),
  ('XOF', 'CFA Franc BCEAO', 0),
  ('XPF', 'CFP Franc', 0),
  ('YER', 'Yemeni Rial', 2),
  ('ZAR', 'Rand', 2),
  ('ZMW', 'Zambian Kwacha', 2),
  ('ZWG', 'Zimbabwe Gold', 2);

INSERT INTO currency (code, name, minor_unit, withdrawn) VALUES
  ('CYP', 'Cyprus Pound', 2, true),
  ('EEK', 'Kroon', 2, true),
  ('HRK', 'Kuna', 2, true),
  ('LTL', 'Lithuanian Litas', 2, true),
  ('LVL', 'Latvian Lats', 2, true),
  ('MTL', 'Maltese Lira', 2, true),
  ('ROL', 'Old Leu', 2, true),
  ('SIT', 'Tolar', 2, true),
  ('SKK', 'Slovak Koruna', 2, true),
  ('TRL', 'Old Turkish Lira', 0, true)
ON CONFLICT (code) DO NOTHING;

-- Refuses UPDATE, DELETE and TRUNCATE on append-only tables.
CREATE FUNCTION purl_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

-- One ledger per currency: an account belongs to exactly one ledger.
CREATE TABLE ledger_account (
  id                              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ledger                          char(3) NOT NULL REFERENCES currency (code),
  code                            integer NOT NULL CHECK (code > 0),
  reference                       text    NOT NULL UNIQUE CHECK (length(reference) BETWEEN 1 AND 200),
  debits_must_not_exceed_credits  boolean NOT NULL DEFAULT false,
  credits_must_not_exceed_debits  boolean NOT NULL DEFAULT false,
  debits_pending                  bigint  NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
  debits_posted                   bigint  NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
  credits_pending                 bigint  NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
  credits_posted                  bigint  NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
  created_at                      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, ledger),
  CHECK (NOT (debits_must_not_exceed_credits AND credits_must_not_exceed_debits)),
  CONSTRAINT ledger_account_debits_within_credits
    CHECK (NOT debits_must_not_exceed_credits OR debits_pending + debits_posted <= credits_posted),
  CONSTRAINT ledger_account_credits_within_debits
    CHECK (NOT credits_must_not_exceed_debits OR credits_pending + credits_posted <= debits_posted)
);

-- Transfers are append-only; post, void and reversal are new rows pointing at the original.
CREATE TABLE ledger_transfer (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  idempotency_key    text    NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 128),
  payload_hash       char(64) NOT NULL,
  ledger             char(3) NOT NULL,
  kind               text    NOT NULL
                       CHECK (kind IN ('posted', 'pending', 'post_pending', 'void_pending', 'reversal')),
  debit_account_id   bigint  NOT NULL,
  credit_account_id  bigint  NOT NULL,
  amount             bigint  NOT NULL CHECK (amount > 0),
  code               integer NOT NULL CHECK (code > 0),
  pending_id         bigint  REFERENCES ledger_transfer (id),
  reverses_id        bigint  REFERENCES ledger_transfer (id),
  batch_id           bigint,
  memo               text    CHECK (length(memo) <= 200),
  created_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (debit_account_id, ledger) REFERENCES ledger_account (id, ledger),
  FOREIGN KEY (credit_account_id, ledger) REFERENCES ledger_account (id, ledger),
  CHECK (debit_account_id <> credit_account_id),
  CHECK ((kind IN ('post_pending', 'void_pending')) = (pending_id IS NOT NULL)),
  CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL))
);
-- A pending transfer is resolved (posted or voided) at most once; a transfer is reversed at most once.
CREATE UNIQUE INDEX ledger_transfer_resolves_once ON ledger_transfer (pending_id) WHERE pending_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_transfer_reversed_once ON ledger_transfer (reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX ledger_transfer_debit_account ON ledger_transfer (debit_account_id);
CREATE INDEX ledger_transfer_credit_account ON ledger_transfer (credit_account_id);
CREATE SEQUENCE ledger_batch_seq;

CREATE TRIGGER ledger_transfer_append_only BEFORE UPDATE OR DELETE ON ledger_transfer
  FOR EACH ROW EXECUTE FUNCTION purl_refuse_change();
CREATE TRIGGER ledger_transfer_no_truncate BEFORE TRUNCATE ON ledger_transfer
  FOR EACH STATEMENT EXECUTE FUNCTION purl_refuse_change();

-- A conversion: two linked transfers through FX accounts, with the ECB legs that priced it.
CREATE TABLE ledger_conversion (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  from_transfer_id    bigint  NOT NULL UNIQUE REFERENCES ledger_transfer (id),
  to_transfer_id      bigint  NOT NULL UNIQUE REFERENCES ledger_transfer (id),
  from_rate_per_eur   numeric NOT NULL CHECK (from_rate_per_eur > 0),
  to_rate_per_eur     numeric NOT NULL CHECK (to_rate_per_eur > 0),
  rate                numeric NOT NULL CHECK (rate > 0),
  rate_date           date    NOT NULL,
  rate_source         text    NOT NULL
);
CREATE TRIGGER ledger_conversion_append_only BEFORE UPDATE OR DELETE ON ledger_conversion
  FOR EACH ROW EXECUTE FUNCTION purl_refuse_change();
CREATE TRIGGER ledger_conversion_no_truncate BEFORE TRUNCATE ON ledger_conversion
  FOR EACH STATEMENT EXECUTE FUNCTION purl_refuse_change();

-- The audit chain. Ids are gapless (taken from the head under its lock); each hash covers the
-- previous hash and the event's canonical JSON, so an edit, a deletion or a reordering shows.
CREATE TABLE audit_event (
  id         bigint PRIMARY KEY CHECK (id > 0),
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  role       text NOT NULL,
  entity     text NOT NULL,
  entity_id  text,
  action     text NOT NULL,
  before     jsonb,
  after      jsonb,
  prev_hash  char(64) NOT NULL,
  hash       char(64) NOT NULL
);
CREATE INDEX audit_event_entity ON audit_event (entity, entity_id);
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION purl_refuse_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION purl_refuse_change();

-- The head of the chain: one row, locked by every writer, so events are chained in commit order.
CREATE TABLE audit_head (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_id    bigint  NOT NULL,
  last_hash  char(64) NOT NULL
);
INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (true, 0, repeat('0', 64));
