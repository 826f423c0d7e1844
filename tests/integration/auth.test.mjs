// auth.test.mjs: wallet sign-in (EIP-4361 challenge, EIP-191 signature,
// JWT) as a real wallet performs it, and every refusal of the two routes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { getAddress, Signature } from 'ethers';

import {
	GW_A, assertError, assertOk, challenge, decodeJwt, env, hmacSign, jwtKey,
	newWallet, post, request, signIn, tile,
} from './lib.mjs';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const verify = (body, base = GW_A) => post(base, '/auth/verify', body);
const rawChallenge = (text) => request(`${GW_A}/auth/challenge`, { method: 'POST', body: text });

describe('sign-in', () => {
	test('a fresh wallet signs the exact challenge text and its token reads a tile', async () => {
		const wallet = newWallet();
		const c = assertOk(await challenge(GW_A, wallet.address), 'challenge');
		const signature = await wallet.signMessage(c.challenge);
		assert.match(signature, /^0x[0-9a-f]{130}$/);
		const v = assertOk(await verify({ address: wallet.address, signature }), 'verify');
		assert.equal(typeof v.token, 'string');
		const r = await tile(GW_A, 10, 10, v.token);
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json.coord, { x: 10, y: 10 });
	});

	test('the challenge is a well-formed EIP-4361 message for this origin', async () => {
		const wallet = newWallet();
		const before = Date.now();
		const c = assertOk(await challenge(GW_A, wallet.address));
		const after = Date.now();
		assert.equal(typeof c.challenge, 'string');
		assert.match(c.expiresAt, ISO_MS, `expiresAt: ${c.expiresAt}`);
		const lines = c.challenge.split('\n');
		assert.equal(lines.length, 11, `expected 11 lines:\n${c.challenge}`);
		assert.equal(lines[0], `${env.siweDomain} wants you to sign in with your Ethereum account:`);
		assert.equal(lines[1], getAddress(wallet.address));
		assert.equal(lines[2], '');
		assert.ok(lines[3].trim().length > 0, 'statement is empty');
		assert.equal(lines[4], '');
		assert.equal(lines[5], `URI: ${env.siweUri}`);
		assert.equal(lines[6], 'Version: 1');
		assert.equal(lines[7], `Chain ID: ${env.chainId}`);
		assert.match(lines[8], /^Nonce: [0-9a-fA-F]{24}$/);
		const issued = /^Issued At: (.*)$/.exec(lines[9]);
		const expires = /^Expiration Time: (.*)$/.exec(lines[10]);
		assert.ok(issued && expires, c.challenge);
		assert.match(issued[1], ISO);
		assert.match(expires[1], ISO);
		const ia = Date.parse(issued[1]);
		const et = Date.parse(expires[1]);
		assert.ok(ia >= before - 2000 && ia <= after + 2000, `Issued At ${issued[1]} is not now`);
		assert.equal(et - ia, 5 * 60 * 1000, 'Expiration Time is not Issued At + 5 minutes');
		assert.equal(Date.parse(c.expiresAt), et, 'expiresAt differs from the message Expiration Time');

		const c2 = assertOk(await challenge(GW_A, wallet.address));
		assert.notEqual(c2.challenge.split('\n')[8], lines[8], 'two challenges share a nonce');
	});

	test('all-lower and all-upper hex addresses are accepted and shown checksummed', async () => {
		const wallet = newWallet();
		const hex = wallet.address.slice(2);
		for (const a of [`0x${hex.toLowerCase()}`, `0x${hex.toUpperCase()}`]) {
			const c = assertOk(await challenge(GW_A, a), a);
			assert.equal(c.challenge.split('\n')[1], getAddress(wallet.address), a);
		}
		// Either pending challenge can be signed by the wallet.
		const c = assertOk(await challenge(GW_A, wallet.address.toLowerCase()));
		const signature = await wallet.signMessage(c.challenge);
		assertOk(await verify({ address: wallet.address, signature }), 'verify after a lower-case challenge');
	});

	test('the token is an HS256 JWT with kid k1, sub = lower-case address, 24 h life', async () => {
		const before = Math.floor(Date.now() / 1000);
		const s = await signIn();
		const after = Math.ceil(Date.now() / 1000);
		const { header, payload, parts } = decodeJwt(s.token);
		assert.deepEqual(header, { alg: 'HS256', typ: 'JWT', kid: 'k1' });
		assert.equal(payload.sub, s.address.toLowerCase());
		assert.ok(Number.isInteger(payload.iat) && Number.isInteger(payload.exp), JSON.stringify(payload));
		assert.ok(payload.iat >= before - 2 && payload.iat <= after + 2, `iat ${payload.iat} is not now`);
		assert.equal(payload.exp - payload.iat, 86400);
		assert.match(s.expiresAt, ISO_MS);
		assert.ok(Math.abs(Date.parse(s.expiresAt) - payload.exp * 1000) < 1000,
			`expiresAt ${s.expiresAt} vs exp ${payload.exp}`);
		const key = jwtKey();
		assert.equal(key.kid, 'k1');
		assert.equal(parts[2], hmacSign('HS256', key.secret, `${parts[0]}.${parts[1]}`),
			'the token is not signed with the key of JWT_KEYS_FILE');
	});
});

