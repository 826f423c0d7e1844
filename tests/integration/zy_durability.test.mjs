// zy_durability.test.mjs: an acknowledged action is never lost.  Under a
// stream of actions a shard is killed with SIGKILL and restarted: every
// acknowledged action is there afterwards, and no action the shard refused
// is.  Redis is flushed during play: play goes on and the hot keys come
// back.  PostgreSQL is stopped: actions answer 503 STORAGE_UNAVAILABLE
// while reads still answer; once it is back, actions succeed again and
// none of the refused ones happened.  PostgreSQL crashes with commits in
// flight: the shard learns from its commit ledger which of them committed.
// (Named to run after the other files:
// it takes processes down.)
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
	GW_A, GW_B, buildAndWait, env, get, killShard, post, psql, redis, register, releaseShard, shardReady, signIn, until,
	walletOnShard, waitClusterWhole,
} from './lib.mjs';

const tid = (x, y) => y * env.mapWidth + x;
const SHARD = 1;

// raise sends one army/create and classifies the answer: acked (201 with an
// id), refused (an error the shard or gateway gave for certain), or
// unknown (the connection broke or timed out: the action may or may not
// have committed, as with any server).
async function raise(base, token, plot) {
	try {
		const r = await post(base, '/army/create', { territoryId: tid(plot.x, plot.y), units: { stoneshield: 1 } },
			{ token, timeoutMs: 4000 });
		if (r.status === 201) return { kind: 'acked', id: r.json.armyId };
		const code = r.json?.error?.code;
		if (code === 'SHARD_UNAVAILABLE' || code === 'BAD_SHARD_REPLY') return { kind: 'unknown', code };
		return { kind: 'refused', code, status: r.status };
	} catch (e) {
		return { kind: 'unknown', code: String(e) };
	}
}

async function armyIds(token) {
	const s = await get(GW_B, '/player/state', { token });
	assert.equal(s.status, 200, s.text);
	return new Set(s.json.armies.map((a) => a.id));
}

