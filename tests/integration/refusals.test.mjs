// refusals.test.mjs: the gateway's generic HTTP refusals (unknown route,
// wrong method, oversized bodies framed by Content-Length or chunked) and
// the probes (/healthz, /readyz, /metrics) of every process.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	GW_A, GW_B, assertError, assertOk, bridgeProbeUrl, env, get, newWallet,
	rawRequest, request, shardProbeUrl, signIn,
} from './lib.mjs';

let token;
before(async () => {
	({ token } = await signIn());
});

describe('routes', () => {
	for (const [method, p] of [['GET', '/nope'], ['GET', '/'], ['POST', '/auth/nope'], ['GET', '/territory/1'],
		['GET', '/territory/1/2/3'], ['GET', '/game/generation/x']]) {
		test(`${method} ${p} → 404 NOT_FOUND`, async () => {
			assertError(await request(GW_A + p, { method, token, body: method === 'POST' ? '{}' : undefined }),
				404, 'NOT_FOUND');
		});
	}
	for (const [method, p] of [['GET', '/auth/challenge'], ['GET', '/auth/verify'], ['PUT', '/auth/challenge'],
		['POST', '/game/generation'], ['DELETE', '/territory/1/1'], ['POST', '/territory/1/1']]) {
		test(`${method} ${p} → 405 METHOD_NOT_ALLOWED`, async () => {
			const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
			const r = await request(GW_A + p, { method, token, body });
			assertError(r, 405, 'METHOD_NOT_ALLOWED');
			const allow = (r.headers.get('allow') ?? '').split(',').map((m) => m.trim());
			assert.ok(allow.length > 0 && allow[0] !== '', 'no Allow header');
			assert.ok(!allow.includes(method), `Allow: ${allow} names the refused method`);
		});
	}
});

describe('body limit', () => {
	const limit = env.bodyLimit;
	// A valid challenge request padded with JSON whitespace to n bytes.
	const padded = (n) => {
		const core = JSON.stringify({ address: newWallet().address });
		assert.ok(n >= core.length);
		return core + ' '.repeat(n - core.length);
	};

	test(`a body of exactly ${limit} bytes is accepted`, async () => {
		const body = padded(limit);
		assert.equal(Buffer.byteLength(body), limit);
		const r = await rawRequest(`${GW_A}/auth/challenge`, {
			headers: { 'Content-Length': String(limit) }, chunks: [body],
		});
		assert.equal(r.status, 200, r.text);
		assert.equal(typeof r.json.challenge, 'string');
	});

	for (const n of [limit + 1, 4 * limit]) {
		test(`a body of ${n} bytes with Content-Length → 413 PAYLOAD_TOO_LARGE`, async () => {
			const r = await rawRequest(`${GW_A}/auth/challenge`, {
				headers: { 'Content-Length': String(n) }, chunks: [padded(n)],
			});
			assertError(r, 413, 'PAYLOAD_TOO_LARGE');
		});
	}

	test('a small chunked body is accepted (control)', async () => {
		const body = JSON.stringify({ address: newWallet().address });
		const r = await rawRequest(`${GW_A}/auth/challenge`, {
			chunks: [body.slice(0, 5), body.slice(5, 20), body.slice(20)],
		});
		assert.equal(r.status, 200, r.text);
		assert.equal(typeof r.json.challenge, 'string');
	});

	for (const n of [limit + 1, 4 * limit]) {
		test(`a chunked body of ${n} bytes without Content-Length → 413 PAYLOAD_TOO_LARGE`, async () => {
			const body = Buffer.from(padded(n));
			const chunks = [];
			for (let i = 0; i < body.length; i += 1000) chunks.push(body.subarray(i, i + 1000));
			const r = await rawRequest(`${GW_A}/auth/challenge`, { chunks });
			assertError(r, 413, 'PAYLOAD_TOO_LARGE');
		});
	}

	test('the gateway still answers after oversized bodies', async () => {
		assertOk(await get(GW_A, '/healthz'));
	});
});

describe('probes', () => {
	const targets = [
		...[GW_A, GW_B].map((b) => ['gateway ' + b, (p) => b + p]),
		...Array.from({ length: env.shardCount }, (_, i) => [`shard ${i}`, (p) => shardProbeUrl(i, p)]),
		['bridge', bridgeProbeUrl],
	];
	for (const [name, url] of targets) {
		test(`${name}: /healthz ok, /readyz ready, /metrics is Prometheus text`, async () => {
			assert.deepEqual(assertOk(await request(url('/healthz')), 'healthz'), { status: 'ok' });
			assert.deepEqual(assertOk(await request(url('/readyz')), 'readyz'), { status: 'ready' });
			const m = await request(url('/metrics'));
			assert.equal(m.status, 200, m.text.slice(0, 200));
			assert.match(m.headers.get('content-type') ?? '', /^text\/plain/);
			assert.match(m.text, /^# TYPE nd_\w+ (counter|gauge|histogram|summary)$/m);
			if (name.startsWith('gateway')) {
				assert.match(m.text, /^nd_http_requests_total(\{[^}]*\})? \d/m, 'nd_http_requests_total');
				assert.match(m.text, /^nd_active_connections(\{[^}]*\})? \d/m, 'nd_active_connections');
			}
		});
	}

	test('gateway nd_http_requests_total counts requests', async () => {
		const sum = (text) => text.split('\n')
			.filter((l) => l.startsWith('nd_http_requests_total'))
			.reduce((a, l) => a + Number(l.trim().split(/\s+/).pop()), 0);
		const before = sum((await request(`${GW_B}/metrics`)).text);
		for (let i = 0; i < 3; i++) assertOk(await get(GW_B, '/game/generation'));
		const after = sum((await request(`${GW_B}/metrics`)).text);
		assert.ok(after >= before + 3, `nd_http_requests_total went from ${before} to ${after}`);
	});
});
