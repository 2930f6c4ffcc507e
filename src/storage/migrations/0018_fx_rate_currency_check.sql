-- 0018 fx: the rule "a rate's currency is a known currency" held once per statement instead of
-- once per row. The foreign key fx_rate.currency → currency(code) ran a referential check per
-- inserted row — about a third of the ECB import's writing time (200,000 rows) — while the
-- import already refuses an unknown currency column before writing (naming the column). The
-- database still holds the rule: statement-level triggers check every row a statement inserted
-- or updated in one anti-join over its transition table, and a currency that has rates cannot
-- be deleted or renamed (what the foreign key's NO ACTION did).
ALTER TABLE fx_rate DROP CONSTRAINT fx_rate_currency_fkey;

CREATE FUNCTION purl_fx_rate_currency_known() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  unknown text;
BEGIN
  SELECT n.currency INTO unknown
  FROM fx_rate_written n
  WHERE NOT EXISTS (SELECT 1 FROM currency c WHERE c.code = n.currency)
  LIMIT 1;
  IF unknown IS NOT NULL THEN
    RAISE EXCEPTION 'fx_rate: currency % is not in table currency', unknown
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fx_rate_currency_known';
  END IF;
  RETURN NULL;
END
$$;

-- Transition tables allow one event per trigger: one for INSERT, one for UPDATE.
CREATE TRIGGER fx_rate_currency_known_insert AFTER INSERT ON fx_rate
  REFERENCING NEW TABLE AS fx_rate_written
  FOR EACH STATEMENT EXECUTE FUNCTION purl_fx_rate_currency_known();
CREATE TRIGGER fx_rate_currency_known_update AFTER UPDATE ON fx_rate
  REFERENCING NEW TABLE AS fx_rate_written
  FOR EACH STATEMENT EXECUTE FUNCTION purl_fx_rate_currency_known();

CREATE FUNCTION purl_currency_keep_rated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'DELETE' OR NEW.code IS DISTINCT FROM OLD.code)
     AND EXISTS (SELECT 1 FROM fx_rate WHERE currency = OLD.code) THEN
    RAISE EXCEPTION 'currency % has FX rates: it cannot be deleted or renamed', OLD.code
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fx_rate_currency_known';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER currency_keep_rated AFTER UPDATE OR DELETE ON currency
  FOR EACH ROW EXECUTE FUNCTION purl_currency_keep_rated();
