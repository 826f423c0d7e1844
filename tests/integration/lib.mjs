// lib.mjs: helpers shared by the integration tests.
//
// The cluster under test is described by environment variables that
// tests/run.sh exports: two
// gateway replicas, four shards on a 100x100 map, the JWT key file, the
// launcher's state folder.  Every network call here has a deadline, and
// waiting for a condition goes through until(), never through a bare sleep.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { Wallet } from 'ethers';
import WebSocket from 'ws';

function need(name, fallback) {
	const v = process.env[name];
	if (v !== undefined && v !== '') return v;
	if (fallback !== undefined) return fallback;
	throw new Error(`environment variable ${name} is not set (tests/run.sh sets it)`);
}

const list = (s) => s.split(',').map((x) => x.trim().replace(/\/+$/, '')).filter(Boolean);

export const env = {
	gateways: list(need('GATEWAY_URLS', 'http://127.0.0.1:9080,http://127.0.0.1:9090')),
	wsUrls: list(need('WS_URLS', 'ws://127.0.0.1:9081,ws://127.0.0.1:9091')),
	siweDomain: need('SIWE_DOMAIN', '127.0.0.1:9080'),
	siweUri: need('SIWE_URI', 'http://127.0.0.1:9080'),
	chainId: Number(need('CHAIN_ID', '31337')),
	shardCount: Number(need('SHARD_COUNT', '4')),
	mapWidth: Number(need('MAP_WIDTH', '100')),
	mapHeight: Number(need('MAP_HEIGHT', '100')),
	ndVar: process.env.ND_VAR || '',
	jwtKeysFile: process.env.JWT_KEYS_FILE || '',
	shardTimeoutMs: Number(need('GATEWAY_SHARD_TIMEOUT_MS', '1000')),
	bodyLimit: Number(need('GATEWAY_BODY_LIMIT', '16384')),
	shardProbeBase: Number(need('SHARD_PROBE_PORT_BASE', '18300')),
	bridgeProbeAddr: need('BRIDGE_PROBE_ADDR', '127.0.0.1:18290'),
	redisAddr: need('REDIS_ADDR', '127.0.0.1:18379'),
	timeScale: Number(need('ND_TIME_SCALE', '1')),
	generationDays: Number(need('ND_GENERATION_DAYS', '50')),
};

export const GW_A = env.gateways[0];
export const GW_B = env.gateways[1] ?? env.gateways[0];
export const WS_A = env.wsUrls[0];
export const WS_B = env.wsUrls[1] ?? env.wsUrls[0];

export const shardProbeUrl = (i, p) => `http://127.0.0.1:${env.shardProbeBase + i}${p}`;
export const bridgeProbeUrl = (p) => `http://${env.bridgeProbeAddr}${p}`;

// ---------------------------------------------------------------- HTTP

// request(url, opts) does one HTTP exchange with a deadline and returns
// { status, headers, text, json, ms }; json is undefined when the body is
// not JSON.  opts: method, headers, body (string/Buffer, or an object sent
// as JSON), token (sent as a Bearer), timeoutMs.
export async function request(url, opts = {}) {
	const headers = { ...(opts.headers ?? {}) };
	let body = opts.body;
	if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) {
		body = JSON.stringify(body);
	}
	if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
		headers['Content-Type'] = 'application/json';
	}
	if (opts.token !== undefined) headers.Authorization = `Bearer ${opts.token}`;
	const t0 = performance.now();
	const res = await fetch(url, {
		method: opts.method ?? (body === undefined ? 'GET' : 'POST'),
		headers,
		body,
		signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
		redirect: 'manual',
	});
	const text = await res.text();
	const ms = performance.now() - t0;
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json, ms };
}

export const get = (base, p, opts = {}) => request(base + p, { ...opts, method: 'GET' });
export const post = (base, p, body, opts = {}) => request(base + p, { ...opts, method: 'POST', body });

