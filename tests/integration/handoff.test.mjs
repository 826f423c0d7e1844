// handoff.test.mjs: armies cross shard borders.  An army marches to a tile
// of another shard's region; when it arrives, that shard holds it (it
// answers for it, its row stands on the new tile, the hand-off row is
// gone once acknowledged) with its units and morale; it marches back and
// its home shard holds it again.  And a hand-off whose destination is
// down when the army arrives is committed by the source, found by the
// destination when it starts, and acknowledged after the source sends it
// again: the army is held by exactly one shard.  An attack on another
// region's tile is fought by that region's shard.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	GW_A, GW_B, buildAndWait, env, get, killShard, post, psql, register, releaseShard, shardOf, shardReady, signIn,
	trained, until, walletOnShard,
} from './lib.mjs';

const ok2xx = (res, what) => {
	assert.ok(res.status === 200 || res.status === 201, `${what}: got ${res.status} ${res.text.slice(0, 300)}`);
	return res.json;
};
const tid = (x, y) => y * env.mapWidth + x;

// across finds land tiles of other regions near (x, y), nearest first.
function across(map, x, y) {
	const home = shardOf(x, y);
	return map.territories
		.filter((t) => t.terrain !== 'river' && shardOf(t.x, t.y) !== home && !t.owner)
		.map((t) => ({ x: t.x, y: t.y, d: Math.max(Math.abs(t.x - x), Math.abs(t.y - y)) }))
		.sort((a, b) => a.d - b.d);
}

