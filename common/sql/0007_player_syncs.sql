-- 0007: what a battle on one shard does to a player homed on another
-- (shard/shard_player_sync.h).  Written by the battle's shard in the
-- battle's transaction; deleted by the player's home shard in the
-- transaction that applies it, so each is applied once.
CREATE TABLE player_syncs (
  id            BIGINT PRIMARY KEY,
  generation_id INTEGER NOT NULL,
  player        VARCHAR(42) NOT NULL,
  from_shard    INTEGER NOT NULL,
  to_shard      INTEGER NOT NULL,
  payload       JSONB NOT NULL,
  created_at    TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_player_syncs_from ON player_syncs (generation_id, from_shard);
