-- 0002 fx: daily reference rates (ECB), units of a currency per 1 EUR.
-- EUR itself has no row: its rate is exactly 1 by definition (src/core/fx.ts).

-- One rate per currency and day, exact as published (numeric, never a float).
-- The primary key (currency, rate_date) is also the lookup's index: "the latest rate of a
-- currency on or before a value date" is a backward scan of it, so no other index is needed.
CREATE TABLE fx_rate (
  currency      char(3)  NOT NULL REFERENCES currency (code) CHECK (currency <> 'EUR'),
  rate_date     date     NOT NULL,
  rate_per_eur  numeric  NOT NULL CHECK (rate_per_eur > 0),
  source        text     NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
  PRIMARY KEY (currency, rate_date)
);
