-- 0003 API infrastructure: idempotent creating calls (the Idempotency-Key header).
-- A key is scoped to the caller and the route; the first request reserves it, its response is
-- stored, and a retry with the same body gets that response again. Not audit data: a reservation
-- whose request failed transiently is released so a retry can run.
CREATE TABLE http_idempotency (
  scope         text        NOT NULL CHECK (length(scope) BETWEEN 1 AND 300),
  key           text        NOT NULL CHECK (length(key) BETWEEN 1 AND 128),
  request_hash  char(64)    NOT NULL,
  state         text        NOT NULL CHECK (state IN ('in_progress', 'done')),
  status        integer,
  response      jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key),
  CHECK ((state = 'done') = (status IS NOT NULL))
);
CREATE INDEX http_idempotency_created_at ON http_idempotency (created_at);