// rawRequest sends a request through node:http so that the test decides
// the framing: opts.chunks (array of Buffers/strings) is streamed without
// a Content-Length (chunked transfer encoding); opts.localAddress picks
// the address it comes from (any of 127.0.0.0/8 on loopback).  Resolves with the first
// response even when the server answers before the body is complete.
export function rawRequest(url, opts = {}) {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		let done = false;
		const finish = (fn, v) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			fn(v);
		};
		const req = http.request({
			host: u.hostname,
			port: u.port,
			path: u.pathname + u.search,
			method: opts.method ?? 'POST',
			headers: { 'Content-Type': 'application/json', ...(opts.headers ?? {}) },
			agent: false,
			localAddress: opts.localAddress,
		}, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (d) => { text += d; });
			const end = () => {
				let json;
				try { json = JSON.parse(text); } catch { json = undefined; }
				finish(resolve, { status: res.statusCode, headers: res.headers, text, json });
			};
			res.on('end', end);
			res.on('close', end);
			res.on('error', end);
		});
		const timer = setTimeout(() => {
			req.destroy();
			finish(reject, new Error(`no answer from ${url} in ${opts.timeoutMs ?? 5000} ms`));
		}, opts.timeoutMs ?? 5000);
		// A server that answers 413 early may reset the connection while we
		// are still writing: that is fine as long as the answer came first.
		req.on('error', (e) => setTimeout(() => finish(reject, e), 200));
		const chunks = opts.chunks ?? [];
		let i = 0;
		const pump = () => {
			while (i < chunks.length) {
				if (done || req.destroyed) return;
				const ok = req.write(chunks[i++]);
				if (!ok) {
					req.once('drain', pump);
					return;
				}
			}
			req.end();
		};
		pump();
	});
}

// assertError checks the uniform error shape: the status, and a body
// {"error":{"code":CODE,"message":"..."}}.
export function assertError(res, status, code, what = '') {
	const ctx = `${what ? what + ': ' : ''}got ${res.status} ${res.text.slice(0, 300)}`;
	assert.equal(res.status, status, ctx);
	assert.ok(res.json && typeof res.json === 'object', `body is not JSON: ${ctx}`);
	const ctype = typeof res.headers.get === 'function' ? res.headers.get('content-type') : res.headers['content-type'];
	assert.match(ctype ?? '', /^application\/json/, `error Content-Type: ${ctx}`);
	assert.ok(res.json.error && typeof res.json.error === 'object', `no "error" object: ${ctx}`);
	assert.equal(res.json.error.code, code, ctx);
	assert.equal(typeof res.json.error.message, 'string', `error.message is not a string: ${ctx}`);
	assert.ok(res.json.error.message.length > 0, `error.message is empty: ${ctx}`);
}

export function assertOk(res, what = '') {
	assert.equal(res.status, 200, `${what ? what + ': ' : ''}got ${res.status} ${res.text.slice(0, 300)}`);
	assert.ok(res.json !== undefined, `${what}: body is not JSON: ${res.text.slice(0, 300)}`);
	return res.json;
}

// ---------------------------------------------------------------- polling

