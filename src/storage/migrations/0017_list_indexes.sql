-- 0017 indexes of the audit log's list (GET /audit/events, storage/audit-repository.ts
-- listAuditEventRows): newest first (id descending), keyset-paged (id < cursor), filtered by
-- action, entity (and id), actor (an exact actor, or its API tokens by the prefix
-- `user:N/token:`) and time. Each filter's index ends in `id`, so a page is read in order from
-- the index and stops after `limit + 1` rows instead of sorting every matching event.
-- audit_event is append-only (its triggers refuse UPDATE, DELETE and TRUNCATE); indexes only
-- add to what each append writes.
CREATE INDEX audit_event_action ON audit_event (action, id);
-- The entity alone (entity and entity id together keep audit_event_entity of 0001).
CREATE INDEX audit_event_entity_order ON audit_event (entity, id);
-- text_pattern_ops: equality, and the token prefix as an index range (`LIKE 'user:7/token:%'`)
-- whatever the database's collation.
CREATE INDEX audit_event_actor ON audit_event (actor text_pattern_ops, id);
-- A window in the past (from … to): the events of those days, then their newest first.
CREATE INDEX audit_event_at ON audit_event (at);
