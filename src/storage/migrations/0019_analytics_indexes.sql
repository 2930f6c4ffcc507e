-- 0019 indexes of the analyses' reads (storage/analytics-repository.ts,
-- analytics-delivery-repository.ts), found by EXPLAIN on the scale data set (issue 7):
-- Units a receipt counts as unusable (damaged, wrong item): summed per receipt.
CREATE INDEX discrepancy_receipt ON discrepancy (receipt_id);
-- The surpluses returned from a package's funding when it closed (the funnel's and coverage's
-- negative allocated records): a handful of transfers among the ledger's million, found without
-- reading the others.
CREATE INDEX ledger_transfer_surplus_return ON ledger_transfer (debit_account_id)
  WHERE code = 2003 AND kind = 'posted';
