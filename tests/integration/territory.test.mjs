// territory.test.mjs: reading tiles through the gateway: the shape of a
// tile, which shard answers, zones, terrain, the generation, and the
// refusals of GET /territory/:x/:y (coordinates and tokens).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	GW_A, GW_B, assertError, assertOk, decodeJwt, env, forgeJwt, get, jwtKey,
	randomSecret, shardOf, signIn, tile, zoneOf,
} from './lib.mjs';

const TERRAINS = ['plains', 'forest', 'mountain', 'river', 'ruins', 'corruption'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

let token;
let address;
before(async () => {
	({ token, address } = await signIn());
});

function checkTile(r, x, y) {
	assert.equal(r.status, 200, `(${x},${y}): ${r.status} ${r.text}`);
	const t = r.json;
	// The asker holds no land: the fog shows every tile as distant, the
	// terrain and zone only (no presence fields, no stock).
	assert.deepEqual(Object.keys(t).sort(), ['buildings', 'coord', 'garrison', 'lastActivity', 'owner',
		'terrain', 'trust', 'visibility', 'zone'], JSON.stringify(t));
	assert.equal(t.visibility, 'distant');
	assert.deepEqual(t.coord, { x, y });
	assert.equal(t.owner, null);
	assert.ok(TERRAINS.includes(t.terrain), `terrain ${t.terrain}`);
	assert.equal(t.zone, zoneOf(x, y), `zone of (${x},${y})`);
	assert.deepEqual(t.buildings, []);
	assert.equal(t.garrison, null);
	assert.equal(t.trust, null);
	assert.equal(t.lastActivity, null);
	assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
	return t;
}

describe('tiles', () => {
	const quadrants = [
		[10, 10, 0], [80, 10, 1], [10, 80, 2], [80, 80, 3],
		// the edges of each quadrant
		[49, 49, 0], [50, 49, 1], [49, 50, 2], [50, 50, 3],
		[0, 0, 0], [99, 0, 1], [0, 99, 2], [99, 99, 3],
	];
	for (const [x, y, shard] of quadrants) {
		test(`tile (${x},${y}) is answered by shard ${shard}`, async () => {
			assert.equal(shardOf(x, y), shard); // the test's own table agrees with the layout
			const r = await tile(GW_A, x, y, token);
			checkTile(r, x, y);
			assert.equal(r.headers.get('x-shard'), String(shard));
		});
	}

	test('zones follow the Chebyshev distance from (50,50)', async () => {
		const cases = [
			[50, 50, 'heart'], [45, 55, 'heart'], [55, 45, 'heart'], [44, 50, 'inner'], [56, 56, 'inner'],
			[30, 50, 'inner'], [70, 70, 'inner'], [29, 50, 'middle'], [50, 71, 'middle'],
			[15, 15, 'middle'], [85, 50, 'middle'], [14, 50, 'outer'], [50, 86, 'outer'],
			[0, 0, 'outer'], [99, 99, 'outer'],
		];
		for (const [x, y, zone] of cases) {
			assert.equal(zoneOf(x, y), zone); // the table agrees with the rule
			const t = checkTile(await tile(GW_A, x, y, token), x, y);
			assert.equal(t.zone, zone, `(${x},${y})`);
		}
	});

	test('terrain is deterministic: same on every call and from both gateways; (50,50) is not river', async () => {
		const coords = [[50, 50], [3, 7], [77, 12], [21, 64], [90, 91], [49, 50], [50, 49]];
		for (const [x, y] of coords) {
			const a1 = checkTile(await tile(GW_A, x, y, token), x, y);
			const a2 = checkTile(await tile(GW_A, x, y, token), x, y);
			const b1 = checkTile(await tile(GW_B, x, y, token), x, y);
			assert.equal(a2.terrain, a1.terrain, `(${x},${y}) twice at A`);
			assert.equal(b1.terrain, a1.terrain, `(${x},${y}) at A and B`);
			if (x === 50 && y === 50) assert.notEqual(a1.terrain, 'river');
		}
	});

	test('the map holds more than one kind of terrain', async () => {
		const seen = new Set();
		for (let i = 0; i < 40 && seen.size < 2; i++) {
			const x = (i * 37) % 100;
			const y = (i * 53 + 11) % 100;
			seen.add(checkTile(await tile(GW_A, x, y, token), x, y).terrain);
		}
		assert.ok(seen.size >= 2, `only ${[...seen]} in 40 tiles`);
	});
});

describe('generation', () => {
	test('GET /game/generation needs no token and describes generation 1', async () => {
		for (const base of [GW_A, GW_B]) {
			const g = assertOk(await get(base, '/game/generation'), base);
			assert.equal(g.id, 1);
			assert.equal(typeof g.phase, 'string');
			assert.ok(g.phase.length > 0);
			assert.match(g.startTime, ISO);
			assert.match(g.endTime, ISO);
			// The deployment's generation length (the rules' 50 days unless
			// ND_GENERATION_DAYS says), in game days of ND_TIME_SCALE.
			const DAYS = env.generationDays;
			assert.equal(Date.parse(g.endTime) - Date.parse(g.startTime), DAYS * 86400 * 1000 / env.timeScale,
				`${g.startTime} .. ${g.endTime} is not ${DAYS} game days`);
			assert.ok(Number.isInteger(g.playerCount) && g.playerCount >= 0, `playerCount ${g.playerCount}`);
			assert.ok(Number.isInteger(g.day), `day ${g.day}`);
			// phase and status follow the game day (docs/api.md).
			const phase = g.day <= 5 ? 'planning' : g.day <= 20 ? 'early' : g.day <= 35 ? 'mid' : g.day <= DAYS ? 'late' : 'ended';
			const status = g.day <= 5 ? 'planning' : g.day <= DAYS - 5 ? 'active' : g.day <= DAYS ? 'endgame' : 'ended';
			assert.ok(g.day >= 1, `day ${g.day}`);
			assert.equal(g.phase, phase, `phase on day ${g.day}`);
			assert.equal(g.status, status, `status on day ${g.day}`);
		}
	});
});

describe('coordinate refusals', () => {
	for (const [x, y] of [['100', '5'], ['5', '100'], ['-1', '5'], ['5', '-1'], ['1000000', '0'],
		['99999999999999999999', '0'], ['0', '18446744073709551616']]) {
		test(`(${x},${y}) outside the map → 400 INVALID_COORD`, async () => {
			const r = await get(GW_A, `/territory/${x}/${y}`, { token });
			assertError(r, 400, 'INVALID_COORD');
		});
	}
	for (const bad of ['abc', '1.5', '0x10', '1e1', '5abc']) {
		test(`x = "${bad}" → 400 INVALID_COORD`, async () => {
			assertError(await get(GW_A, `/territory/${bad}/5`, { token }), 400, 'INVALID_COORD');
		});
		test(`y = "${bad}" → 400 INVALID_COORD`, async () => {
			assertError(await get(GW_A, `/territory/5/${bad}`, { token }), 400, 'INVALID_COORD');
		});
	}
	for (const p of ['/territory//5', '/territory/5/']) {
		test(`empty segment ${p} → 400 INVALID_COORD or 404 NOT_FOUND`, async () => {
			const r = await get(GW_A, p, { token });
			if (r.status === 404) assertError(r, 404, 'NOT_FOUND', p);
			else assertError(r, 400, 'INVALID_COORD', p);
		});
	}
});

describe('token refusals', () => {
	const now = () => Math.floor(Date.now() / 1000);
	const sub = () => address.toLowerCase();
	const hdr = { alg: 'HS256', typ: 'JWT', kid: 'k1' };

	test('control: a token forged with the real key is accepted', async () => {
		const t = forgeJwt(hdr, { sub: sub(), iat: now(), exp: now() + 3600 }, jwtKey().secret);
		checkTile(await tile(GW_A, 1, 1, t), 1, 1);
	});

	test('no token → 401 UNAUTHORIZED', async () => {
		const r = await get(GW_A, '/territory/1/1');
		assertError(r, 401, 'UNAUTHORIZED');
		assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer\b/);
	});

	test('expired token → 401 TOKEN_EXPIRED', async () => {
		const t = forgeJwt(hdr, { sub: sub(), iat: now() - 90000, exp: now() - 3600 }, jwtKey().secret);
		assertError(await tile(GW_A, 1, 1, t), 401, 'TOKEN_EXPIRED');
	});

	test('tampered payload → 401 INVALID_TOKEN', async () => {
		const { parts, payload } = decodeJwt(token);
		const p2 = Buffer.from(JSON.stringify({ ...payload, sub: '0x' + '11'.repeat(20) })).toString('base64url');
		assertError(await tile(GW_A, 1, 1, `${parts[0]}.${p2}.${parts[2]}`), 401, 'INVALID_TOKEN');
	});

	test('tampered signature → 401 INVALID_TOKEN', async () => {
		const { parts } = decodeJwt(token);
		const sig = Buffer.from(parts[2], 'base64url');
		sig[0] ^= 1;
		assertError(await tile(GW_A, 1, 1, `${parts[0]}.${parts[1]}.${sig.toString('base64url')}`), 401, 'INVALID_TOKEN');
	});

	test('signed with another key → 401 INVALID_TOKEN', async () => {
		const t = forgeJwt(hdr, { sub: sub(), iat: now(), exp: now() + 3600 }, randomSecret());
		assertError(await tile(GW_A, 1, 1, t), 401, 'INVALID_TOKEN');
	});

	test('unknown kid → 401 INVALID_TOKEN', async () => {
		const t = forgeJwt({ ...hdr, kid: 'k2' }, { sub: sub(), iat: now(), exp: now() + 3600 }, jwtKey().secret);
		assertError(await tile(GW_A, 1, 1, t), 401, 'INVALID_TOKEN');
	});

	test('alg none, with and without a third part → 401 INVALID_TOKEN', async () => {
		const h = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: 'k1' })).toString('base64url');
		const p = Buffer.from(JSON.stringify({ sub: sub(), iat: now(), exp: now() + 3600 })).toString('base64url');
		assertError(await tile(GW_A, 1, 1, `${h}.${p}.`), 401, 'INVALID_TOKEN', 'with an empty third part');
		assertError(await tile(GW_A, 1, 1, `${h}.${p}`), 401, 'INVALID_TOKEN', 'with two parts');
		const valid = decodeJwt(token).parts[2];
		assertError(await tile(GW_A, 1, 1, `${h}.${p}.${valid}`), 401, 'INVALID_TOKEN', 'with a borrowed signature');
	});

	test('HS512 with the real key → 401 INVALID_TOKEN', async () => {
		const t = forgeJwt({ ...hdr, alg: 'HS512' }, { sub: sub(), iat: now(), exp: now() + 3600 }, jwtKey().secret);
		assertError(await tile(GW_A, 1, 1, t), 401, 'INVALID_TOKEN');
	});

	test('garbage bearer token → 401 INVALID_TOKEN', async () => {
		assertError(await tile(GW_A, 1, 1, 'not-a-jwt'), 401, 'INVALID_TOKEN');
	});

});
