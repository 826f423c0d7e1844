-- 0005: the spells' state that is not an army's effect.
--
-- foresight_until: until when the player's Foresight makes attacks on
-- its land known 2 hours earlier (the defender's warning).
-- aegis_until: until when Titan's Aegis keeps hostile spells off the
-- territory.
ALTER TABLE players
  ADD COLUMN foresight_until TIMESTAMP;
ALTER TABLE territories
  ADD COLUMN aegis_until TIMESTAMP;
