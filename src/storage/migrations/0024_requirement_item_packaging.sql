-- 0024 How an item may be split into packages: in multiples of `quantity_step` units (the last
-- part, what is left of the approved quantity, may be smaller), or only as the whole remaining
-- quantity (`whole_only`). Checked by core/requirements.ts (`checkItemPackaging`) when an item is
-- written and by core/packages.ts (`checkLineQuantity`) when a package line takes the item; the
-- allocation planner (core/planner.ts) plans in the same units.
ALTER TABLE requirement_item
  ADD COLUMN quantity_step integer NOT NULL DEFAULT 1 CHECK (quantity_step >= 1),
  ADD COLUMN whole_only boolean NOT NULL DEFAULT false,
  -- A step larger than the requested quantity could never be packaged in steps.
  ADD CONSTRAINT requirement_item_step_within_requested CHECK (quantity_step <= requested_quantity);
