// fog.test.mjs: fog of war and the Forsaken.  In worlds made by random
// wallets (placement is drawn from the address), no route shows a player
// what the fog hides of another's land: GET /territory, /army/:id,
// /game/map and /player/:address/public.  Then a player's army attacks a
// Forsaken village it can see, whatever the planning phase and its own
// protection, and the battle's outcome is the tile's.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { GW_A, GW_B, buildAndWait, env, get, post, register, shardOf, signIn, trained, until, walletOnShard } from './lib.mjs';

const ok2xx = (res, what) => {
	assert.ok(res.status === 200 || res.status === 201, `${what}: got ${res.status} ${res.text.slice(0, 300)}`);
	return res.json;
};
const tid = (x, y) => y * env.mapWidth + x;
const cheb = (a, b) => Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y));
const HIDDEN = { owner: null, garrison: null, buildings: [], trust: null, lastActivity: null };

describe('fog of war', () => {
	const shard = 1;
	const players = [];
	let stranger;

	before(async () => {
		for (let i = 0; i < 3; i++) {
			const p = await signIn({ wallet: walletOnShard(shard), challengeAt: i % 2 ? GW_B : GW_A });
			p.reg = await register(p.address, i === 0 ? 'korrath' : 'vaelthir', { premium: i === 0 });
			players.push(p);
		}
		stranger = await signIn({ wallet: walletOnShard((shard + 2) % env.shardCount) });
		await register(stranger.address, 'ashborn');
	});

	test('a stranger sees terrain only of other players\' land, through every route', async () => {
		for (const p of players) {
			for (const plot of p.reg.plots) {
				const t = ok2xx(await get(GW_A, `/territory/${plot.x}/${plot.y}`, { token: stranger.token }), 'tile');
				assert.equal(t.visibility, 'distant', `${plot.x},${plot.y}`);
				for (const [k, v] of Object.entries(HIDDEN)) assert.deepEqual(t[k], v, `${k} of ${plot.x},${plot.y} is hidden`);
				for (const k of ['resources', 'buildingDetails', 'hasOwner', 'hasArmy', 'armySize']) {
					assert.equal(t[k], undefined, `${k} of ${plot.x},${plot.y} is absent`);
				}
			}
			const pub = ok2xx(await get(GW_B, `/player/${p.address}/public`, { token: stranger.token }), 'public');
			assert.deepEqual(pub.territories, []);
			assert.equal(pub.territoryCount, p.reg.plots.length);
			const anon = ok2xx(await get(GW_A, `/player/${p.address}/public`), 'anonymous public');
			assert.deepEqual(anon.territories, []);
			const army = await get(GW_A, `/army/${p.reg.armyId}`, { token: stranger.token });
			assert.equal(army.status, 403);
			assert.equal(army.json.error.code, 'NOT_OWNER');
		}
		const map = ok2xx(await get(GW_A, '/game/map', { token: stranger.token }), 'map');
		const mine = new Set(players.map((p) => p.address.toLowerCase()));
		assert.ok(!map.territories.some((t) => t.owner && mine.has(t.owner.toLowerCase())), 'no owner of theirs on the stranger\'s map');
	});

	test('each player sees its own land whole, its neighbourhood in part, the others not at all', async () => {
		for (const p of players) {
			const others = players.filter((q) => q !== p).flatMap((q) => q.reg.plots);
			for (const plot of p.reg.plots) {
				const t = ok2xx(await get(GW_B, `/territory/${plot.x}/${plot.y}`, { token: p.token }), 'own tile');
				assert.equal(t.visibility, 'owned');
				assert.equal(t.owner.toLowerCase(), p.address.toLowerCase());
				assert.ok(t.resources, 'the owner sees the stock');
			}
			// The ring around its land: adjacent (presence only) unless it is the player's own.
			const start = p.reg.plots[0];
			for (let dy = -2; dy <= 2; dy++) {
				for (let dx = -2; dx <= 2; dx++) {
					const x = start.x + dx, y = start.y + dy;
					// A shard sees its own region (until the map-wide replica).
					if (p.reg.plots.some((q) => q.x === x && q.y === y) || shardOf(x, y) !== shard) continue;
					const t = ok2xx(await get(GW_A, `/territory/${x}/${y}`, { token: p.token }), 'ring tile');
					assert.equal(t.visibility, 'adjacent', `${x},${y} near ${start.x},${start.y}`);
					assert.equal(t.owner, null);
					assert.equal(typeof t.hasOwner, 'boolean');
					assert.equal(t.resources, undefined);
				}
			}
			// Other players' land, 3 empty tiles away at least: never closer than adjacent.
			for (const o of others) {
				const t = ok2xx(await get(GW_A, `/territory/${o.x}/${o.y}`, { token: p.token }), 'other tile');
				const near = p.reg.plots.some((q) => cheb(q, o) <= 2);
				assert.equal(t.visibility, near ? 'adjacent' : 'distant', `${o.x},${o.y} from ${p.address}`);
				assert.equal(t.owner, null, 'another player\'s owner is hidden');
				assert.equal(t.resources, undefined);
			}
		}
	});

	test('a Forsaken village in sight can be attacked at once, and the battle decides the tile', async () => {
		// Find a village within sight of some player's land (registering
		// more players in the rare world where none is in sight).
		const sight = async (p) => {
			for (const plot of p.reg.plots) {
				for (let dy = -2; dy <= 2; dy++) {
					for (let dx = -2; dx <= 2; dx++) {
						const x = plot.x + dx, y = plot.y + dy;
						if (x < 0 || y < 0 || x >= env.mapWidth || y >= env.mapHeight || shardOf(x, y) !== shard) continue;
						const t = ok2xx(await get(GW_A, `/territory/${x}/${y}`, { token: p.token }), 'ring');
						if (t.forsaken) return { x, y, type: t.forsaken };
					}
				}
			}
			return null;
		};
		let p = null, village = null;
		for (let i = 0; !village && i < 12; i++) {
			if (i >= players.length) {
				const q = await signIn({ wallet: walletOnShard(shard) });
				q.reg = await register(q.address, 'korrath', { premium: true });
				players.push(q);
			}
			p = players[i];
			village = await sight(p);
		}
		assert.ok(village, 'some player has a Forsaken village in sight');
		assert.ok(['hamlet', 'village', 'town', 'stronghold'].includes(village.type));
		const home = p.reg.plots[0];
		const units = p === players[0] || p.reg.plots.length === 10 ? { rageborn: 100 } : { crimsonblade: 15 };
		await buildAndWait(GW_A, p.token, home, 'barracks');
		const c = ok2xx(await post(GW_A, '/army/create', { territoryId: tid(home.x, home.y), units }, { token: p.token }), 'create');
		await trained(GW_A, p.token, c.armyId);
		// No PvP rule stops an attack on the Forsaken: not the planning
		// phase, not the attacker's own protection.
		const at = await post(GW_A, `/army/${c.armyId}/attack`, { target: { x: village.x, y: village.y } }, { token: p.token });
		assert.equal(at.status, 201, at.text); // land is connected: there is a way
		ok2xx(await post(GW_B, `/combat/${at.json.combatId}/reveal`, { salt: at.json.salt }, { token: p.token }), 'reveal');
		const res = await until(20000, async () => {
			const r = (await get(GW_A, `/combat/${at.json.combatId}/result`)).json;
			return r.status === 'completed' && r;
		}, { what: 'the battle against the Forsaken is fought' });
		assert.equal(res.defender, '');
		assert.ok(Object.keys(res.result.defenderUnits).length > 0, 'the village had a garrison');
		assert.ok(res.rounds.length >= 1);
		const t = ok2xx(await get(GW_A, `/territory/${village.x}/${village.y}`, { token: p.token }), 'village');
		if (res.result.winner === 'attacker') {
			assert.equal(res.winner.toLowerCase(), p.address.toLowerCase());
			assert.equal(t.visibility, 'owned');
			assert.equal(t.garrison, c.armyId);
			assert.equal(t.forsaken, null, 'a conquered village is gone');
		} else {
			assert.equal(res.winner, res.result.winner === 'draw' ? null : 'forsaken');
			assert.equal(t.owner, null);
			assert.equal(t.forsaken, village.type, 'the village stands');
		}
	});
});