describe('durability', () => {
	let P, reg;

	before(async () => {
		P = await signIn({ wallet: walletOnShard(SHARD) });
		reg = await register(P.address, 'ironveld', { premium: true });
		// Stoneshields train at a Barracks on the plot the tests raise them on.
		await buildAndWait(GW_A, P.token, reg.plots[0], 'barracks');
	});

	after(async () => {
		releaseShard(SHARD);
		rmSync(path.join(env.ndVar, 'hold', 'postgres'), { force: true });
		await waitClusterWhole(60000);
	});

	test('a shard killed under load keeps every acknowledged action, and no refused one', async () => {
		const plot = reg.plots[0];
		const acked = new Set(), unknown = [];
		let refused = 0;
		const stream = async (n) => {
			for (let i = 0; i < n; i++) {
				const r = await raise(i % 2 ? GW_A : GW_B, P.token, plot);
				if (r.kind === 'acked') acked.add(r.id);
				else if (r.kind === 'unknown') unknown.push(r);
				else refused++;
			}
		};
		// Several writers at once, so actions share group commits.
		const writers = [stream(30), stream(30), stream(30)];
		await until(10000, () => acked.size >= 20, { intervalMs: 10, what: 'some actions acknowledged' });
		await killShard(SHARD);
		await Promise.all(writers);
		const during = acked.size;
		releaseShard(SHARD);
		await until(30000, () => shardReady(SHARD), { what: 'shard back' });
		await stream(10);
		assert.ok(acked.size > during, 'actions are acknowledged again after the restart');
		const present = await armyIds(P.token);
		for (const id of acked) assert.ok(present.has(id), `acknowledged army ${id} survived`);
		// Present = the garrison + acked + at most the in-flight unknowns.
		assert.ok(present.size >= acked.size + 1);
		assert.ok(present.size <= acked.size + 1 + unknown.length,
			`${present.size} armies, ${acked.size} acked, ${unknown.length} unknown, ${refused} refused`);
	});

	test('timers that come due while a shard is down fire once after it restarts', async () => {
		const plot = reg.plots[0];
		// A farm (4 h) and a Stoneshield (1 h of training), then the shard
		// goes down before either is due and stays down past both.
		const farm = await post(GW_A, `/territory/${plot.x}/${plot.y}/build`, { buildingType: 'farm' }, { token: P.token });
		assert.equal(farm.status, 201, farm.text);
		const army = await raise(GW_B, P.token, plot);
		assert.equal(army.kind, 'acked', JSON.stringify(army));
		await killShard(SHARD);
		await new Promise((r) => setTimeout(r, 1000)); // 10 game hours
		releaseShard(SHARD);
		await until(30000, () => shardReady(SHARD), { what: 'shard back' });
		const events = async () => psql(`SELECT event_type, data->>'buildingId', data->>'armyId' FROM events
			WHERE (event_type = 'building_completed' AND data->>'buildingId' = '${farm.json.buildingId}')
			   OR (event_type = 'army_trained' AND data->>'armyId' = '${army.id}') ORDER BY time, event_type`);
		await until(10000, async () => (await events()).length >= 2, { what: 'both timers fired' });
		await new Promise((r) => setTimeout(r, 1500)); // a tick or two more: still once each
		const rows = await events();
		assert.deepEqual(rows.map((r) => r[0]).sort(), ['army_trained', 'building_completed'], JSON.stringify(rows));
		const [[pending]] = await psql(`SELECT count(*) FROM timers WHERE entity_id IN (${farm.json.buildingId}, ${army.id})`);
		assert.equal(pending, '0', 'their rows are gone');
	});

	test('FLUSHALL during play: play goes on and the hot keys come back', async () => {
		const plot = reg.plots[0]; // the stock lies on the first plot
		const before = await raise(GW_A, P.token, plot);
		assert.equal(before.kind, 'acked');
		// The hot key follows the commit (it is written after the reply).
		await until(5000, async () => (await redis('EXISTS', `army:${before.id}`)) === '1', { what: 'army key written' });
		assert.equal(await redis('FLUSHALL'), 'OK');
		const afterFlush = await raise(GW_B, P.token, plot);
		assert.equal(afterFlush.kind, 'acked', JSON.stringify(afterFlush));
		// Army requests route without the army:{id} hint too.
		const a = await get(GW_A, `/army/${before.id}`, { token: P.token });
		assert.equal(a.status, 200, a.text);
		await until(10000, async () => (await redis('EXISTS', `army:${before.id}`)) === '1', { what: 'army key rebuilt' });
		await until(10000, async () => (await redis('EXISTS', `territory:1:${plot.x}:${plot.y}`)) === '1', { what: 'territory key rebuilt' });
		await until(10000, async () => Number(await redis('ZCARD', 'leaderboard:{1}')) > 0, { what: 'leaderboard rebuilt' });
		await until(10000, async () => (await redis('HEXISTS', `player:${P.address.toLowerCase()}`, 'game')) === '1', { what: 'player key rebuilt' });
		const lb = await get(GW_B, '/game/leaderboard?limit=100');
		assert.ok(lb.json.players.some((p) => p.address.toLowerCase() === P.address.toLowerCase()));
	});

	test('PostgreSQL down: actions answer 503, reads answer; back up: actions succeed', async () => {
		const plot = reg.plots[0]; // the stock lies on the first plot
		const holdPg = path.join(env.ndVar, 'hold', 'postgres');
		const before = await armyIds(P.token);
		mkdirSync(path.dirname(holdPg), { recursive: true });
		writeFileSync(holdPg, 'held by the integration tests\n');
		const pgPid = Number(readFileSync(path.join(env.ndVar, 'run', 'postgres.pid'), 'utf8').trim());
		process.kill(pgPid, 'SIGINT'); // fast shutdown
		await until(15000, () => !existsSync(path.join(env.ndVar, 'pg', 'postmaster.pid')), { what: 'postgres stopped' });
		const ackedEarly = [];
		await until(15000, async () => {
			const r = await raise(GW_A, P.token, plot);
			if (r.kind === 'acked') ackedEarly.push(r.id); // acked before the shard noticed: must stay
			return r.kind === 'refused' && r.code === 'STORAGE_UNAVAILABLE' && r.status === 503;
		}, { what: 'actions refused with 503' });
		const r2 = await raise(GW_B, P.token, plot);
		assert.equal(r2.code, 'STORAGE_UNAVAILABLE');
		const t = await get(GW_A, `/territory/${plot.x}/${plot.y}`, { token: P.token });
		assert.equal(t.status, 200, 'reads keep working from memory');
		const g = await get(GW_B, '/game/generation');
		assert.equal(g.status, 200);
		rmSync(holdPg, { force: true });
		const back = await until(30000, async () => {
			const r = await raise(GW_A, P.token, plot);
			return r.kind === 'acked' && r;
		}, { intervalMs: 250, what: 'actions succeed again' });
		const present = await armyIds(P.token);
		assert.ok(present.has(back.id));
		for (const id of ackedEarly) assert.ok(present.has(id));
		assert.equal(present.size, before.size + ackedEarly.length + 1, 'no refused action happened');
	});

	test('PostgreSQL crashes under a stream of actions: every acknowledged action survives, no refused one appears', async () => {
		const Q = await signIn({ wallet: walletOnShard(SHARD) });
		const regQ = await register(Q.address, 'ironveld', { premium: true });
		const plot = regQ.plots[0];
		await buildAndWait(GW_A, Q.token, plot, 'barracks');
		const holdPg = path.join(env.ndVar, 'hold', 'postgres');
		const acked = new Set(), unknown = [];
		let crashed = false;
		const stream = async (n) => {
			for (let i = 0; i < n; i++) {
				const r = await raise(i % 2 ? GW_A : GW_B, Q.token, plot);
				if (r.kind === 'acked') acked.add(r.id);
				else if (r.kind === 'unknown') unknown.push(r);
				if (crashed && r.kind === 'refused' && r.code !== 'STORAGE_UNAVAILABLE') {
					assert.fail(`unexpected refusal ${r.code}`);
				}
			}
		};
		const writers = [stream(40), stream(40), stream(40)];
		await until(10000, () => acked.size >= 15, { intervalMs: 5, what: 'some actions acknowledged' });
		mkdirSync(path.dirname(holdPg), { recursive: true });
		writeFileSync(holdPg, 'held by the integration tests\n');
		// Immediate shutdown: backends die mid-commit, recovery on restart.
		process.kill(Number(readFileSync(path.join(env.ndVar, 'run', 'postgres.pid'), 'utf8').trim()), 'SIGQUIT');
		crashed = true;
		await Promise.all(writers);
		rmSync(holdPg, { force: true });
		await until(30000, async () => {
			const r = await raise(GW_A, Q.token, plot);
			if (r.kind === 'acked') acked.add(r.id);
			if (r.kind === 'unknown') unknown.push(r);
			return r.kind === 'acked';
		}, { intervalMs: 250, what: 'actions succeed again' });
		const present = await armyIds(Q.token);
		for (const id of acked) assert.ok(present.has(id), `acknowledged army ${id} survived the crash`);
		// The garrison, the acknowledged, at most the unknown ones.
		assert.ok(present.size <= acked.size + 1 + unknown.length,
			`${present.size} armies, ${acked.size} acked, ${unknown.length} unknown`);
	});
});
