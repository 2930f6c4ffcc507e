-- 0015 analytics reference data: World Bank indicators (GDP in current US$, population) by
-- country and year, and the Kiel Institute Ukraine Support Tracker figures (EUR bn) shown
-- beside PURL's own. Both are imported files: a re-import of a row replaces it (upsert) and the
-- import records its source file and SHA-256.
CREATE TABLE country_indicator (
  indicator     text        NOT NULL CHECK (indicator IN ('gdp_usd', 'population')),
  country_code  char(3)     NOT NULL CHECK (country_code ~ '^[A-Z]{3}$'),
  year          smallint    NOT NULL CHECK (year BETWEEN 1900 AND 2200),
  -- As published: GDP in current US$ (may carry decimals), population in persons.
  value         numeric     NOT NULL CHECK (value >= 0),
  country_name  text        NOT NULL CHECK (length(country_name) BETWEEN 1 AND 200),
  source        text        NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
  imported_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (indicator, country_code, year)
);

-- One row of the Kiel tracker's data_explorer.csv. `month` 0 stands for a yearly row (the
-- month cell blank). Amounts are EUR bn as published (numeric, exact); a blank cell is NULL.
CREATE TABLE kiel_figure (
  iso              char(3)     NOT NULL CHECK (iso ~ '^[A-Z]{3}$'),
  year             smallint    NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  month            smallint    NOT NULL CHECK (month BETWEEN 0 AND 12),
  country          text        NOT NULL CHECK (length(country) BETWEEN 1 AND 200),
  total            numeric,
  financial        numeric,
  humanitarian     numeric,
  military         numeric,
  commitments      numeric,
  to_be_allocated  numeric,
  gdp              numeric,
  pct_gdp          numeric,
  source_file      text        NOT NULL CHECK (length(source_file) BETWEEN 1 AND 500),
  source_sha256    char(64)    NOT NULL CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
  imported_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (iso, year, month)
);
