-- 0002_generation_lifecycle.sql: a generation's end and its server secret.
--
-- ends_at is when the generation is due to end (start + 50 days); ended_at
-- when it did end (by the operator or, later, the chain).  secret is the
-- per-generation server secret that off-chain combat randomness draws on;
-- secret_hash (Keccak-256 of it) is published from the start and the
-- secret itself once the generation has ended, so anyone can check that
-- the server did not change it.  At most one generation is open at a time.

ALTER TABLE generations
  ADD COLUMN ends_at TIMESTAMPTZ,
  ADD COLUMN secret BYTEA,
  ADD COLUMN secret_hash BYTEA;

UPDATE generations SET ends_at = started_at + INTERVAL '50 days'
  WHERE ends_at IS NULL;

CREATE UNIQUE INDEX generations_one_open ON generations ((TRUE))
  WHERE ended_at IS NULL;
