-- 0001_initial.sql: the seed's tables (game-server-architecture.md,
-- "DATABASE SCHEMA"), with their names, columns and indexes kept, plus the
-- generations table the seed's GenerationState implies.

CREATE TABLE generations (
  id INTEGER PRIMARY KEY,
  map_seed BIGINT NOT NULL,
  map_width SMALLINT NOT NULL,
  map_height SMALLINT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  ended_at TIMESTAMPTZ
);

CREATE TABLE players (
  address VARCHAR(42) NOT NULL,
  generation_id INTEGER NOT NULL,
  race SMALLINT NOT NULL,
  captain_name VARCHAR(64),
  captain_hash BYTEA,
  registered_at TIMESTAMP DEFAULT NOW(),
  last_active TIMESTAMP DEFAULT NOW(),
  PRIMARY KEY (address, generation_id)
);

CREATE TABLE territories (
  id SERIAL PRIMARY KEY,
  generation_id INTEGER NOT NULL,
  x SMALLINT NOT NULL,
  y SMALLINT NOT NULL,
  terrain SMALLINT NOT NULL,
  zone SMALLINT NOT NULL,
  owner VARCHAR(42),
  trust SMALLINT DEFAULT 100,
  last_activity TIMESTAMP DEFAULT NOW(),
  UNIQUE (generation_id, x, y)
);

CREATE TABLE buildings (
  id SERIAL PRIMARY KEY,
  generation_id INTEGER NOT NULL,
  territory_id INTEGER REFERENCES territories(id),
  building_type SMALLINT NOT NULL,
  level SMALLINT DEFAULT 1,
  hp INTEGER NOT NULL,
  construction_end TIMESTAMP,
  created_at TIMESTAMP DEFAULT NOW()
);

CREATE TABLE armies (
  id SERIAL PRIMARY KEY,
  generation_id INTEGER NOT NULL,
  owner VARCHAR(42) NOT NULL,
  territory_id INTEGER REFERENCES territories(id),
  status VARCHAR(16) DEFAULT 'idle',
  morale SMALLINT DEFAULT 100,
  foreign_soil_days SMALLINT DEFAULT 0,
  destination_x SMALLINT,
  destination_y SMALLINT,
  arrival_time TIMESTAMP
);

CREATE TABLE army_units (
  army_id INTEGER REFERENCES armies(id),
  unit_type SMALLINT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (army_id, unit_type)
);

CREATE TABLE combats (
  id SERIAL PRIMARY KEY,
  generation_id INTEGER NOT NULL,
  attacker VARCHAR(42) NOT NULL,
  defender VARCHAR(42),
  territory_id INTEGER REFERENCES territories(id),
  attack_commit_hash BYTEA,
  attack_reveal_time TIMESTAMP,
  result_hash BYTEA,
  winner VARCHAR(42),
  resolved_at TIMESTAMP
);

CREATE TABLE resources (
  territory_id INTEGER REFERENCES territories(id),
  gold INTEGER DEFAULT 0,
  stone INTEGER DEFAULT 0,
  wood INTEGER DEFAULT 0,
  food INTEGER DEFAULT 0,
  mana INTEGER DEFAULT 0,
  PRIMARY KEY (territory_id)
);

CREATE TABLE alliances (
  id SERIAL PRIMARY KEY,
  generation_id INTEGER NOT NULL,
  name VARCHAR(64) NOT NULL,
  founder VARCHAR(42) NOT NULL,
  created_at TIMESTAMP DEFAULT NOW(),
  active BOOLEAN DEFAULT TRUE
);

CREATE TABLE alliance_members (
  alliance_id INTEGER REFERENCES alliances(id),
  player VARCHAR(42) NOT NULL,
  joined_at TIMESTAMP DEFAULT NOW(),
  PRIMARY KEY (alliance_id, player)
);

CREATE INDEX idx_territories_owner ON territories(generation_id, owner);
CREATE INDEX idx_armies_owner ON armies(generation_id, owner);
CREATE INDEX idx_armies_destination ON armies(destination_x, destination_y)
  WHERE destination_x IS NOT NULL;
