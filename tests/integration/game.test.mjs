// game.test.mjs: the game through the REST API on a real cluster: players
// registered by ndctl, buildings, armies raised, moved and sent to attack,
// the commit-reveal of a battle and its result, alliances, the
// leaderboard, the map, and the refusals each step can meet.  Game time
// runs ND_TIME_SCALE times faster (tests/run.sh).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { getBytes, hexlify, keccak256, randomBytes, solidityPackedKeccak256, toUtf8Bytes } from 'ethers';

import {
	GW_A, GW_B, assertError, buildAndWait, env, get, homeShard, landPath, post, psql, register, shardOf, signIn,
	trained, until, walletOnShard, zoneOf,
} from './lib.mjs';

const ok2xx = (res, what) => {
	assert.ok(res.status === 200 || res.status === 201, `${what}: got ${res.status} ${res.text.slice(0, 300)}`);
	return res.json;
};
const tid = (x, y) => y * env.mapWidth + x;

describe('a game between registered players', () => {
	// A and B share a home shard (so their plots share a region and can
	// fight); C lives elsewhere.
	const shard = 2;
	let A, B, C, E, regA, regB, regE, map, dayA;
	let bonus = 100; // percent of the starting stock: 125 for late joiners

	before(async () => {
		A = await signIn({ wallet: walletOnShard(shard) });
		B = await signIn({ wallet: walletOnShard(shard), challengeAt: GW_B });
		C = await signIn({ wallet: walletOnShard((shard + 1) % env.shardCount) });
	});

	test('a signed-in address that is not registered is refused game actions', async () => {
		assertError(await get(GW_A, '/player/state', { token: A.token }), 403, 'NOT_REGISTERED');
		assertError(await post(GW_A, '/alliance/create', { name: 'Nobodies' }, { token: A.token }), 403, 'NOT_REGISTERED');
		assertError(await get(GW_A, `/player/${A.address}/public`), 404, 'PLAYER_NOT_FOUND');
	});

	test('registration gives clustered Outer Ring plots on land, once per generation', async () => {
		// The game day around A's registration: from day 6 (game time)
		// a late joiner starts with 25% more gold, stone, wood and food.
		const dayBefore = (await get(GW_A, '/game/generation')).json.day;
		regA = await register(A.address, 'korrath', { premium: true, name: "Grim Tusk" });
		dayA = [dayBefore, (await get(GW_A, '/game/generation')).json.day];
		regB = await register(B.address, 'ironveld', { cls: 'merchantprince', skill: 'B' });
		await register(C.address, 'sylvaeth');
		assert.equal(regA.created, true);
		assert.equal(regA.plots.length, 10);
		assert.equal(regB.plots.length, 2);
		assert.equal(regA.shard, shard);
		map = ok2xx(await get(GW_A, '/game/map'), 'map');
		const terrain = new Map(map.territories.map((t) => [`${t.x},${t.y}`, t.terrain]));
		const seen = new Set();
		for (const p of [...regA.plots, ...regB.plots]) {
			assert.equal(zoneOf(p.x, p.y), 'outer', `plot ${p.x},${p.y} is in the Outer Ring`);
			assert.ok(['plains', 'forest'].includes(terrain.get(`${p.x},${p.y}`)), `plot ${p.x},${p.y} is on plains or forest`);
			assert.equal(shardOf(p.x, p.y), shard, 'plots are in the home region');
			assert.ok(!seen.has(`${p.x},${p.y}`), 'no plot is given twice');
			seen.add(`${p.x},${p.y}`);
		}
		// At least 3 empty tiles between two players' starting land.
		for (const a of regA.plots) {
			for (const b of regB.plots) {
				assert.ok(Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y)) >= 4, `A ${a.x},${a.y} and B ${b.x},${b.y} are 3 tiles apart`);
			}
		}
		// Clustered: every plot touches another of the same player.
		for (const plots of [regA.plots, regB.plots]) {
			for (const p of plots) {
				assert.ok(plots.some((q) => q !== p && Math.max(Math.abs(q.x - p.x), Math.abs(q.y - p.y)) === 1));
			}
		}
		const again = await register(A.address, 'korrath', { premium: true });
		assert.equal(again.created, false);
		assert.deepEqual(new Set(again.plots.map((p) => `${p.x},${p.y}`)), new Set(regA.plots.map((p) => `${p.x},${p.y}`)));
	});

	test('the generation and a player state show the registration', async () => {
		// The count is a map-wide fact each shard re-reads every second.
		const g = await until(5000, async () => {
			const r = ok2xx(await get(GW_B, '/game/generation'), 'generation');
			return r.playerCount >= 3 && r;
		}, { what: 'the player count includes the registrations' });
		assert.match(g.secretHash, /^0x[0-9a-f]{64}$/);
		assert.equal(g.secret, null);
		const s = ok2xx(await get(GW_A, '/player/state', { token: A.token }), 'state');
		assert.equal(s.race, 'korrath');
		assert.equal(s.premium, true);
		assert.equal(s.captain.name, 'Grim Tusk');
		assert.equal(s.territories.length, 10);
		// The premium stock, a quarter more for a late joiner; each day
		// since (2.4 s here) has brought 10 mana and eaten 10 food.
		const late = s.resources.gold === 6250;
		if (dayA[0] >= 6) assert.ok(late, `joined on day ${dayA[0]}: a late joiner`);
		if (dayA[1] < 6) assert.ok(!late, `joined on day ${dayA[1]}: in the planning phase`);
		const k = s.resources.mana / 10;
		assert.ok(Number.isInteger(k) && k <= 2, `mana ${s.resources.mana}`);
		bonus = late ? 125 : 100;
		assert.deepEqual(s.resources, { gold: 50 * bonus, stone: 20 * bonus, wood: 20 * bonus, food: 10 * bonus - 10 * k, mana: 10 * k });
		assert.equal(s.armies.length, 1);
		assert.deepEqual(s.armies[0].units, { warshield: 10 });
		assert.equal(s.armies[0].garrison, true);
		const pub = ok2xx(await get(GW_B, `/player/${B.address.toUpperCase().replace('0X', '0x')}/public`), 'public');
		assert.equal(pub.race, 'ironveld');
		// Fog of war: an anonymous asker learns how much land, not where.
		assert.equal(pub.territories.length, 0);
		assert.equal(pub.territoryCount, 2);
		const own = ok2xx(await get(GW_B, `/player/${B.address}/public`, { token: B.token }), 'own public');
		assert.equal(own.territories.length, 2);
		const far = ok2xx(await get(GW_B, `/player/${B.address}/public`, { token: C.token }), 'stranger public');
		assert.equal(far.territoryCount, 2);
		assert.equal(far.territories.length, 0, 'a stranger far away does not see where');
		assert.equal(pub.armies, undefined, 'the public view shows no armies');
	});

	test('building spends the territory stock and completes on time', async () => {
		const p = regB.plots[0];
		const b = ok2xx(await post(GW_A, `/territory/${p.x}/${p.y}/build`, { buildingType: 'farm' }, { token: B.token }), 'build');
		assert.ok(b.buildingId > 0);
		const t = ok2xx(await get(GW_A, `/territory/${p.x}/${p.y}`, { token: B.token }), 'tile');
		assert.deepEqual(t.buildings, [b.buildingId]);
		// B (free, registered with A) started with 1000 gold and 500 wood.
		assert.equal(t.resources.gold, 10 * bonus - 100);
		assert.equal(t.resources.wood, 5 * bonus - 150);
		// Four hours of game time later (0.4 s here) the farm stands.
		const done = await until(10000, async () => {
			const d = ok2xx(await get(GW_B, `/territory/${p.x}/${p.y}`, { token: B.token }), 'tile');
			return d.buildingDetails?.[0]?.complete === true && d;
		}, { what: 'the farm completes' });
		assert.equal(done.buildingDetails[0].type, 'farm');
		assert.ok(Date.parse(done.buildingDetails[0].completionTime) <= Date.now() + 1000);
		await until(5000, async () => (await psql(`SELECT 1 FROM events WHERE event_type = 'building_completed'
			AND data->>'buildingId' = '${b.buildingId}'`)).length === 1, { what: 'building_completed recorded' });
		const other = ok2xx(await get(GW_A, `/territory/${p.x}/${p.y}`, { token: A.token }), 'tile');
		assert.equal(other.resources, undefined, 'only the owner sees the stock');
		assertError(await post(GW_A, `/territory/${p.x}/${p.y}/build`, { buildingType: 'farm' }, { token: A.token }), 403, 'NOT_OWNER');
		assertError(await post(GW_A, `/territory/${p.x}/${p.y}/build`, { buildingType: 'castle' }, { token: B.token }), 400, 'INVALID_BUILDING');
		assertError(await post(GW_A, `/territory/${p.x}/${p.y}/build`, { buildingType: 'wall' }, { token: B.token }), 409, 'INSUFFICIENT_RESOURCES');
		assertError(await post(GW_A, `/territory/${p.x}/${p.y}/build`, { buildingType: 'market' }, { token: B.token }), 409, 'MISSING_PREREQUISITE');
		assertError(await post(GW_A, `/territory/${p.x}/${p.y}/build`, { buildingType: 'farm' }, { token: C.token }), 403, 'NOT_OWNER');
	});

	let armyId;
	test('an army is raised, moved along a path and arrives', async () => {
		const home = regA.plots[0];
		assertError(await post(GW_A, '/army/create', { territoryId: tid(home.x, home.y), units: { zephyr: 5 } }, { token: A.token }), 400, 'INVALID_UNITS');
		// Attackers train at a Barracks, completed, on the territory.
		assertError(await post(GW_A, '/army/create', { territoryId: tid(home.x, home.y), units: { rageborn: 100 } }, { token: A.token }), 409, 'MISSING_BUILDING');
		await buildAndWait(GW_A, A.token, home, 'barracks');
		assertError(await post(GW_A, '/army/create', { territoryId: tid(home.x, home.y), units: { rageborn: 1000 } }, { token: A.token }), 409, 'INSUFFICIENT_RESOURCES');
		const c = ok2xx(await post(GW_A, '/army/create', { territoryId: tid(home.x, home.y), units: { rageborn: 100 } }, { token: A.token }), 'create');
		armyId = c.armyId;
		const a = ok2xx(await get(GW_B, `/army/${armyId}`, { token: A.token }), 'army');
		assert.deepEqual(a.location, { x: home.x, y: home.y });
		assert.deepEqual(a.units, { rageborn: 100 });
		// 100 Rageborn: 10 batches of 1.5 hours: 15 hours of game time.
		assert.equal(a.status, 'training');
		assert.ok(Date.parse(a.arrivalTime) > Date.now() - 1000, 'trained later');
		assertError(await post(GW_A, `/army/${armyId}/move`, { destination: regA.plots[1] }, { token: A.token }), 409, 'ARMY_BUSY');
		await trained(GW_A, A.token, armyId);
		assertError(await get(GW_B, `/army/${armyId}`, { token: B.token }), 403, 'NOT_OWNER');
		assertError(await get(GW_B, `/army/${armyId}`, { token: C.token }), 403, 'NOT_OWNER');
		const s = ok2xx(await get(GW_A, '/player/state', { token: A.token }), 'state');
		assert.equal(s.resources.gold, 50 * bonus - 200 - 3500); // the Barracks, the army
		// Walk next to B's first plot over land, then attack it.
		const target = regB.plots[0];
		let stand = null;
		for (let dy = -1; dy <= 1 && !stand; dy++) {
			for (let dx = -1; dx <= 1 && !stand; dx++) {
				const x = target.x + dx, y = target.y + dy;
				if ((dx || dy) && landPath(map, home.x, home.y, x, y) && !regB.plots.some((p) => p.x === x && p.y === y)) stand = { x, y };
			}
		}
		assert.ok(stand, 'a land tile next to the target is reachable');
		const path = landPath(map, home.x, home.y, stand.x, stand.y);
		if (path.length > 0) {
			const m = ok2xx(await post(GW_A, `/army/${armyId}/move`, { destination: stand, path }, { token: A.token }), 'move');
			assert.deepEqual(m.path.at(-1), stand);
			assert.ok(Date.parse(m.arrivalTime) > Date.now() - 1000);
			assertError(await post(GW_A, `/army/${armyId}/move`, { destination: home }, { token: A.token }), 409, 'ARMY_BUSY');
			await until(15000, async () => {
				const a2 = (await get(GW_A, `/army/${armyId}`, { token: A.token })).json;
				return a2.status === 'idle' && a2.location.x === stand.x && a2.location.y === stand.y;
			}, { what: 'the army arrives' });
		}
		assertError(await post(GW_A, `/army/${armyId}/move`, { destination: { x: 200, y: 5 } }, { token: A.token }), 400, 'INVALID_COORD');
		const water = map.territories.find((t) => t.terrain === 'river' && shardOf(t.x, t.y) === shard);
		assertError(await post(GW_A, `/army/${armyId}/move`, { destination: { x: water.x, y: water.y } }, { token: A.token }), 422, 'NO_PATH');
		assertError(await post(GW_A, `/army/${armyId}/move`, { destination: home, path: [{ x: 0, y: 0 }] }, { token: A.token }), 400, 'INVALID_PATH');
		assertError(await post(GW_A, '/army/99999999/move', { destination: home }, { token: A.token }), 404, 'ARMY_NOT_FOUND');
	});

	test('an attack commits, a wrong salt is refused, the reveal resolves the battle', async () => {
		const target = regB.plots[0];
		assertError(await post(GW_A, `/army/${armyId}/attack`, { target: regA.plots[1] }, { token: A.token }), 409, 'INVALID_TARGET');
		// The client commits: keccak256(uint8 x, uint8 y, bytes32 armyHash, bytes32 salt).
		// armyHash: keccak256 of "unit=count;" in the rules' unit order, as
		// the army stands when it attacks (hungry days may thin it).
		const salt = hexlify(randomBytes(32));
		const commitFor = async () => {
			const a = ok2xx(await get(GW_A, `/army/${armyId}`, { token: A.token }), 'army');
			const armyHash = keccak256(toUtf8Bytes(Object.entries(a.units).map(([u, n]) => `${u}=${n};`).join('')));
			return solidityPackedKeccak256(['uint8', 'uint8', 'bytes32', 'bytes32'], [target.x, target.y, armyHash, salt]);
		};
		let commitHash;
		// A player who has just joined is protected: the planning phase, or
		// ten days of new-player protection, keep attacks off its land.
		E = await signIn({ wallet: walletOnShard(shard) });
		regE = await register(E.address, 'sylvaeth');
		const early = await post(GW_A, `/army/${armyId}/attack`, { target: regE.plots[0] }, { token: A.token });
		assert.equal(early.status, 409, early.text);
		assert.ok(['PVP_DISABLED', 'TARGET_PROTECTED'].includes(early.json.error.code), early.text);
		// B joined earlier: attack once its protection is over.
		const at = await until(60000, async () => {
			commitHash = await commitFor();
			const r = await post(GW_A, `/army/${armyId}/attack`, { target, commitHash }, { token: A.token });
			if (r.status === 409 && ['PVP_DISABLED', 'TARGET_PROTECTED'].includes(r.json.error.code)) return false;
			return r;
		}, { intervalMs: 500, what: 'B can be attacked' });
		assert.equal(at.status, 201, at.text);
		const [[aProtected]] = await psql(`SELECT protected_until > NOW() FROM players WHERE address = '${A.address.toLowerCase()}'`);
		assert.equal(aProtected, 'f', 'attacking a player ends one\'s own protection');
		assert.equal(at.json.commitHash, commitHash);
		assert.equal(at.json.salt, undefined, 'the client drew the salt');
		const combatId = at.json.combatId;
		assertError(await post(GW_A, `/army/${armyId}/attack`, { target }, { token: A.token }), 409, 'ARMY_BUSY');
		assertError(await post(GW_B, `/combat/${combatId}/reveal`, { salt }, { token: B.token }), 403, 'NOT_OWNER');
		assertError(await post(GW_B, `/combat/${combatId}/reveal`, { salt: hexlify(randomBytes(32)) }, { token: A.token }), 400, 'INVALID_REVEAL');
		assertError(await post(GW_B, `/combat/${combatId}/reveal`, { salt: '0x12' }, { token: A.token }), 400, 'INVALID_SALT');
		const pending = ok2xx(await get(GW_B, `/combat/${combatId}/result`), 'result');
		assert.equal(pending.status, 'pending');
		assert.equal(pending.winner, null);
		const rv = ok2xx(await post(GW_B, `/combat/${combatId}/reveal`, { salt }, { token: A.token }), 'reveal');
		assert.equal(rv.revealed, true);
		assertError(await post(GW_B, `/combat/${combatId}/reveal`, { salt }, { token: A.token }), 409, 'COMBAT_NOT_PENDING');
		const res = await until(15000, async () => {
			const r = (await get(GW_A, `/combat/${combatId}/result`)).json;
			return r.status === 'completed' && r;
		}, { what: 'the battle is resolved' });
		assert.equal(res.winner.toLowerCase(), A.address.toLowerCase());
		assert.equal(res.defender.toLowerCase(), B.address.toLowerCase());
		assert.deepEqual(res.casualties.defender, { stoneshield: 10 });
		assert.match(res.resultHash, /^0x[0-9a-f]{64}$/);
		const t = ok2xx(await get(GW_A, `/territory/${target.x}/${target.y}`, { token: A.token }), 'tile');
		assert.equal(t.owner.toLowerCase(), A.address.toLowerCase());
		assert.equal(t.garrison, armyId);
		const pub = ok2xx(await get(GW_A, `/player/${B.address}/public`), 'public');
		assert.equal(pub.territoryCount, 1);
		assert.equal(pub.territories.length, 0);
		const rows = await psql(`SELECT event_type FROM events WHERE territory_x = ${target.x} AND territory_y = ${target.y}`);
		const kinds = rows.map((r) => r[0]);
		for (const k of ['building_started', 'combat_started', 'combat_revealed', 'combat_resolved', 'territory_captured']) {
			assert.ok(kinds.includes(k), `event ${k} recorded (got ${kinds})`);
		}
		const outbox = await psql(`SELECT kind FROM chain_outbox WHERE payload->>'attackId' = '${combatId}'`);
		assert.deepEqual(outbox.map((r) => r[0]), ['resolveAttack']);
	});

	test('a server-drawn salt opens the commitment it returned', async () => {
		const home = regA.plots[0]; // the stock lies on the first plot
		const c = ok2xx(await post(GW_A, '/army/create', { territoryId: tid(home.x, home.y), units: { warshield: 1 } }, { token: A.token }), 'create');
		await trained(GW_A, A.token, c.armyId);
		const target = regB.plots[1];
		const at = await post(GW_A, `/army/${c.armyId}/attack`, { target }, { token: A.token });
		if (at.status === 422) return; // water on the straight way: nothing to check here
		assert.equal(at.status, 201, at.text);
		assert.match(at.json.salt, /^0x[0-9a-f]{64}$/);
		const armyHash = keccak256(toUtf8Bytes('warshield=1;'));
		assert.equal(at.json.commitHash, solidityPackedKeccak256(['uint8', 'uint8', 'bytes32', 'bytes32'], [target.x, target.y, armyHash, at.json.salt]));
		assert.equal(getBytes(at.json.salt).length, 32);
	});

	test('an attack may carry the player\'s salt instead of a commitment', async () => {
		const home = regA.plots[0];
		const c = ok2xx(await post(GW_A, '/army/create', { territoryId: tid(home.x, home.y), units: { warshield: 2 } }, { token: A.token }), 'create');
		await trained(GW_A, A.token, c.armyId);
		const target = regB.plots[1];
		const salt = hexlify(randomBytes(32));
		assertError(await post(GW_A, `/army/${c.armyId}/attack`, { target, salt, commitHash: salt }, { token: A.token }), 400, 'INVALID_SALT');
		const at = await post(GW_A, `/army/${c.armyId}/attack`, { target, salt }, { token: A.token });
		if (at.status === 422) return; // water on the straight way
		assert.equal(at.status, 201, at.text);
		assert.equal(at.json.salt, undefined, 'the player holds the salt');
		assert.equal(at.json.commitHash, solidityPackedKeccak256(['uint8', 'uint8', 'bytes32', 'bytes32'],
			[target.x, target.y, keccak256(toUtf8Bytes('warshield=2;')), salt]));
	});

	test('alliances: create, join, members, leave, and their refusals', async () => {
		const a = await post(GW_A, '/alliance/create', { name: `Pact ${Date.now() % 100000}` }, { token: A.token });
		assert.equal(a.status, 201, a.text);
		const id = a.json.allianceId;
		assertError(await post(GW_A, '/alliance/create', { name: 'x' }, { token: B.token }), 400, 'INVALID_NAME');
		assertError(await post(GW_A, '/alliance/create', { name: `Pact ${Date.now() % 100000}` }, { token: A.token }), 409, 'ALREADY_IN_ALLIANCE');
		ok2xx(await post(GW_B, `/alliance/${id}/join`, {}, { token: B.token }), 'join B');
		ok2xx(await post(GW_A, `/alliance/${id}/join`, {}, { token: C.token }), 'join C');
		// Allies do not attack each other.
		const home = regA.plots[0];
		const f = ok2xx(await post(GW_A, '/army/create', { territoryId: tid(home.x, home.y), units: { warshield: 1 } }, { token: A.token }), 'create');
		await trained(GW_A, A.token, f.armyId);
		assertError(await post(GW_B, `/army/${f.armyId}/attack`, { target: regB.plots[1] }, { token: A.token }), 409, 'ALLIED_TARGET');
		assertError(await post(GW_A, `/alliance/${id}/join`, {}, { token: B.token }), 409, 'ALREADY_IN_ALLIANCE');
		assertError(await post(GW_A, '/alliance/987654321/join', {}, { token: A.token }), 409, 'ALREADY_IN_ALLIANCE');
		let m = ok2xx(await get(GW_B, `/alliance/${id}/members`), 'members');
		assert.equal(m.members.length, 3);
		assert.equal(m.members.find((x) => x.address.toLowerCase() === A.address.toLowerCase()).role, 'leader');
		ok2xx(await post(GW_A, `/alliance/${id}/leave`, {}, { token: C.token }), 'leave C');
		assertError(await post(GW_A, `/alliance/${id}/leave`, {}, { token: C.token }), 403, 'NOT_MEMBER');
		m = ok2xx(await get(GW_A, `/alliance/${id}/members`), 'members');
		assert.equal(m.members.length, 2);
		assertError(await get(GW_A, '/alliance/987654321/members'), 404, 'ALLIANCE_NOT_FOUND');
		assertError(await post(GW_A, '/alliance/987654321/join', {}, { token: C.token }), 404, 'ALLIANCE_NOT_FOUND');
		const rows = await psql(`SELECT event_type FROM events WHERE event_type = 'alliance_formed' AND data->>'allianceId' = '${id}'`);
		assert.equal(rows.length, 1);
	});

	test('spells check the spell, its target and the caster\'s mana', async () => {
		assertError(await post(GW_A, '/spell/cast', { spellId: 'nope', target: { x: 1, y: 1 } }, { token: A.token }), 400, 'INVALID_SPELL');
		assertError(await post(GW_A, '/spell/cast', { spellId: 'fireball', target: { x: 1, y: 1 } }, { token: A.token }), 400, 'INVALID_TARGET');
		// 200 mana: more than a Korrath without Mage Towers may hold (cap 50).
		assertError(await post(GW_A, '/spell/cast', { spellId: 'titans_wrath', target: regA.plots[0] }, { token: A.token }), 409, 'INSUFFICIENT_MANA');
		// Its damage must land where the tile is: in the caster's region.
		assertError(await post(GW_A, '/spell/cast', { spellId: 'titans_wrath', target: { x: 1, y: 1 } }, { token: A.token }), 409, 'CROSS_REGION');
	});

	test('the daily tick gives mana; Scry lifts the fog of a far tile for a while', async () => {
		// Mana comes with each game day (10 a day, capped at 50).
		const st = await until(15000, async () => {
			const r = ok2xx(await get(GW_A, '/player/state', { token: A.token }), 'state');
			return r.resources.mana >= 10 && r;
		}, { what: 'A gains mana from the daily tick' });
		assert.ok(st.resources.mana <= 50, `mana ${st.resources.mana} is capped`);
		// A distant tile of A's region that nobody holds.
		let far = null;
		for (let y = 50; y < 100 && !far; y += 7) {
			for (let x = 0; x < 50 && !far; x += 7) {
				if (shardOf(x, y) !== shard) continue;
				const t = ok2xx(await get(GW_A, `/territory/${x}/${y}`, { token: A.token }), 'tile');
				if (t.visibility === 'distant' && t.terrain !== 'river') far = { x, y };
			}
		}
		assert.ok(far, 'a distant tile');
		const cast = await post(GW_A, '/spell/cast', { spellId: 'scry', target: far }, { token: A.token });
		assert.equal(cast.status, 200, cast.text);
		assert.equal(cast.json.manaCost, 10);
		const seen = ok2xx(await get(GW_B, `/territory/${far.x}/${far.y}`, { token: A.token }), 'scouted');
		assert.equal(seen.visibility, 'scouted');
		assert.deepEqual(seen.armyEstimate, {});
		assertError(await post(GW_A, '/spell/cast', { spellId: 'scry', target: { x: 80, y: 10 } }, { token: A.token }), 409, 'CROSS_REGION');
		const [[n]] = await psql(`SELECT count(*) FROM scout_reports WHERE player = '${A.address.toLowerCase()}'`);
		assert.equal(n, '1', 'the report is stored');
		// Shield on A's own army: its DEF in the next battle, stored with it.
		await until(15000, async () => ok2xx(await get(GW_A, '/player/state', { token: A.token }), 'state').resources.mana >= 15,
			{ what: 'mana for a Shield' });
		const shield = await post(GW_A, '/spell/cast', { spellId: 'shield', target: { armyId } }, { token: A.token });
		assert.equal(shield.status, 200, shield.text);
		assert.equal(shield.json.effect, 'the army is under the spell');
		const [[effects]] = await psql(`SELECT effects::text FROM armies WHERE id = ${armyId}`);
		assert.equal(JSON.parse(effects)[0].spell, 'shield');
		assert.equal(JSON.parse(effects)[0].defPct, 20);
		assertError(await post(GW_A, '/spell/cast', { spellId: 'shield', target: { armyId: 987654321 } }, { token: A.token }), 409, 'CROSS_REGION');
		// A Firebolt goes to an enemy: never one's own army; E's garrison
		// once A sees it (a Scry: an army in the fog answers as one that
		// is not there) and E's new-player protection is over.
		assertError(await post(GW_A, '/spell/cast', { spellId: 'firebolt', target: { armyId } }, { token: A.token }), 400, 'INVALID_TARGET');
		const [[eArmy]] = await psql(`SELECT id FROM armies WHERE owner = '${E.address.toLowerCase()}'`);
		const unitsOf = async (id) => Number((await psql(`SELECT COALESCE(SUM(count), 0) FROM army_units WHERE army_id = ${id}`))[0][0]);
		const before = await unitsOf(eArmy);
		const eHome = regE.plots[0];
		const bolt = await until(40000, async () => {
			const seen = (await get(GW_A, `/territory/${eHome.x}/${eHome.y}`, { token: A.token })).json;
			if (seen.visibility === 'distant') {
				const fog = await post(GW_A, '/spell/cast', { spellId: 'firebolt', target: { armyId: Number(eArmy) } }, { token: A.token });
				assert.equal(fog.status, 409, fog.text);
				assert.equal(fog.json.error.code, 'CROSS_REGION', 'an army in the fog is not confirmed');
				await post(GW_A, '/spell/cast', { spellId: 'scry', target: eHome }, { token: A.token });
				return false;
			}
			const r = await post(GW_A, '/spell/cast', { spellId: 'firebolt', target: { armyId: Number(eArmy) } }, { token: A.token });
			if (r.status === 409 && ['TARGET_PROTECTED', 'INSUFFICIENT_MANA'].includes(r.json.error.code)) return false;
			return r;
		}, { what: 'a Firebolt on E\'s army', intervalMs: 300 });
		assert.equal(bolt.status, 200, bolt.text);
		assert.equal(bolt.json.manaCost, 10);
		const m = bolt.json.effect.match(/^(\d+) damage: (\d+) units died$/);
		assert.ok(m || bolt.json.effect === 'the spell fizzled', bolt.json.effect);
		// Firebolt: midpoint 100 times the table's 50-200%, whole units of
		// the Veilguard's 35 HP.
		if (m) {
			assert.ok(Number(m[1]) >= 50 && Number(m[1]) <= 200, bolt.json.effect);
			assert.equal(Number(m[2]), Math.min(before, Math.floor(Number(m[1]) / 35)));
			assert.equal(await unitsOf(eArmy), before - Number(m[2]), 'the losses are stored');
		}
		// Two days of game time (4.8 s here) later the report has aged out.
		await until(15000, async () => (await get(GW_A, `/territory/${far.x}/${far.y}`, { token: A.token })).json.visibility === 'distant',
			{ what: 'the scout report ages out', intervalMs: 500 });
	});

	test('the leaderboard pages through domain points, highest first', async () => {
		await until(5000, async () => {
			const r = (await get(GW_A, '/game/leaderboard?limit=100')).json;
			return r && r.players.some((p) => p.address.toLowerCase() === A.address.toLowerCase());
		}, { what: 'A on the leaderboard' });
		const all = ok2xx(await get(GW_A, '/game/leaderboard?limit=100&offset=0'), 'all');
		assert.ok(all.total >= 3);
		for (let i = 1; i < all.players.length; i++) {
			assert.ok(all.players[i - 1].points >= all.players[i].points);
			assert.equal(all.players[i].rank, i + 1);
		}
		const a = all.players.find((p) => p.address.toLowerCase() === A.address.toLowerCase());
		// Accumulated: 25 for the territory taken and 5 for the battle won,
		// then a point a day for each Outer plot held.
		assert.ok(a.points >= 30, `A's points ${a.points}`);
		const [[stored]] = await psql(`SELECT domain_points FROM players WHERE address = '${A.address.toLowerCase()}'`);
		assert.ok(Number(stored) >= 30, 'the points are stored with the player');
		assert.equal(a.race, 'korrath');
		const page = ok2xx(await get(GW_B, '/game/leaderboard?limit=1&offset=1'), 'page');
		assert.equal(page.players.length, 1);
		assert.equal(page.players[0].rank, 2);
		assert.equal(page.players[0].address, all.players[1].address);
		assertError(await get(GW_A, '/game/leaderboard?limit=0'), 400, 'INVALID_QUERY');
		assertError(await get(GW_A, '/game/leaderboard?limit=abc'), 400, 'INVALID_QUERY');
	});

	test('the map shows every tile and, to a player, the ownership it may see', async () => {
		const anon = ok2xx(await get(GW_A, '/game/map'), 'map');
		assert.equal(anon.territories.length, env.mapWidth * env.mapHeight);
		assert.ok(anon.territories.every((t) => t.owner === undefined));
		const mine = ok2xx(await get(GW_B, '/game/map', { token: A.token }), 'map');
		// A's own land and its ally B's; C left the alliance: not C's.
		const owned = mine.territories.filter((t) => t.owner);
		const byOwner = (a) => owned.filter((t) => t.owner.toLowerCase() === a.toLowerCase()).length;
		assert.equal(byOwner(A.address), 11);
		assert.equal(byOwner(B.address), 1);
		assert.equal(byOwner(C.address), 0);
		assert.equal(owned.length, 12);
		const win = ok2xx(await get(GW_A, '/game/map?x0=10&y0=10&x1=19&y1=14'), 'window');
		assert.equal(win.territories.length, 50);
	});

	test('the events history is partitioned by week with retention, or a hypertable', async () => {
		const hyper = await psql("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
		if (hyper.length === 1) return; // its policies do the work
		const parts = (await psql(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
			JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'events'`)).map((r) => r[0]);
		assert.ok(parts.includes('events_default'));
		const week = await psql("SELECT 'events_' || to_char(date_trunc('week', now() AT TIME ZONE 'UTC'), 'YYYYMMDD')");
		assert.ok(parts.includes(week[0][0]), `this week's partition ${week[0][0]} exists (${parts})`);
		// A partition past the retention is dropped by the maintenance.
		await psql(`CREATE TABLE events_20200106 PARTITION OF events FOR VALUES FROM ('2020-01-06') TO ('2020-01-13')`);
		assert.deepEqual(await psql('SELECT nd_events_maintain()'), [['1']]);
		assert.equal((await psql("SELECT 1 FROM pg_class WHERE relname = 'events_20200106'")).length, 0);
		// This generation's events landed in this week's partition.
		const n = await psql(`SELECT count(*) FROM ${week[0][0]}`);
		assert.ok(Number(n[0][0]) > 0);
	});

	test('a home shard answers for the player wherever the gateway is', async () => {
		assert.equal(homeShard(A.address), shard);
		const s1 = ok2xx(await get(GW_A, '/player/state', { token: C.token }), 'C');
		const s2 = ok2xx(await get(GW_B, '/player/state', { token: C.token }), 'C');
		assert.deepEqual(s1, s2);
		assert.equal(s1.race, 'sylvaeth');
	});
});