// until(deadlineMs, fn) calls fn (sync or async) every intervalMs until it
// returns a truthy value, which it returns; an exception from fn counts as
// "not yet".  Past the deadline it throws, naming the last value or error.
export async function until(deadlineMs, fn, { intervalMs = 100, what = 'condition' } = {}) {
	const end = Date.now() + deadlineMs;
	let last;
	for (;;) {
		try {
			const v = await fn();
			if (v) return v;
			last = v;
		} catch (e) {
			last = e;
		}
		if (Date.now() >= end) {
			const why = last instanceof Error ? last.message : JSON.stringify(last);
			throw new Error(`${what} not met within ${deadlineMs} ms (last: ${why})`);
		}
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

// ---------------------------------------------------------------- sign-in

export function newWallet() {
	return Wallet.createRandom();
}

export async function challenge(base, address) {
	return post(base, '/auth/challenge', { address });
}

// signIn asks gateway `challengeAt` for a challenge, signs its exact text
// as a wallet does (EIP-191 personal_sign), and verifies at `verifyAt`.
// Returns { wallet, address, token, expiresAt, challenge }.
export async function signIn({ wallet = newWallet(), challengeAt = GW_A, verifyAt = challengeAt } = {}) {
	const c = assertOk(await challenge(challengeAt, wallet.address), 'challenge');
	const signature = await wallet.signMessage(c.challenge);
	const v = assertOk(await post(verifyAt, '/auth/verify', { address: wallet.address, signature }), 'verify');
	return { wallet, address: wallet.address, token: v.token, expiresAt: v.expiresAt, challenge: c.challenge };
}

// ---------------------------------------------------------------- JWT

export const b64url = (buf) => Buffer.from(buf).toString('base64url');
export const b64urlJson = (o) => b64url(Buffer.from(JSON.stringify(o)));

export function decodeJwt(token) {
	const parts = token.split('.');
	assert.equal(parts.length, 3, `a JWT has three parts: ${token}`);
	return {
		header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
		payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
		signature: parts[2],
		parts,
	};
}

// jwtKey reads JWT_KEYS_FILE ("kid:hex" lines) and returns the first key.
export function jwtKey() {
	assert.ok(env.jwtKeysFile, 'JWT_KEYS_FILE is not set');
	const line = readFileSync(env.jwtKeysFile, 'utf8').split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#'));
	const m = /^([^:]+):([0-9a-fA-F]{64})$/.exec(line ?? '');
	assert.ok(m, `unexpected JWT key file line: ${line}`);
	return { kid: m[1], secret: Buffer.from(m[2], 'hex') };
}

export function hmacSign(alg, secret, data) {
	const h = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
	return createHmac(h, secret).update(data).digest('base64url');
}

// forgeJwt builds a token with the given header and payload, signed with
// HMAC `alg` (default the header's alg) under `secret`.
export function forgeJwt(header, payload, secret, alg = header.alg) {
	const data = `${b64urlJson(header)}.${b64urlJson(payload)}`;
	return `${data}.${hmacSign(alg, secret, data)}`;
}

export const randomSecret = () => randomBytes(32);

// ---------------------------------------------------------------- WebSocket

// wsOpen connects; resolves with the open socket, or rejects with an Error
// whose .status is the HTTP status of a refused upgrade.
export function wsOpen(url, { protocols, headers, timeoutMs = 5000 } = {}) {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, protocols, { headers, handshakeTimeout: timeoutMs });
		const messages = [];
		const waiters = [];
		ws.inbox = messages;
		ws.waiters = waiters;
		ws.on('message', (data, isBinary) => {
			const m = { data, isBinary, text: data.toString('utf8') };
			const w = waiters.shift();
			if (w) w(m);
			else messages.push(m);
		});
		ws.once('open', () => resolve(ws));
		ws.once('unexpected-response', (req, res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (d) => { body += d; });
			const fail = () => {
				const e = new Error(`upgrade refused: HTTP ${res.statusCode} ${body.slice(0, 200)}`);
				e.status = res.statusCode;
				e.body = body;
				req.destroy();
				reject(e);
			};
			res.on('end', fail);
			res.on('error', fail);
		});
		ws.on('error', (e) => { ws.lastError = e; reject(e); });
	});
}

// wsRefusal connects expecting a refused upgrade and returns the status.
export async function wsRefusal(url, opts) {
	try {
		const ws = await wsOpen(url, opts);
		ws.terminate();
	} catch (e) {
		if (e.status !== undefined) return e.status;
		throw e;
	}
	assert.fail(`the WebSocket upgrade at ${url} was accepted; expected a refusal`);
}

// wsNext returns the next message (parsed JSON in .json), or throws after
// timeoutMs.
export function wsNext(ws, timeoutMs = 3000) {
	const parse = (m) => {
		try { m.json = JSON.parse(m.text); } catch { m.json = undefined; }
		return m;
	};
	if (ws.inbox.length > 0) return Promise.resolve(parse(ws.inbox.shift()));
	return new Promise((resolve, reject) => {
		const onClose = (code) => { cleanup(); reject(new Error(`socket closed (${code}) while waiting for a message`)); };
		const timer = setTimeout(() => { cleanup(); reject(new Error(`no message in ${timeoutMs} ms`)); }, timeoutMs);
		const w = (m) => { cleanup(); resolve(parse(m)); };
		const cleanup = () => {
			clearTimeout(timer);
			ws.off('close', onClose);
			const i = ws.waiters.indexOf(w);
			if (i >= 0) ws.waiters.splice(i, 1);
		};
		ws.waiters.push(w);
		ws.once('close', onClose);
	});
}

