// websocket.test.mjs: the real-time channel: who may open it (token in the
// query or in an Authorization header, with or without the nd.v1
// subprotocol), ping/pong, errors that keep the connection, and the
// message size limit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
	WS_A, forgeJwt, jwtKey, signIn, wsClose, wsClosed, wsNext, wsOpen, wsPing, wsRefusal,
} from './lib.mjs';

const MAX = 65536;
let token;
let address;
const open = [];
before(async () => {
	({ token, address } = await signIn());
});
after(() => {
	for (const ws of open) wsClose(ws);
});

async function connect(opts = {}, url = `${WS_A}/?token=${encodeURIComponent(token)}`) {
	const ws = await wsOpen(url, opts);
	open.push(ws);
	return ws;
}

describe('upgrade refusals', () => {
	const expired = () => {
		const now = Math.floor(Date.now() / 1000);
		return forgeJwt({ alg: 'HS256', typ: 'JWT', kid: 'k1' },
			{ sub: address.toLowerCase(), iat: now - 90000, exp: now - 3600 }, jwtKey().secret);
	};
	for (const [name, protocols] of [['no subprotocol', undefined], ['subprotocol nd.v1', 'nd.v1'],
		['an unknown subprotocol', 'chat.v9']]) {
		test(`no token, ${name} → HTTP 401`, async () => {
			assert.equal(await wsRefusal(WS_A, { protocols }), 401);
		});
		test(`expired token, ${name} → HTTP 401`, async () => {
			assert.equal(await wsRefusal(`${WS_A}/?token=${expired()}`, { protocols }), 401);
		});
		test(`garbage token, ${name} → HTTP 401`, async () => {
			assert.equal(await wsRefusal(`${WS_A}/?token=garbage.garbage.garbage`, { protocols }), 401);
		});
	}
	test('expired and garbage tokens in the Authorization header → HTTP 401', async () => {
		assert.equal(await wsRefusal(WS_A, { headers: { Authorization: `Bearer ${expired()}` } }), 401);
		assert.equal(await wsRefusal(WS_A, { headers: { Authorization: 'Bearer garbage' } }), 401);
		assert.equal(await wsRefusal(WS_A, { headers: { Authorization: 'Bearer ' } }), 401);
	});
	test('a token signed with another key → HTTP 401', async () => {
		const now = Math.floor(Date.now() / 1000);
		const t = forgeJwt({ alg: 'HS256', typ: 'JWT', kid: 'k1' },
			{ sub: address.toLowerCase(), iat: now, exp: now + 3600 }, Buffer.alloc(32, 7));
		assert.equal(await wsRefusal(`${WS_A}/?token=${t}`), 401);
	});
});

describe('connected', () => {
	test('token in the query, no subprotocol: ping → pong', async () => {
		const ws = await connect();
		await wsPing(ws);
		await wsPing(ws);
		wsClose(ws);
	});

	test('token in the Authorization header: ping → pong', async () => {
		const ws = await connect({ headers: { Authorization: `Bearer ${token}` } }, WS_A);
		await wsPing(ws);
		wsClose(ws);
	});

	test('subprotocol nd.v1 is agreed: ping → pong', async () => {
		const ws = await connect({ protocols: 'nd.v1' });
		assert.equal(ws.protocol, 'nd.v1');
		await wsPing(ws);
		wsClose(ws);
	});

	test('invalid JSON → error INVALID_JSON and the connection stays open', async () => {
		const ws = await connect();
		for (const bad of ['{not json', '', '[1,2', '{"event":"ping","data":{}} trailing']) {
			ws.send(bad);
			const m = await wsNext(ws);
			assert.equal(m.json?.event, 'error', `for ${JSON.stringify(bad)}: ${m.text}`);
			assert.equal(m.json.data?.code, 'INVALID_JSON', `for ${JSON.stringify(bad)}: ${m.text}`);
			assert.equal(typeof m.json.data.message, 'string', m.text);
		}
		await wsPing(ws);
		wsClose(ws);
	});

	test('unknown event → error UNKNOWN_EVENT and the connection stays open', async () => {
		const ws = await connect();
		ws.send(JSON.stringify({ event: 'teleport', data: {} }));
		const m = await wsNext(ws);
		assert.equal(m.json?.event, 'error', m.text);
		assert.equal(m.json.data?.code, 'UNKNOWN_EVENT', m.text);
		await wsPing(ws);
		wsClose(ws);
	});

	test('JSON that is not an event object → an error event and the connection stays open', async () => {
		const ws = await connect();
		for (const bad of ['[]', '42', '"ping"', 'null', '{"event":"ping","data":{},"extra":1}', '{"data":{}}']) {
			ws.send(bad);
			const m = await wsNext(ws);
			assert.equal(m.json?.event, 'error', `for ${bad}: ${m.text}`);
			assert.ok(['INVALID_JSON', 'UNKNOWN_FIELD', 'INVALID_MESSAGE'].includes(m.json.data?.code), `for ${bad}: ${m.text}`);
		}
		await wsPing(ws);
		wsClose(ws);
	});

	test('a binary frame closes the connection with 1003', async () => {
		const ws = await connect();
		const closed = wsClosed(ws, 5000);
		ws.send(Buffer.from(JSON.stringify({ event: 'ping', data: {} })), { binary: true });
		assert.equal((await closed).code, 1003);
	});

	test(`a message of exactly ${MAX} bytes is read whole`, async () => {
		const ws = await connect();
		const core = JSON.stringify({ event: 'ping', data: {} });
		ws.send(core + ' '.repeat(MAX - core.length));
		const m = await wsNext(ws);
		assert.deepEqual(m.json, { event: 'pong', data: {} }, m.text.slice(0, 200));
		await wsPing(ws);
		wsClose(ws);
	});

	test(`a message over ${MAX} bytes closes the connection with 1009`, async () => {
		const ws = await connect();
		await wsPing(ws);
		const closed = wsClosed(ws, 5000);
		const core = JSON.stringify({ event: 'ping', data: {} });
		ws.send(core + ' '.repeat(MAX + 1 - core.length));
		const { code } = await closed;
		assert.equal(code, 1009);
	});

	test('a fragmented message over the limit also closes with 1009', async () => {
		const ws = await connect();
		const closed = wsClosed(ws, 5000);
		const part = 'x'.repeat(MAX / 4);
		for (let i = 0; i < 5; i++) ws.send(part, { fin: i === 4 });
		const { code } = await closed;
		assert.equal(code, 1009);
	});
});
