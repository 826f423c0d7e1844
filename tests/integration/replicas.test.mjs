// replicas.test.mjs: the gateway replicas share one cluster: a challenge
// asked at one replica is verified at another, and the token works at both,
// over REST and WebSocket.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
	GW_A, GW_B, WS_A, WS_B, assertError, assertOk, challenge, env, newWallet, post, tile,
	wsClose, wsOpen, wsPing,
} from './lib.mjs';

test('the replicas are two different gateways', () => {
	assert.ok(env.gateways.length >= 2 && GW_A !== GW_B, `GATEWAY_URLS=${env.gateways}`);
	assert.ok(env.wsUrls.length >= 2 && WS_A !== WS_B, `WS_URLS=${env.wsUrls}`);
});

test('challenge at gateway A, verify at gateway B, the token works at A and B (REST and WebSocket)', async () => {
	const wallet = newWallet();
	const c = assertOk(await challenge(GW_A, wallet.address), 'challenge at A');
	const signature = await wallet.signMessage(c.challenge);
	const v = assertOk(await post(GW_B, '/auth/verify', { address: wallet.address, signature }), 'verify at B');
	// The challenge was consumed cluster-wide: not at A either.
	assertError(await post(GW_A, '/auth/verify', { address: wallet.address, signature }), 401,
		'CHALLENGE_NOT_FOUND', 'reuse at A');
	for (const base of [GW_A, GW_B]) {
		const r = await tile(base, 60, 20, v.token);
		assert.equal(r.status, 200, `${base}: ${r.status} ${r.text}`);
		assert.deepEqual(r.json.coord, { x: 60, y: 20 });
		assert.equal(r.headers.get('x-shard'), '1');
	}
	for (const url of [WS_A, WS_B]) {
		const ws = await wsOpen(`${url}/?token=${encodeURIComponent(v.token)}`);
		try {
			await wsPing(ws);
		} finally {
			wsClose(ws);
		}
	}
});

test('challenge at gateway B, verify at gateway A', async () => {
	const wallet = newWallet();
	const c = assertOk(await challenge(GW_B, wallet.address), 'challenge at B');
	const signature = await wallet.signMessage(c.challenge);
	const v = assertOk(await post(GW_A, '/auth/verify', { address: wallet.address, signature }), 'verify at A');
	assert.equal((await tile(GW_B, 5, 5, v.token)).status, 200);
});

test('a wrong signature at one replica does not consume the challenge at the other', async () => {
	const wallet = newWallet();
	const c = assertOk(await challenge(GW_A, wallet.address));
	const bad = await newWallet().signMessage(c.challenge);
	assertError(await post(GW_B, '/auth/verify', { address: wallet.address, signature: bad }), 401, 'INVALID_SIGNATURE');
	assertOk(await post(GW_A, '/auth/verify', { address: wallet.address, signature: await wallet.signMessage(c.challenge) }));
});

test('concurrent challenge requests at both replicas: exactly 8 pending, the rest 429', async () => {
	const wallet = newWallet();
	const rs = await Promise.all(Array.from({ length: 16 },
		(_, i) => challenge(i % 2 ? GW_A : GW_B, wallet.address)));
	const ok = rs.filter((r) => r.status === 200);
	assert.equal(ok.length, 8, `statuses: ${rs.map((r) => r.status)}`);
	for (const r of rs) if (r.status !== 200) assertError(r, 429, 'TOO_MANY_CHALLENGES');
	// Each of the 8 is a real, distinct, usable challenge.
	const nonces = new Set(ok.map((r) => r.json.challenge.split('\n')[8]));
	assert.equal(nonces.size, 8);
	const last = ok[ok.length - 1].json.challenge;
	assertOk(await post(GW_B, '/auth/verify', { address: wallet.address, signature: await wallet.signMessage(last) }));
});

test('the same signature sent concurrently to both replicas is accepted exactly once', async () => {
	for (let round = 0; round < 3; round++) {
		const wallet = newWallet();
		const c = assertOk(await challenge(GW_A, wallet.address));
		const signature = await wallet.signMessage(c.challenge);
		const rs = await Promise.all(Array.from({ length: 10 },
			(_, i) => post(i % 2 ? GW_A : GW_B, '/auth/verify', { address: wallet.address, signature })));
		assert.equal(rs.filter((r) => r.status === 200).length, 1, `statuses: ${rs.map((r) => r.status)}`);
		// A loser sees the challenge gone (CHALLENGE_NOT_FOUND) or, when it
		// lost the race at the very end, CHALLENGE_USED (docs/api.md).
		for (const r of rs) {
			if (r.status === 200) continue;
			assertError(r, 401, r.json?.error?.code === 'CHALLENGE_USED' ? 'CHALLENGE_USED' : 'CHALLENGE_NOT_FOUND');
		}
	}
});