describe('challenge refusals', () => {
	const good = newWallet().address;
	// A fresh checksummed address with the case of one letter flipped, such
	// that it stays mixed-case (so it is neither all-lower nor all-upper).
	const [checksummed, badChecksum] = (() => {
		for (;;) {
			const a = newWallet().address;
			const i = a.slice(2).search(/[a-fA-F]/) + 2;
			if (i < 2) continue;
			const c = a[i];
			const flipped = a.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + a.slice(i + 1);
			const hex = flipped.slice(2);
			if (/[a-f]/.test(hex) && /[A-F]/.test(hex)) return [a, flipped];
		}
	})();

	test('a correct mixed-case EIP-55 address is accepted (control for the bad checksum case)', async () => {
		assert.equal(getAddress(checksummed), checksummed);
		assert.notEqual(badChecksum, checksummed);
		assertOk(await challenge(GW_A, checksummed));
	});

	const invalidAddresses = [
		['mixed case with a wrong checksum', badChecksum],
		['19 bytes', '0x' + 'ab'.repeat(19)],
		['21 bytes', '0x' + 'ab'.repeat(21)],
		['41 hex digits', '0x' + 'a'.repeat(41)],
		['not hex', '0x' + 'zz'.repeat(20)],
		['no 0x and too short', 'abc'],
		['empty string', ''],
	];
	for (const [name, address] of invalidAddresses) {
		test(`address ${name} → 400 INVALID_ADDRESS`, async () => {
			assertError(await challenge(GW_A, address), 400, 'INVALID_ADDRESS', address);
		});
	}

	test('missing address → 400 INVALID_ADDRESS', async () => {
		assertError(await post(GW_A, '/auth/challenge', {}), 400, 'INVALID_ADDRESS');
	});
	for (const v of [123, null, true, ['0x' + 'ab'.repeat(20)], { a: 1 }]) {
		test(`non-string address ${JSON.stringify(v)} → 400 INVALID_ADDRESS`, async () => {
			assertError(await post(GW_A, '/auth/challenge', { address: v }), 400, 'INVALID_ADDRESS');
		});
	}

	test('unknown extra field → 400 UNKNOWN_FIELD', async () => {
		assertError(await post(GW_A, '/auth/challenge', { address: good, foo: 1 }), 400, 'UNKNOWN_FIELD');
	});

	const badJson = [
		['malformed JSON', '{"address":'],
		['trailing garbage', `{"address":"${good}"} x`],
		['empty body', ''],
		['a JSON array', `["${good}"]`],
		['a JSON string', `"${good}"`],
		['a JSON number', '42'],
		['JSON null', 'null'],
		['duplicate keys', `{"address":"${good}","address":"${good}"}`],
	];
	for (const [name, body] of badJson) {
		test(`${name} → 400 INVALID_JSON`, async () => {
			assertError(await rawChallenge(body), 400, 'INVALID_JSON', JSON.stringify(body));
		});
	}

	test('9th pending challenge → 429 TOO_MANY_CHALLENGES; earlier ones stay usable', async () => {
		const wallet = newWallet();
		const got = [];
		for (let i = 0; i < 8; i++) got.push(assertOk(await challenge(GW_A, wallet.address), `challenge ${i + 1}`).challenge);
		assertError(await challenge(GW_A, wallet.address), 429, 'TOO_MANY_CHALLENGES');
		// Another address is not affected.
		assertOk(await challenge(GW_A, newWallet().address), 'another address');
		// Flooding in the wallet's name burned none of its challenges.
		assertOk(await verify({ address: wallet.address, signature: await wallet.signMessage(got[0]) }), 'oldest challenge');
		assertOk(await verify({ address: wallet.address, signature: await wallet.signMessage(got[7]) }), 'newest challenge');
		// Using them freed room for new ones.
		assertOk(await challenge(GW_A, wallet.address), 'challenge after using two');
	});
});

