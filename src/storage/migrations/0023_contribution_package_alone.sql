-- 0023 A donor may ask that a contribution fund whole packages alone (a package of its own, no
-- other money in it). The allocation planner (core/planner.ts) proposes such a package for it.
ALTER TABLE contribution ADD COLUMN funds_package_alone boolean NOT NULL DEFAULT false;
