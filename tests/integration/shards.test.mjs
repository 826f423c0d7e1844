// shards.test.mjs: a shard that dies takes down only its own quadrant: its
// tiles answer 503 SHARD_UNAVAILABLE within the gateway's deadline, the
// other quadrants keep answering, and the shard comes back when the
// launcher restarts it.  Each test leaves the cluster whole.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
	GW_A, GW_B, assertError, assertOk, env, get, killShard, releaseShard, shardPid, shardReady,
	signIn, tile, until, waitClusterWhole,
} from './lib.mjs';

const QUADRANT_TILE = [[10, 10], [80, 10], [10, 80], [80, 80]];
let token;

before(async () => {
	assert.ok(env.ndVar, 'ND_VAR is not set');
	await waitClusterWhole(30000);
	({ token } = await signIn());
});

after(() => {
	for (let i = 0; i < env.shardCount; i++) releaseShard(i);
});

async function assertUnavailable(base, x, y) {
	const r = await tile(base, x, y, token, { timeoutMs: 5000 });
	assertError(r, 503, 'SHARD_UNAVAILABLE', `${base} (${x},${y})`);
	assert.ok(r.ms < 2500, `${base} (${x},${y}): the 503 took ${Math.round(r.ms)} ms`);
	assert.ok(r.headers.get('retry-after'), 'no Retry-After header');
	assert.match(r.headers.get('retry-after'), /^\d+$/);
}

async function assertServed(base, shard) {
	const [x, y] = QUADRANT_TILE[shard];
	const r = await tile(base, x, y, token);
	assert.equal(r.status, 200, `${base} (${x},${y}): ${r.status} ${r.text}`);
	assert.equal(r.headers.get('x-shard'), String(shard));
}

test('shard 2 killed: SW tiles answer 503 fast, other quadrants 200, then it comes back', async () => {
	for (let s = 0; s < 4; s++) await assertServed(GW_A, s);
	const oldPid = shardPid(2);
	try {
		await killShard(2);
		for (const base of [GW_A, GW_B]) {
			await assertUnavailable(base, 10, 80);
			await assertUnavailable(base, 49, 50);
			for (const s of [0, 1, 3]) await assertServed(base, s);
			await assertUnavailable(base, 0, 99);
		}
		// Requests for the dead shard wait side by side, not one after the
		// other, and do not hold up requests for live shards meanwhile.
		const dead = Array.from({ length: 8 }, (_, i) => tile(i % 2 ? GW_A : GW_B, 5 + i, 60 + i, token, { timeoutMs: 5000 }));
		const live = await tile(GW_A, 70, 30, token);
		assert.equal(live.status, 200, live.text);
		assert.ok(live.ms < 800, `a live-shard request took ${Math.round(live.ms)} ms while dead-shard requests were pending`);
		for (const r of await Promise.all(dead)) {
			assertError(r, 503, 'SHARD_UNAVAILABLE');
			assert.ok(r.ms < 2500, `a concurrent 503 took ${Math.round(r.ms)} ms`);
		}
		assert.equal(await shardReady(2), false, 'shard 2 still answers its probe');
	} finally {
		releaseShard(2);
	}
	await until(30000, async () => (await tile(GW_A, 10, 80, token)).status === 200,
		{ intervalMs: 200, what: 'SW tile served again at A' });
	await until(30000, () => shardReady(2), { intervalMs: 200, what: 'shard 2 /readyz 200' });
	assert.notEqual(shardPid(2), oldPid, 'shard 2 was not restarted');
	for (const base of [GW_A, GW_B]) for (let s = 0; s < 4; s++) await assertServed(base, s);
});

test('GET /game/generation still answers while shard 0 is down', async () => {
	try {
		await killShard(0);
		await assertUnavailable(GW_A, 10, 10);
		for (const base of [GW_A, GW_B]) {
			const r = await get(base, '/game/generation', { timeoutMs: 5000 });
			const g = assertOk(r, `${base} generation`);
			assert.equal(g.id, 1);
			assert.ok(r.ms < 2500, `generation took ${Math.round(r.ms)} ms`);
		}
	} finally {
		releaseShard(0);
	}
	await until(30000, () => shardReady(0), { intervalMs: 200, what: 'shard 0 /readyz 200' });
	for (const base of [GW_A, GW_B]) {
		await until(30000, async () => (await tile(base, 10, 10, token)).status === 200,
			{ intervalMs: 200, what: `NW tile served again at ${base}` });
		for (let s = 0; s < 4; s++) await assertServed(base, s);
	}
});
