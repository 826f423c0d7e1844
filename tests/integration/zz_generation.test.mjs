// zz_generation.test.mjs: the operator drives generations with ndctl.
// Ending one freezes the game and publishes the server secret (whose hash
// was public from the start); starting the next gives every shard a new,
// empty world.  Named to run last: it ends the generation the other files
// play in.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { concat, keccak256, toBeHex, toUtf8Bytes } from 'ethers';

import { GW_A, GW_B, assertError, get, ndctl, post, psql, register, signIn, until, walletOnShard } from './lib.mjs';

describe('generations', () => {
	test('end, then start: the secret is revealed and the world starts empty', async () => {
		const P = await signIn({ wallet: walletOnShard(0) });
		const reg = await register(P.address, 'vaelthir');
		const g1 = (await get(GW_A, '/game/generation')).json;
		assert.equal(g1.secret, null);

		const end = await ndctl(['generation', 'end']);
		assert.equal(end.code, 0, end.stderr);
		assert.equal(end.json.generation, g1.id);
		const ended = await until(5000, async () => {
			const g = (await get(GW_B, '/game/generation')).json;
			return g.endedAt !== null && g;
		}, { what: 'the shards see the end' });
		assert.equal(ended.status, 'ended');
		assert.match(ended.secret, /^0x[0-9a-f]{64}$/);
		assert.equal(keccak256(ended.secret), ended.secretHash, 'the secret opens the hash published at the start');
		// With the secret public, anyone can check every battle's dice:
		// entropy = keccak256("nd-combat-entropy" || secret || id (8 bytes) || salt).
		const fought = await psql(`SELECT id, encode(salt, 'hex'), battle_input->>'entropy' FROM combats
			WHERE generation_id = ${g1.id} AND battle_input IS NOT NULL`);
		assert.ok(fought.length >= 1, 'the generation saw battles');
		for (const [id, salt, entropy] of fought) {
			const want = keccak256(concat([toUtf8Bytes('nd-combat-entropy'), ended.secret,
				toBeHex(BigInt(id), 8), '0x' + salt]));
			assert.equal(entropy, want, `combat ${id}: the entropy follows from the published secret`);
		}
		const p = reg.plots[0];
		assertError(await post(GW_A, `/territory/${p.x}/${p.y}/build`, { buildingType: 'farm' }, { token: P.token }), 409, 'GENERATION_ENDED');
		assert.equal((await ndctl(['generation', 'end'])).code, 1, 'nothing left to end');

		const start = await ndctl(['generation', 'start', '--seed', '77']);
		assert.equal(start.code, 0, start.stderr);
		assert.equal(start.json.generation, g1.id + 1);
		const g2 = await until(5000, async () => {
			const g = (await get(GW_A, '/game/generation')).json;
			return g.id === g1.id + 1 && g;
		}, { what: 'the shards follow the new generation' });
		assert.equal(g2.playerCount, 0);
		assert.equal(g2.secret, null);
		assert.notEqual(g2.secretHash, g1.secretHash);
		assertError(await get(GW_B, '/player/state', { token: P.token }), 403, 'NOT_REGISTERED');
		const t = (await get(GW_A, `/territory/${p.x}/${p.y}`, { token: P.token })).json;
		assert.equal(t.owner, null, 'the new generation starts with no owners');
		const again = await register(P.address, 'ashborn');
		assert.equal(again.created, true, 'one registration per generation');
	});
});