describe('cross-shard moves', () => {
	let P, home, map;

	// raise makes a trained field army of n Rageborn on the home plot.
	async function raise(n) {
		const c = ok2xx(await post(GW_A, '/army/create', { territoryId: tid(home.x, home.y), units: { rageborn: n } }, { token: P.token }), 'create');
		await trained(GW_A, P.token, c.armyId);
		return c.armyId;
	}

	// march sends army id to the first reachable tile of the list.
	async function march(id, dests) {
		for (const d of dests.slice(0, 20)) {
			const r = await post(GW_B, `/army/${id}/move`, { destination: { x: d.x, y: d.y } }, { token: P.token });
			if (r.status === 200) return { dest: { x: d.x, y: d.y }, move: r.json };
			assert.equal(r.status, 422, `move to ${d.x},${d.y}: ${r.text}`);
		}
		throw new Error('no reachable tile across the border');
	}

	async function heldBy(id, dest) {
		let seen;
		await until(15000, async () => {
			const r = await get(GW_A, `/army/${id}`, { token: P.token });
			seen = r;
			return r.status === 200 && r.json.status === 'idle' && r.json.location.x === dest.x &&
				r.json.location.y === dest.y && r.headers.get('x-shard') === String(shardOf(dest.x, dest.y));
		}, { what: `army ${id} held at ${dest.x},${dest.y} by shard ${shardOf(dest.x, dest.y)}` });
		return seen.json;
	}

	async function handoffRows(id) {
		return psql(`SELECT from_shard, to_shard FROM army_handoffs WHERE army_id = ${id}`);
	}

	before(async () => {
		P = await signIn({ wallet: walletOnShard(0) });
		P.reg = await register(P.address, 'korrath', { premium: true });
		home = P.reg.plots[0];
		map = ok2xx(await get(GW_A, '/game/map', { token: P.token }), 'map');
		await buildAndWait(GW_A, P.token, home, 'barracks');
	});

	test('an army marches into another region, is held there, and marches back', async () => {
		const id = await raise(20);
		const { dest, move } = await march(id, across(map, home.x, home.y));
		assert.ok(move.path.some((t) => shardOf(t.x, t.y) !== shardOf(home.x, home.y)), 'the path crosses the border');
		const a = await heldBy(id, dest);
		// Its units came along (hungry game days on the way may have
		// thinned them, never added any), as PostgreSQL holds them.
		assert.deepEqual(Object.keys(a.units), ['rageborn']);
		assert.ok(a.units.rageborn >= 1 && a.units.rageborn <= 20, JSON.stringify(a.units));
		const units = await psql(`SELECT unit_type, count FROM army_units WHERE army_id = ${id}`);
		assert.equal(units.length, 1);
		assert.equal(Number(units[0][1]), a.units.rageborn);
		const rows = await psql(`SELECT x, y, status FROM armies WHERE id = ${id}`);
		assert.deepEqual(rows, [[String(dest.x), String(dest.y), 'idle']]);
		await until(15000, async () => (await handoffRows(id)).length === 0, { what: 'the hand-off acknowledged' });
		// The shard that holds it now sends it home.
		const back = ok2xx(await post(GW_A, `/army/${id}/move`, { destination: home }, { token: P.token }), 'move back');
		assert.ok(Date.parse(back.arrivalTime) > Date.now() - 1000);
		await heldBy(id, home);
		await until(15000, async () => (await handoffRows(id)).length === 0, { what: 'the way back acknowledged' });
	});

	test('an attack across a border is fought by the shard of the defender\'s tile', async () => {
		const Q = await signIn({ wallet: walletOnShard(1), challengeAt: GW_B });
		Q.reg = await register(Q.address, 'ironveld', { premium: true });
		const id = await raise(60);
		// Q has just joined: attack once the planning phase and its
		// protection are over (game time runs fast here).
		let at, target;
		await until(60000, async () => {
			for (const p of Q.reg.plots) {
				const r = await post(GW_A, `/army/${id}/attack`, { target: p }, { token: P.token });
				if (r.status === 201) {
					at = r.json;
					target = p;
					return true;
				}
				assert.ok(r.status === 409 || r.status === 422, `attack ${p.x},${p.y}: ${r.text}`);
				if (r.status === 409) {
					assert.ok(['PVP_DISABLED', 'TARGET_PROTECTED'].includes(r.json.error.code), r.text);
				}
			}
			return false;
		}, { intervalMs: 500, what: 'Q can be attacked across the border' });
		assert.notEqual(shardOf(target.x, target.y), shardOf(home.x, home.y));
		ok2xx(await post(GW_B, `/combat/${at.combatId}/reveal`, { salt: at.salt }, { token: P.token }), 'reveal');
		let res;
		await until(20000, async () => {
			const r = await get(GW_A, `/combat/${at.combatId}/result`);
			res = r;
			return r.status === 200 && r.json.status === 'completed';
		}, { what: 'the battle across the border is fought' });
		assert.equal(res.headers.get('x-shard'), String(shardOf(target.x, target.y)), 'fought by the tile\'s shard');
		assert.equal(res.json.defender.toLowerCase(), Q.address.toLowerCase());
		await until(15000, async () => (await handoffRows(id)).length === 0, { what: 'the battle\'s hand-off acknowledged' });
		if (res.json.result.winner === 'attacker') {
			// The army holds the tile, on the tile's shard.
			await heldBy(id, target);
			const t = ok2xx(await get(GW_A, `/territory/${target.x}/${target.y}`, { token: P.token }), 'tile');
			assert.equal(t.owner.toLowerCase(), P.address.toLowerCase());
		} else {
			// Beaten: the survivors are back where they marched from.
			const a = await get(GW_A, `/army/${id}`, { token: P.token });
			if (a.status === 200) await heldBy(id, home);
		}
		// What the battle did to P (homed on shard 0) went home: the
		// Korrath's Blood Frenzy after attacking is in its record (no
		// attack of P's before), and no change is left unapplied.
		await until(15000, async () => {
			// (It lasts 24 game hours, 2.4 s here: that it was set.)
			const [[on]] = await psql(`SELECT coalesce(frenzy_until > '2001-01-01', false)
				FROM players WHERE address = '${P.address.toLowerCase()}'`);
			const left = await psql(`SELECT id FROM player_syncs WHERE player = '${P.address.toLowerCase()}'`);
			return on === 't' && left.length === 0;
		}, { what: 'the Blood Frenzy of the battle across the border kept by P\'s home shard' });
		const rows = await psql(`SELECT event_type FROM events WHERE data->>'combatId' = '${at.combatId}'`);
		const kinds = rows.map((r) => r[0]);
		for (const k of ['combat_started', 'combat_revealed', 'combat_resolved']) {
			assert.ok(kinds.includes(k), `event ${k} recorded (got ${kinds})`);
		}
	});

	test('a hand-off to a shard that is down is found when it starts', async () => {
		const id = await raise(10);
		const dests = across(map, home.x, home.y);
		const { dest } = await march(id, dests);
		const D = shardOf(dest.x, dest.y);
		await killShard(D);
		try {
			// The source commits the hand-off at the arrival, alone.
			await until(15000, async () => (await handoffRows(id)).length === 1, { what: 'the hand-off committed' });
			const rows = await psql(`SELECT x, y FROM armies WHERE id = ${id}`);
			assert.deepEqual(rows, [[String(dest.x), String(dest.y)]]);
		} finally {
			releaseShard(D);
		}
		await until(30000, () => shardReady(D), { what: `shard ${D} back` });
		await heldBy(id, dest);
		// Sent again by the source's sweep, acknowledged: the row goes.
		await until(15000, async () => (await handoffRows(id)).length === 0, { what: 'acknowledged after the restart' });
		// Held by exactly one shard: the source does not answer for it.
		const src = await get(GW_A, `/army/${id}`, { token: P.token });
		assert.equal(src.headers.get('x-shard'), String(D));
	});
});
