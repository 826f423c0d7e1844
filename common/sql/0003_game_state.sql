-- 0003_game_state.sql: what the shards need to own the game world durably.
--
-- The seed's tables stay as they are, widened where the game needs more:
-- entity ids become BIGINT and are assigned by the shards from blocks of
-- nd_id_blocks (one id space for every kind of entity), so a shard can
-- write a new army, building, combat, alliance or timer in the same
-- pipelined transaction that creates it, without a round trip for its id.
-- Timestamps without a time zone (the seed's) hold UTC: every connection
-- of ours sets TimeZone = UTC.

CREATE SEQUENCE nd_id_blocks START 1;

-- Entity ids: 64-bit.
ALTER TABLE army_units DROP CONSTRAINT army_units_army_id_fkey;
ALTER TABLE buildings ALTER COLUMN id TYPE BIGINT;
ALTER TABLE armies ALTER COLUMN id TYPE BIGINT;
ALTER TABLE army_units ALTER COLUMN army_id TYPE BIGINT;
ALTER TABLE army_units ADD CONSTRAINT army_units_army_id_fkey
  FOREIGN KEY (army_id) REFERENCES armies(id) ON DELETE CASCADE;
ALTER TABLE combats ALTER COLUMN id TYPE BIGINT;
ALTER TABLE alliance_members DROP CONSTRAINT alliance_members_alliance_id_fkey;
ALTER TABLE alliances ALTER COLUMN id TYPE BIGINT;
ALTER TABLE alliance_members ALTER COLUMN alliance_id TYPE BIGINT;
ALTER TABLE alliance_members ADD CONSTRAINT alliance_members_alliance_id_fkey
  FOREIGN KEY (alliance_id) REFERENCES alliances(id);

-- Players: the captain and tier of PlayerRegistered, and the mana pool.
ALTER TABLE players
  ADD COLUMN captain_class SMALLINT NOT NULL DEFAULT 0,
  ADD COLUMN captain_skill SMALLINT NOT NULL DEFAULT 0,
  ADD COLUMN premium BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN mana INTEGER NOT NULL DEFAULT 0;

-- Armies: where they stand (a tile need not have a territories row).
ALTER TABLE armies
  ADD COLUMN x SMALLINT NOT NULL DEFAULT 0,
  ADD COLUMN y SMALLINT NOT NULL DEFAULT 0,
  ADD COLUMN garrison BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN from_x SMALLINT,
  ADD COLUMN from_y SMALLINT,
  ADD COLUMN departure_time TIMESTAMP;
CREATE INDEX idx_armies_location ON armies(generation_id, x, y);

-- Buildings belong to a tile; type ids index the rules' building list.
ALTER TABLE buildings
  ADD COLUMN x SMALLINT NOT NULL DEFAULT 0,
  ADD COLUMN y SMALLINT NOT NULL DEFAULT 0;
CREATE INDEX idx_buildings_location ON buildings(generation_id, x, y);

-- Combats: the commit-reveal inputs and the result, enough to replay.
ALTER TABLE combats
  ADD COLUMN x SMALLINT NOT NULL DEFAULT 0,
  ADD COLUMN y SMALLINT NOT NULL DEFAULT 0,
  ADD COLUMN army_id BIGINT,
  ADD COLUMN status VARCHAR(16) NOT NULL DEFAULT 'pending',
  ADD COLUMN reveal_deadline TIMESTAMP,
  ADD COLUMN salt BYTEA,
  ADD COLUMN army_hash BYTEA,
  ADD COLUMN rounds SMALLINT NOT NULL DEFAULT 0,
  ADD COLUMN attacker_units JSONB,
  ADD COLUMN defender_units JSONB,
  ADD COLUMN attacker_losses JSONB,
  ADD COLUMN defender_losses JSONB,
  ADD COLUMN loot JSONB,
  ADD COLUMN rules_hash BYTEA,
  ADD COLUMN arrival_time TIMESTAMP,
  ADD COLUMN created_at TIMESTAMP NOT NULL DEFAULT NOW();
CREATE INDEX idx_combats_location ON combats(generation_id, x, y);

-- Resources belong to a territory (the seed's model): keep the tile too.
ALTER TABLE resources
  ADD COLUMN generation_id INTEGER,
  ADD COLUMN x SMALLINT,
  ADD COLUMN y SMALLINT;

-- Alliances: one per player per generation; names unique per generation.
ALTER TABLE alliance_members
  ADD COLUMN generation_id INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN role VARCHAR(16) NOT NULL DEFAULT 'member';
CREATE UNIQUE INDEX alliance_members_one_per_player
  ON alliance_members(generation_id, player);
CREATE UNIQUE INDEX alliances_name_per_generation
  ON alliances(generation_id, lower(name));

-- Timers: everything that happens later (arrivals, construction, combat
-- deadlines).  A timer belongs to the shard owning its tile; fired timers
-- are deleted in the transaction that applies them.
CREATE TABLE timers (
  id BIGINT PRIMARY KEY,
  generation_id INTEGER NOT NULL,
  kind VARCHAR(32) NOT NULL,
  x SMALLINT NOT NULL,
  y SMALLINT NOT NULL,
  entity_id BIGINT NOT NULL,
  due_at TIMESTAMP NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_timers_location ON timers(generation_id, x, y);

-- Scouting results kept for the player who scouted (rules issue).
CREATE TABLE scout_reports (
  id BIGINT PRIMARY KEY,
  generation_id INTEGER NOT NULL,
  player VARCHAR(42) NOT NULL,
  x SMALLINT NOT NULL,
  y SMALLINT NOT NULL,
  accuracy SMALLINT NOT NULL DEFAULT 100,
  data JSONB NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_scout_reports_player ON scout_reports(generation_id, player);

-- Spell cooldowns: per player per spell.
CREATE TABLE spell_cooldowns (
  generation_id INTEGER NOT NULL,
  player VARCHAR(42) NOT NULL,
  spell VARCHAR(32) NOT NULL,
  ends_at TIMESTAMP NOT NULL,
  PRIMARY KEY (generation_id, player, spell)
);

-- Army hand-offs between shards (cross-shard moves).
CREATE TABLE army_handoffs (
  id BIGINT PRIMARY KEY,
  generation_id INTEGER NOT NULL,
  army_id BIGINT NOT NULL,
  from_shard INTEGER NOT NULL,
  to_shard INTEGER NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT NOW(),
  acked_at TIMESTAMP
);
CREATE INDEX idx_army_handoffs_open ON army_handoffs(to_shard)
  WHERE acked_at IS NULL;

-- The transactional outbox of chain commits: written in the transaction
-- of the action that needs one; the bridge sends and marks them.
CREATE TABLE chain_outbox (
  id BIGSERIAL PRIMARY KEY,
  generation_id INTEGER NOT NULL,
  kind VARCHAR(32) NOT NULL,
  payload JSONB NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT NOW(),
  status VARCHAR(16) NOT NULL DEFAULT 'pending',
  tx_hash BYTEA,
  sent_at TIMESTAMP,
  confirmed_at TIMESTAMP
);
CREATE INDEX idx_chain_outbox_pending ON chain_outbox(id)
  WHERE status = 'pending';

-- The commit ledger: each group commit of a shard ends by writing its
-- token here, so that when the connection breaks while a group is in
-- flight (its outcome unknown) the shard can tell, once PostgreSQL
-- answers again, whether that group committed.
CREATE TABLE shard_commits (
  shard INTEGER PRIMARY KEY,
  token BIGINT NOT NULL,
  committed_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- The events history (the seed's TimescaleDB table).  With the
-- timescaledb extension it is a hypertable with the seed's compression
-- (7 days) and retention (180 days) policies; without it, a table range-
-- partitioned by week whose partitions nd_events_maintain() creates ahead
-- and drops after 180 days (the shards call it hourly).  Either way the
-- migration never fails for want of the extension.
DO $$
BEGIN
  BEGIN
    CREATE EXTENSION IF NOT EXISTS timescaledb;
    CREATE TABLE events (
      time TIMESTAMPTZ NOT NULL,
      generation_id INTEGER NOT NULL,
      event_type VARCHAR(32) NOT NULL,
      player VARCHAR(42),
      territory_x SMALLINT,
      territory_y SMALLINT,
      data JSONB
    );
    PERFORM create_hypertable('events', 'time');
    ALTER TABLE events SET (timescaledb.compress);
    PERFORM add_compression_policy('events', INTERVAL '7 days');
    PERFORM add_retention_policy('events', INTERVAL '180 days');
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'timescaledb not available (%), partitioning events by week',
      SQLERRM;
    CREATE TABLE events (
      time TIMESTAMPTZ NOT NULL,
      generation_id INTEGER NOT NULL,
      event_type VARCHAR(32) NOT NULL,
      player VARCHAR(42),
      territory_x SMALLINT,
      territory_y SMALLINT,
      data JSONB
    ) PARTITION BY RANGE (time);
    CREATE TABLE events_default PARTITION OF events DEFAULT;
  END;
END $$;
CREATE INDEX idx_events_time ON events(generation_id, time);
CREATE INDEX idx_events_player ON events(player, time);

-- nd_events_maintain: weekly partitions from this week to 4 weeks ahead;
-- drops partitions that end more than 180 days ago.  Does nothing on a
-- hypertable (its policies do the work).  Returns partitions dropped.
CREATE FUNCTION nd_events_maintain() RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  wk DATE;
  part TEXT;
  dropped INTEGER := 0;
  r RECORD;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_partitioned_table p
                 JOIN pg_class c ON c.oid = p.partrelid
                 WHERE c.relname = 'events') THEN
    RETURN 0;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('nd_events_maintain'));
  FOR i IN 0..4 LOOP
    wk := date_trunc('week', now() AT TIME ZONE 'UTC')::DATE + 7 * i;
    part := 'events_' || to_char(wk, 'YYYYMMDD');
    IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = part) THEN
      BEGIN
        EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES'
          || ' FROM (%L) TO (%L)', part, wk::TIMESTAMPTZ,
          (wk + 7)::TIMESTAMPTZ);
      EXCEPTION WHEN OTHERS THEN
        -- rows of that week sit in the default partition: leave them.
        RAISE NOTICE 'events partition % not created: %', part, SQLERRM;
      END;
    END IF;
  END LOOP;
  FOR r IN SELECT c.relname FROM pg_inherits i
           JOIN pg_class c ON c.oid = i.inhrelid
           JOIN pg_class p ON p.oid = i.inhparent
           WHERE p.relname = 'events' AND c.relname ~ '^events_[0-9]{8}$'
  LOOP
    IF to_date(substr(r.relname, 8), 'YYYYMMDD') + 7
       < (now() - INTERVAL '180 days')::DATE THEN
      EXECUTE format('DROP TABLE %I', r.relname);
      dropped := dropped + 1;
    END IF;
  END LOOP;
  RETURN dropped;
END $$;
SELECT nd_events_maintain();
