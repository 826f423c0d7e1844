// replica.test.mjs: the map-wide replica.  Two players homed on different
// shards ally: on the shard that holds the other's land, each sees it as
// an ally's and may read its army, though neither is homed there (the
// alliance reaches that shard over Redis pub/sub).  When one leaves, the
// land is a stranger's again.  The alliance's member list names each
// member once, whichever shards know of it.  And a player's land seen
// from across a region border counts: the tile next to it, in the
// neighbouring shard's region, is at least adjacent.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { GW_A, GW_B, env, get, post, register, shardOf, signIn, until, walletOnShard } from './lib.mjs';

const ok2xx = (res, what) => {
	assert.ok(res.status === 200 || res.status === 201, `${what}: got ${res.status} ${res.text.slice(0, 300)}`);
	return res.json;
};

describe('the map-wide replica', () => {
	let A, B, plot, region;

	before(async () => {
		A = await signIn({ wallet: walletOnShard(0) });
		A.reg = await register(A.address, 'ironveld');
		B = await signIn({ wallet: walletOnShard(2), challengeAt: GW_B });
		B.reg = await register(B.address, 'sylvaeth');
		plot = B.reg.plots[0];
		region = shardOf(plot.x, plot.y);
	});

	test('allies homed on different shards are allies on the shard that holds their land', async () => {
		// Neither is homed on every shard involved: the region's shard
		// learns at least one of the two alliances from the replica.
		assert.ok(region !== 0 || region !== 2);
		const before = ok2xx(await get(GW_A, `/territory/${plot.x}/${plot.y}`, { token: A.token }), 'tile before');
		assert.notEqual(before.visibility, 'allied');
		assert.equal((await get(GW_A, `/army/${B.reg.armyId}`, { token: A.token })).status, 403);

		const a = ok2xx(await post(GW_A, '/alliance/create', { name: `Replica ${Date.now() % 100000}` }, { token: A.token }), 'create');
		ok2xx(await post(GW_B, `/alliance/${a.allianceId}/join`, {}, { token: B.token }), 'join');
		await until(5000, async () => {
			const t = await get(GW_A, `/territory/${plot.x}/${plot.y}`, { token: A.token });
			return t.status === 200 && t.json.visibility === 'allied';
		}, { what: `A sees B's ${plot.x},${plot.y} (shard ${region}) as an ally's` });
		const t = ok2xx(await get(GW_B, `/territory/${plot.x}/${plot.y}`, { token: A.token }), 'tile');
		assert.equal(t.owner.toLowerCase(), B.address.toLowerCase());
		const army = ok2xx(await get(GW_A, `/army/${B.reg.armyId}`, { token: A.token }), 'ally\'s army');
		assert.equal(army.id, B.reg.armyId);

		const m = ok2xx(await get(GW_B, `/alliance/${a.allianceId}/members`), 'members');
		const names = m.members.map((x) => x.address.toLowerCase()).sort();
		assert.deepEqual(names, [A.address.toLowerCase(), B.address.toLowerCase()].sort(), 'each member once');

		ok2xx(await post(GW_A, `/alliance/${a.allianceId}/leave`, {}, { token: B.token }), 'leave');
		await until(5000, async () => {
			const r = await get(GW_A, `/army/${B.reg.armyId}`, { token: A.token });
			return r.status === 403;
		}, { what: 'the army hidden again once B left' });
		const after = ok2xx(await get(GW_A, `/territory/${plot.x}/${plot.y}`, { token: A.token }), 'tile after');
		assert.notEqual(after.visibility, 'allied');
	});

	test('land across a region border lets its owner see the tiles next to it', async () => {
		// Premium players until one holds a plot whose neighbour across a
		// region border is seen by no land of its own in that region:
		// only the replica can tell that shard about the plot.
		const cheb = (a, b) => Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y));
		let found;
		for (let i = 0; i < 40 && !found; i++) {
			const P = await signIn();
			P.reg = await register(P.address, 'ironveld', { premium: true });
			for (const p of P.reg.plots) {
				for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
					const q = { x: p.x + dx, y: p.y + dy };
					if (q.x < 0 || q.y < 0 || q.x >= env.mapWidth || q.y >= env.mapHeight) continue;
					const s = shardOf(q.x, q.y);
					if (s === shardOf(p.x, p.y)) continue;
					if (P.reg.plots.some((o) => shardOf(o.x, o.y) === s && cheb(o, q) <= 2)) continue;
					found = { P, p, q };
				}
			}
		}
		assert.ok(found, 'a premium cluster by a region border within 40 players');
		const { P, p, q } = found;
		await until(5000, async () => {
			const t = await get(GW_A, `/territory/${q.x}/${q.y}`, { token: P.token });
			return t.status === 200 && t.json.visibility === 'adjacent';
		}, { what: `${q.x},${q.y} (shard ${shardOf(q.x, q.y)}) seen from ${p.x},${p.y} (shard ${shardOf(p.x, p.y)})` });
		// A stranger with no land near it does not see it.
		const stranger = [A, B].find((s) => s.reg.plots.every((o) => cheb(o, q) > 4));
		if (stranger) {
			const t = ok2xx(await get(GW_B, `/territory/${q.x}/${q.y}`, { token: stranger.token }), 'stranger');
			assert.equal(t.visibility, 'distant');
		}
	});
});
