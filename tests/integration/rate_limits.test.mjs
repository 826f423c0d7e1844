// rate_limits.test.mjs: the rules' rate limits hold across gateway
// replicas.  The suite's own gateways run with the limits lifted
// (ND_RATE_LIMIT_SCALE in tests/run.sh), so this test starts two more
// gateways at the rules' numbers, on the same Redis and shards, and
// alternates between them: a player's 10 moves a minute are 10 whichever
// replica takes them, the 11th is 429 RATE_LIMITED with Retry-After; a
// client address's 100 challenges a minute likewise, other players and
// other addresses untouched; behind a trusted proxy the X-Forwarded-For
// client is the subject, and only there.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { GW_A, assertError, env, post, rawRequest, request, signIn, until } from './lib.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const PORTS = [9280, 9290];
const BASES = PORTS.map((p) => `http://127.0.0.1:${p}`);
const PROXY = '127.0.0.4'; // the one address the gateways trust as a proxy
const procs = [];

function startGateway(port) {
	const dir = path.join(env.ndVar || path.join(ROOT, 'build'), 'log');
	mkdirSync(dir, { recursive: true });
	const out = openSync(path.join(dir, `gateway-rl-${port}.log`), 'a');
	const p = spawn(path.join(ROOT, 'bin/gateway'), [], {
		env: {
			...process.env,
			GATEWAY_HTTP_ADDR: `127.0.0.1:${port}`,
			GATEWAY_WS_ADDR: `127.0.0.1:${port + 1}`,
			ND_RATE_LIMIT_SCALE: '1',
			GATEWAY_TRUSTED_PROXIES: `${PROXY}/32`,
		},
		stdio: ['ignore', out, out],
	});
	procs.push(p);
	return p;
}

// challengeFrom asks base for a challenge from the local address `from`,
// optionally through the trusted proxy with an X-Forwarded-For.
function challengeFrom(base, from, xff) {
	const headers = xff ? { 'X-Forwarded-For': xff } : {};
	return rawRequest(`${base}/auth/challenge`, {
		localAddress: from,
		headers,
		chunks: [JSON.stringify({ address: `0x${randomBytes(20).toString('hex')}` })],
	});
}

describe('rate limits across two gateway replicas', () => {
	before(async () => {
		for (const port of PORTS) startGateway(port);
		for (const base of BASES) {
			await until(10000, async () => {
				try {
					return (await request(`${base}/readyz`, { timeoutMs: 500 })).status === 200;
				} catch {
					return false;
				}
			}, { what: `${base} ready` });
		}
	});

	after(async () => {
		for (const p of procs) {
			p.kill('SIGTERM');
			await new Promise((resolve) => {
				if (p.exitCode !== null) resolve();
				else p.once('exit', resolve);
			});
		}
	});

	test('a player has 10 moves a minute whichever replica takes them; the 11th is refused with Retry-After', async () => {
		const { token } = await signIn();
		const other = await signIn();
		const move = (base, t) => post(base, '/army/987654321/move', { destination: { x: 9, y: 9 } }, { token: t });
		for (let i = 0; i < 10; i++) {
			const r = await move(BASES[i % 2], token);
			assert.notEqual(r.status, 429, `move ${i + 1} of 10: ${r.text}`);
			assert.ok(r.status >= 400 && r.status < 500, `move ${i + 1}: ${r.status} ${r.text}`);
		}
		for (const base of BASES) {
			const r = await move(base, token);
			assertError(r, 429, 'RATE_LIMITED', `11th move at ${base}`);
			const retry = Number(r.headers.get('retry-after'));
			// 10 a minute: the next one is free within 6 s.
			assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 6, `Retry-After ${r.headers.get('retry-after')}`);
			assert.match(r.json.error.message, /army\/move/);
		}
		// Another player, and the same player's other limits, are untouched.
		assert.notEqual((await move(BASES[0], other.token)).status, 429, 'another player');
		const atk = await post(BASES[1], '/army/987654321/attack', { target: { x: 9, y: 9 } }, { token });
		assert.notEqual(atk.status, 429, `the same player's attack: ${atk.text}`);
		// Reads are not limited.
		const map = await request(`${BASES[0]}/game/generation`);
		assert.equal(map.status, 200);
	});

	test('an address has 100 challenges a minute across replicas, then 429 until Retry-After passes; other addresses are untouched', async () => {
		const from = '127.0.0.2';
		for (let i = 0; i < 100; i++) {
			const r = await challengeFrom(BASES[i % 2], from);
			assert.equal(r.status, 200, `challenge ${i + 1} of 100: ${r.status} ${r.text}`);
		}
		const refused = await challengeFrom(BASES[0], from);
		assertError(refused, 429, 'RATE_LIMITED', '101st challenge');
		const retry = Number(refused.headers['retry-after']);
		assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 2, `Retry-After ${refused.headers['retry-after']}`);
		assertError(await challengeFrom(BASES[1], from), 429, 'RATE_LIMITED', '101st at the other replica');
		assert.equal((await challengeFrom(BASES[1], '127.0.0.3')).status, 200, 'another address');
		// The bucket drips: after Retry-After one more is allowed.
		await new Promise((resolve) => setTimeout(resolve, retry * 1000 + 100));
		assert.equal((await challengeFrom(BASES[0], from)).status, 200, 'after Retry-After');
		// One drips in every 0.6 s: within a few more the address is over
		// again (not another hundred).
		let more = 0;
		while ((await challengeFrom(BASES[more % 2], from)).status === 200) {
			more++;
			assert.ok(more <= 3, 'the refill is one challenge per 0.6 s, not a new window');
		}
	});

	test('behind the trusted proxy each forwarded client has its own budget; an untrusted peer cannot choose one', async () => {
		const client = '198.51.100.77';
		for (let i = 0; i < 100; i++) {
			const r = await challengeFrom(BASES[i % 2], PROXY, `10.0.0.1, ${client}`);
			assert.equal(r.status, 200, `forwarded challenge ${i + 1}: ${r.text}`);
		}
		assertError(await challengeFrom(BASES[0], PROXY, client), 429, 'RATE_LIMITED', 'forwarded client over');
		// Another forwarded client through the same proxy is not.
		assert.equal((await challengeFrom(BASES[1], PROXY, '198.51.100.78')).status, 200);
		// The budget is the client's whatever the peer: a direct client
		// claiming 198.51.100.78 in the header is itself (127.0.0.5).
		for (let i = 0; i < 3; i++) {
			assert.equal((await challengeFrom(BASES[0], '127.0.0.5', client)).status, 200, 'untrusted peer with a header');
		}
	});

	test('the suite\'s own gateways run with the limits lifted', async () => {
		// GW_A takes 120 challenges from one address in a burst (100 a minute
		// at the rules' numbers).
		for (let i = 0; i < 120; i++) {
			const r = await challengeFrom(GW_A, '127.0.0.6');
			assert.equal(r.status, 200, `challenge ${i + 1} at the lifted gateway: ${r.text}`);
		}
	});
});
