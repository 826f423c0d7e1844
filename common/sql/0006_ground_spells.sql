-- 0006: the spells that stay on a territory for a while (Ward, Fortress
-- of Will, Stone Wall, Illusion Army, Ash Cloud, Mass Reformation), as
-- the shard keeps them (shard/shard_ground.c): a JSON array of
-- {spell, caster, value, untilMs}, NULL when none holds.  Few
-- territories carry one, and they are read and written with the
-- territory's row, like the armies' effects.
ALTER TABLE territories
  ADD COLUMN spells JSONB;
