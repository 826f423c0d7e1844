// zx_replay.test.mjs: every battle the other files fought replays to the
// same record.  `ndctl replay ID` recomputes a battle from its recorded
// inputs alone (combats.battle_input) and must print the rounds, result
// and resultHash that GET /combat/:id/result shows.  Named to run after
// the files that fight and before zz_generation ends the generation.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { GW_A, get, ndctl, psql } from './lib.mjs';

describe('replay', () => {
	test('ndctl replay recomputes every fought battle to the result GET shows', async () => {
		const rows = await psql('SELECT id FROM combats WHERE battle_input IS NOT NULL ORDER BY id');
		assert.ok(rows.length >= 1, 'the game tests fought at least one battle');
		for (const [id] of rows) {
			const shown = (await get(GW_A, `/combat/${id}/result`)).json;
			assert.equal(shown.status, 'completed', `combat ${id}`);
			const rp = await ndctl(['replay', id]);
			assert.equal(rp.code, 0, `replay ${id}: ${rp.stdout} ${rp.stderr}`);
			assert.equal(rp.json.stored, true, `combat ${id} replays to its stored record`);
			assert.equal(rp.json.resultHash, shown.resultHash, `combat ${id} result hash`);
			assert.deepEqual(rp.json.rounds, shown.rounds, `combat ${id} rounds`);
			assert.deepEqual(rp.json.result, shown.result, `combat ${id} result`);
		}
	});

	test('a changed input replays to another result, and bad ids are refused', async () => {
		const [[id]] = await psql('SELECT id FROM combats WHERE battle_input IS NOT NULL ORDER BY id LIMIT 1');
		const before = await ndctl(['replay', id]);
		const [[entropy]] = await psql(`SELECT battle_input->>'entropy' FROM combats WHERE id = ${id}`);
		assert.match(entropy, /^0x[0-9a-f]{64}$/);
		// Tamper with the recorded entropy: the replay no longer matches.
		await psql(`UPDATE combats SET battle_input = jsonb_set(battle_input, '{entropy}',
			to_jsonb('0x' || repeat('ab', 32))) WHERE id = ${id}`);
		try {
			const after = await ndctl(['replay', id]);
			assert.equal(after.code, 1, after.stderr);
			assert.equal(after.json.stored, false);
			assert.notEqual(after.json.resultHash, before.json.resultHash);
		} finally {
			await psql(`UPDATE combats SET battle_input = jsonb_set(battle_input, '{entropy}',
				to_jsonb('${entropy}'::text)) WHERE id = ${id}`);
		}
		assert.equal((await ndctl(['replay', id])).json.stored, true, 'restored');
		const none = await ndctl(['replay', '999999999999']);
		assert.equal(none.code, 1);
		assert.match(none.stderr, /no combat/);
		const bad = await ndctl(['replay', 'abc']);
		assert.equal(bad.code, 2);
	});
});
