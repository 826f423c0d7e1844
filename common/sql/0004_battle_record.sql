-- 0004: the D20 battle's recorded inputs and public record; PvP protection;
-- the captain's state.
--
-- battle_input is cm_battle_input_json of the battle as it was fought (the
-- armies, the tile, the captains, the day, the entropy and the rules'
-- hash): `ndctl replay` recomputes the battle from it alone.  battle_record
-- is what GET /combat/:id/result shows of it: the rounds, the result and
-- the result hash.  Both NULL until the battle is fought.
ALTER TABLE combats
  ADD COLUMN battle_input JSONB,
  ADD COLUMN battle_record JSONB,
  ADD COLUMN hostile_path BOOLEAN NOT NULL DEFAULT FALSE;

-- PvP protection: until when no player may attack this player's land
-- (the planning phase for those who join in it, ten days for late
-- joiners; it ends early when the player attacks another player).
--
-- The captain: the army it leads (NULL: none, e.g. after its army fell),
-- whether it died (for the rest of the generation) and until when it is
-- wounded (24 h after a death save it survived).  domain_points: the
-- player's accumulated score (daily plots, captures, battles won).
-- frenzy_until: a Korrath's Blood Frenzy (+10% ATK) after it attacked.
ALTER TABLE players
  ADD COLUMN protected_until TIMESTAMP,
  ADD COLUMN captain_army BIGINT,
  ADD COLUMN captain_dead BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN captain_wounded_until TIMESTAMP,
  ADD COLUMN domain_points BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN frenzy_until TIMESTAMP;

-- Spells' lasting effects on an army (shard/shard_effects.c): a JSON
-- array of {spell, atkPct, defPct, untilMs} (untilMs 0: the next battle).
ALTER TABLE armies
  ADD COLUMN effects JSONB NOT NULL DEFAULT '[]';
