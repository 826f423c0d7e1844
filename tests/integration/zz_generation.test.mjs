// zz_generation.test.mjs: the operator drives generations with ndctl, and
// a generation ends by itself at its due end, the next opening after the
// intermission.  Ending one freezes the game and publishes the server
// secret (whose hash was public from the start); starting the next gives
// every shard a new, empty world.  Named to run last: it ends the
// generation the other files play in.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { concat, keccak256, toBeHex, toUtf8Bytes } from 'ethers';

import { GW_A, GW_B, assertError, env, get, ndctl, post, psql, register, signIn, until, walletOnShard } from './lib.mjs';

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
		// The ended generation's top 100, ranked by domain points, once.
		const top = (await psql(`SELECT payload::text FROM chain_outbox WHERE generation_id = ${g1.id} AND kind = 'recordAchievement' ORDER BY id`))
			.map(([p]) => JSON.parse(p));
		const [[players]] = await psql(`SELECT count(*) FROM players WHERE generation_id = ${g1.id}`);
		assert.equal(top.length, Math.min(100, Number(players)));
		top.forEach((t, i) => {
			assert.equal(t.rank, i + 1);
			assert.equal(t.isWinner, i === 0);
			if (i > 0) assert.ok(top[i - 1].score >= t.score, 'highest first');
		});
		assert.ok(top.some((t) => t.battlesWon > 0), 'battles won are counted');
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

	test('a generation ends by itself with its last day scored, and the next opens after the intermission', async () => {
		const DAY = 86400000 / env.timeScale; // a game day in wall ms
		const DAYS = 3;
		const start = await ndctl(['generation', 'start', '--days', String(DAYS)]);
		assert.equal(start.code, 0, start.stderr);
		const gid = start.json.generation;
		const g = await until(5000, async () => {
			const r = (await get(GW_A, '/game/generation')).json;
			return r.id === gid && r;
		}, { what: 'the shards follow the short generation', intervalMs: 50 });
		assert.equal(Date.parse(g.endTime) - Date.parse(g.startTime), DAYS * DAY, 'its due end is 3 game days on');
		assert.equal(g.status, 'planning');
		const P = await signIn({ wallet: walletOnShard(1) });
		const before = (await get(GW_A, '/game/generation')).json.day;
		const reg = await register(P.address, 'korrath');
		const after = (await get(GW_A, '/game/generation')).json.day;
		assert.ok(after <= DAYS, 'registered before the end');

		const ended = await until(DAYS * DAY + 5000, async () => {
			const r = (await get(GW_B, '/game/generation')).json;
			return r.id === gid && r.endedAt !== null && r;
		}, { what: 'the generation ends by itself', intervalMs: 200 });
		assert.equal(ended.endedAt, ended.endTime, 'it ended at its due end, not when the operator said');
		assert.equal(ended.status, 'ended');
		assert.equal(keccak256(ended.secret), ended.secretHash);
		// A day's points come when the day ends, the last day's included:
		// a plot held from day k scores days k..DAYS.
		const [[points]] = await psql(`SELECT domain_points FROM players WHERE generation_id = ${gid} AND address = '${P.address.toLowerCase()}'`);
		const plots = reg.plots.length;
		assert.ok(Number(points) >= plots * (DAYS - after + 1) && Number(points) <= plots * (DAYS - before + 1),
			`points ${points} for ${plots} plots held from day ${before}..${after} of ${DAYS}`);

		const next = await until(DAY + 5000, async () => {
			const r = (await get(GW_A, '/game/generation')).json;
			return r.id === gid + 1 && r;
		}, { what: 'the next generation opens after the intermission', intervalMs: 200 });
		assert.ok(Date.parse(next.startTime) >= Date.parse(ended.endedAt) + DAY, 'after a game day of intermission');
		assert.equal(next.status, 'planning');
		assert.equal(next.endedAt, null);
		assert.equal(next.playerCount, 0);
		assert.equal(next.secret, null);
		const [[opened]] = await psql(`SELECT count(*) FROM generations WHERE id > ${gid}`);
		assert.equal(Number(opened), 1, 'every shard tried; exactly one generation opened');
		// The Heartbeat's standings go to the chain outbox once, as the
		// deployed TitansWitness takes them: a recordAchievement a player.
		const etched = (await psql(`SELECT payload::text FROM chain_outbox WHERE generation_id = ${gid} AND kind = 'recordAchievement' ORDER BY id`))
			.map(([p]) => JSON.parse(p));
		assert.equal(etched.length, 1, 'one player: one record');
		assert.deepEqual(etched[0], {
			genId: gid, player: P.address.toLowerCase(), captainName: 'Captain Test', race: 2,
			score: Number(points), rank: 1, territories: reg.plots.length, battlesWon: 0, isWinner: true,
		});
		// P's home shard follows within a second: P must register again.
		await until(5000, async () => {
			const r = await get(GW_B, '/player/state', { token: P.token });
			return r.status === 403 && r.json.error.code === 'NOT_REGISTERED';
		}, { what: 'the home shard switches to the empty world' });
	});
});