// wsClosed resolves with {code, reason} when the socket closes.
export function wsClosed(ws, timeoutMs = 3000) {
	if (ws.readyState === WebSocket.CLOSED) return Promise.resolve({ code: ws.closeCode, reason: '' });
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`socket not closed in ${timeoutMs} ms`)), timeoutMs);
		ws.once('close', (code, reason) => { clearTimeout(timer); resolve({ code, reason: reason.toString() }); });
	});
}

export async function wsPing(ws) {
	ws.send(JSON.stringify({ event: 'ping', data: {} }));
	const m = await wsNext(ws);
	assert.deepEqual(m.json, { event: 'pong', data: {} }, `expected a pong, got ${m.text}`);
}

export function wsClose(ws) {
	if (ws && ws.readyState !== WebSocket.CLOSED) ws.terminate();
}

// ---------------------------------------------------------------- map

// shardOf names the shard that owns (x, y): the map is cut into a 2x2 grid
// of quadrants for 4 shards (0 NW, 1 NE, 2 SW, 3 SE).
export function shardOf(x, y) {
	const col = x < env.mapWidth / 2 ? 0 : 1;
	const row = y < env.mapHeight / 2 ? 0 : 1;
	return row * 2 + col;
}

export function zoneOf(x, y) {
	const d = Math.max(Math.abs(x - 50), Math.abs(y - 50));
	if (d <= 5) return 'heart';
	if (d <= 20) return 'inner';
	if (d <= 35) return 'middle';
	return 'outer';
}

export const tile = (base, x, y, token, opts = {}) => get(base, `/territory/${x}/${y}`, { ...opts, token });

// ---------------------------------------------------------------- shards

function holdFile(i) {
	return path.join(env.ndVar, 'hold', `shard-${i}`);
}

export function shardPid(i) {
	const s = readFileSync(path.join(env.ndVar, 'run', `shard-${i}.pid`), 'utf8').trim();
	const pid = Number(s);
	assert.ok(Number.isInteger(pid) && pid > 1, `bad pid file for shard ${i}: ${s}`);
	return pid;
}

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code !== 'ESRCH';
	}
}

// killShard holds shard i down (the launcher does not restart it) and
// SIGKILLs it; returns once the process is gone.
export async function killShard(i) {
	assert.ok(env.ndVar, 'ND_VAR is not set');
	mkdirSync(path.join(env.ndVar, 'hold'), { recursive: true });
	writeFileSync(holdFile(i), 'held by the integration tests\n');
	const pid = shardPid(i);
	process.kill(pid, 'SIGKILL');
	await until(5000, () => !alive(pid), { intervalMs: 20, what: `shard ${i} (pid ${pid}) gone` });
	return pid;
}

export function releaseShard(i) {
	if (env.ndVar && existsSync(holdFile(i))) rmSync(holdFile(i), { force: true });
}

export async function shardReady(i) {
	try {
		const r = await request(shardProbeUrl(i, '/readyz'), { timeoutMs: 1000 });
		return r.status === 200;
	} catch {
		return false;
	}
}

// waitClusterWhole waits until every shard's /readyz answers 200.
export async function waitClusterWhole(deadlineMs = 30000) {
	for (let i = 0; i < env.shardCount; i++) {
		await until(deadlineMs, () => shardReady(i), { what: `shard ${i} ready` });
	}
}

// ---------------------------------------------------------------- game

import { execFile } from 'node:child_process';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

// ndctl runs bin/ndctl against the test cluster; resolves with
// { code, stdout, stderr, json }.
export function ndctl(args, { timeoutMs = 15000 } = {}) {
	return new Promise((resolve) => {
		execFile(path.join(ROOT, 'bin/ndctl'), args, { timeout: timeoutMs, env: process.env }, (err, stdout, stderr) => {
			let json;
			try { json = JSON.parse(stdout); } catch { json = undefined; }
			resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr, json });
		});
	});
}

