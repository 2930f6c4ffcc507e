-- 0022 An Idempotency-Key's command that committed is marked so in its own transaction
-- (state 'committed', with the entity its audit event names). Its answer is stored afterwards;
-- if the server dies in between, a retry with the key is told the request was carried out
-- (IDEMPOTENCY_ANSWER_LOST) instead of running it a second time once the reservation is stale.
ALTER TABLE http_idempotency DROP CONSTRAINT http_idempotency_state_check;
ALTER TABLE http_idempotency
  ADD CONSTRAINT http_idempotency_state_check CHECK (state IN ('in_progress', 'committed', 'done')),
  ADD COLUMN committed_entity text CHECK (length(committed_entity) <= 100),
  ADD COLUMN committed_entity_id text CHECK (length(committed_entity_id) <= 200);