describe('verify refusals', () => {
	async function pending() {
		const wallet = newWallet();
		const c = assertOk(await challenge(GW_A, wallet.address));
		return { wallet, text: c.challenge };
	}

	test('signature of wrong length → 400 INVALID_SIGNATURE', async () => {
		const { wallet, text } = await pending();
		const sig = await wallet.signMessage(text);
		for (const s of [sig.slice(0, -2), sig + '00', '0x', '0x1234']) {
			assertError(await verify({ address: wallet.address, signature: s }), 400, 'INVALID_SIGNATURE', s);
		}
	});

	test('signature that is not hex → 400 INVALID_SIGNATURE', async () => {
		const { wallet, text } = await pending();
		const sig = await wallet.signMessage(text);
		for (const s of ['0x' + 'zz'.repeat(65), sig.slice(0, -1) + 'g', sig.slice(2) + 'ab']) {
			assertError(await verify({ address: wallet.address, signature: s }), 400, 'INVALID_SIGNATURE', s);
		}
	});

	test('signature by another key → 401 INVALID_SIGNATURE and the challenge survives it', async () => {
		const { wallet, text } = await pending();
		const other = newWallet();
		assertError(await verify({ address: wallet.address, signature: await other.signMessage(text) }),
			401, 'INVALID_SIGNATURE');
		assertOk(await verify({ address: wallet.address, signature: await wallet.signMessage(text) }),
			'the right signature after a failed attempt');
	});

	test('a signature of other text by the right key → 401 INVALID_SIGNATURE', async () => {
		const { wallet, text } = await pending();
		assertError(await verify({ address: wallet.address, signature: await wallet.signMessage(text + ' ') }),
			401, 'INVALID_SIGNATURE');
	});

	test('no challenge ever asked → 401 CHALLENGE_NOT_FOUND', async () => {
		const wallet = newWallet();
		const signature = await wallet.signMessage('anything at all');
		assertError(await verify({ address: wallet.address, signature }), 401, 'CHALLENGE_NOT_FOUND');
	});

	test('reusing a challenge after success → 401 CHALLENGE_NOT_FOUND', async () => {
		const { wallet, text } = await pending();
		const signature = await wallet.signMessage(text);
		assertOk(await verify({ address: wallet.address, signature }), 'first use');
		assertError(await verify({ address: wallet.address, signature }), 401, 'CHALLENGE_NOT_FOUND');
	});

	test('high-s form of a valid signature → 401 INVALID_SIGNATURE; the low-s one still works', async () => {
		const { wallet, text } = await pending();
		const sig = await wallet.signMessage(text);
		const parsed = Signature.from(sig);
		const s = BigInt(parsed.s);
		const highS = (SECP256K1_N - s).toString(16).padStart(64, '0');
		const v = parsed.v === 27 ? 28 : 27;
		const malleable = '0x' + parsed.r.slice(2) + highS + v.toString(16);
		assert.equal(malleable.length, 132);
		assert.notEqual(malleable, sig);
		assertError(await verify({ address: wallet.address, signature: malleable }), 401, 'INVALID_SIGNATURE');
		assertOk(await verify({ address: wallet.address, signature: sig }), 'the low-s signature');
	});

	test('v as 0/1 instead of 27/28 is accepted (as some hardware wallets sign)', async () => {
		const { wallet, text } = await pending();
		const sig = await wallet.signMessage(text);
		const v = parseInt(sig.slice(-2), 16);
		assert.ok(v === 27 || v === 28);
		const sig01 = sig.slice(0, -2) + (v - 27).toString(16).padStart(2, '0');
		assertOk(await verify({ address: wallet.address, signature: sig01 }), `v = ${v - 27}`);
	});

	test('malformed JSON body → 400 INVALID_JSON', async () => {
		const r = await request(`${GW_A}/auth/verify`, { method: 'POST', body: '{"address":"0x' });
		assertError(r, 400, 'INVALID_JSON');
	});
});