// homeShard is the shard that owns a player: FNV-1a 64 of the lower-case
// address, modulo the shard count (cm_owner_shard_of_id).
export function homeShard(address, shards = env.shardCount) {
	let h = 0xcbf29ce484222325n;
	for (const c of Buffer.from(address.toLowerCase())) {
		h ^= BigInt(c);
		h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
	}
	return Number(h % BigInt(shards));
}

// walletOnShard makes a wallet whose home is shard s.
export function walletOnShard(s) {
	for (;;) {
		const w = newWallet();
		if (homeShard(w.address) === s) return w;
	}
}

// register registers a wallet's address through ndctl and returns the answer.
export async function register(address, race, { premium = false, cls, skill, name = 'Captain Test' } = {}) {
	const args = ['register', address, race, name];
	if (cls) args.push('--class', cls);
	if (skill) args.push('--skill', skill);
	if (premium) args.push('--premium');
	const r = await ndctl(args);
	assert.equal(r.code, 0, `ndctl register: ${r.stdout} ${r.stderr}`);
	return r.json;
}

// psql runs one query against the test cluster's database; rows as arrays.
export function psql(sql) {
	return new Promise((resolve, reject) => {
		execFile('psql', [process.env.DATABASE_URL, '-At', '-F', '|', '-c', sql], { timeout: 10000 }, (err, stdout, stderr) => {
			if (err) reject(new Error(`psql: ${stderr}`));
			else resolve(stdout.split('\n').filter(Boolean).map((l) => l.split('|')));
		});
	});
}

// redis runs one redis-cli command against the test cluster's Redis.
export function redis(...args) {
	const [host, port] = env.redisAddr.split(':');
	return new Promise((resolve, reject) => {
		execFile('redis-cli', ['-h', host, '-p', port, ...args], { timeout: 10000 }, (err, stdout, stderr) => {
			if (err) reject(new Error(`redis-cli: ${stderr}`));
			else resolve(stdout.trim());
		});
	});
}

// landPath finds 8-neighbour steps over land from (x0,y0) to (x1,y1) that
// stay in one shard's region, given the map of GET /game/map; null if none.
export function landPath(map, x0, y0, x1, y1) {
	const W = map.width, H = map.height;
	const terrain = new Map(map.territories.map((t) => [t.y * W + t.x, t.terrain]));
	const region = shardOf(x0, y0);
	const ok = (x, y) => x >= 0 && y >= 0 && x < W && y < H && shardOf(x, y) === region && terrain.get(y * W + x) !== 'river';
	const prev = new Map([[y0 * W + x0, -1]]);
	const queue = [[x0, y0]];
	while (queue.length) {
		const [x, y] = queue.shift();
		if (x === x1 && y === y1) {
			const out = [];
			for (let k = y1 * W + x1; k !== y0 * W + x0; k = prev.get(k)) out.unshift({ x: k % W, y: Math.floor(k / W) });
			return out;
		}
		for (let dy = -1; dy <= 1; dy++) {
			for (let dx = -1; dx <= 1; dx++) {
				const nx = x + dx, ny = y + dy, k = ny * W + nx;
				if ((dx || dy) && ok(nx, ny) && !prev.has(k)) {
					prev.set(k, y * W + x);
					queue.push([nx, ny]);
				}
			}
		}
	}
	return null;
}

// buildAndWait builds a building on a plot of the token's player and waits
// until it stands complete (game time runs ND_TIME_SCALE faster); returns
// its id.
export async function buildAndWait(base, token, plot, type) {
	const b = await post(base, `/territory/${plot.x}/${plot.y}/build`, { buildingType: type }, { token });
	assert.equal(b.status, 201, `build ${type}: ${b.text}`);
	await until(15000, async () => {
		const t = (await get(base, `/territory/${plot.x}/${plot.y}`, { token })).json;
		return t.buildingDetails?.some((d) => d.id === b.json.buildingId && d.complete);
	}, { what: `the ${type} completes` });
	return b.json.buildingId;
}

// trained waits until a newly raised army has finished training.
export async function trained(base, token, armyId) {
	return until(15000, async () => {
		const a = (await get(base, `/army/${armyId}`, { token })).json;
		return a.status === 'idle' && a;
	}, { what: `army ${armyId} trained` });
}
