// siwe_checks.test.mjs: verification fails closed on every EIP-4361 field.
//
// The gateway only verifies messages it issued itself, so these tests put a
// pending challenge straight into Redis (the hash challenge:{address}, field
// = nonce, value = "<expiry ms>|<message>", as docs/architecture.md says),
// with one field wrong, sign it with a real wallet, and check that
// /auth/verify refuses it with the right code and consumes nothing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';

import { GW_A, assertError, assertOk, env, newWallet, post } from './lib.mjs';

const [redisHost, redisPort] = (process.env.REDIS_ADDR || '127.0.0.1:18379').split(':');

function redis(...args) {
	return execFileSync('redis-cli', ['-h', redisHost, '-p', redisPort, ...args], {
		encoding: 'utf8',
	}).trim();
}

const iso = (ms) => new Date(ms).toISOString();

// message builds an EIP-4361 message with the gateway's own values,
// overridden by `o`; a field set to null is left out.
function message(address, o = {}) {
	const now = Date.now();
	const f = {
		domain: env.siweDomain,
		statement: "Sign in to Nemeth's Domain.",
		uri: env.siweUri,
		version: '1',
		chainId: String(env.chainId),
		nonce: randomBytes(12).toString('hex'),
		issuedAt: iso(now),
		expirationTime: iso(now + 300000),
		notBefore: null,
		...o,
	};
	let m = `${f.domain} wants you to sign in with your Ethereum account:\n${f.address ?? address}\n\n`;
	m += `${f.statement}\n\nURI: ${f.uri}\nVersion: ${f.version}\nChain ID: ${f.chainId}\n`;
	m += `Nonce: ${f.nonce}\nIssued At: ${f.issuedAt}`;
	if (f.expirationTime !== null) m += `\nExpiration Time: ${f.expirationTime}`;
	if (f.notBefore !== null) m += `\nNot Before: ${f.notBefore}`;
	return { text: m, nonce: f.nonce };
}

// plant stores a pending challenge for the wallet, signs it, verifies it.
async function plantAndVerify(wallet, overrides) {
	const { text, nonce } = message(wallet.address, overrides);
	const key = `challenge:${wallet.address.toLowerCase()}`;
	redis('HSET', key, nonce, `${Date.now() + 300000}|${text}`);
	redis('PEXPIRE', key, '300000');
	const signature = await wallet.signMessage(text);
	const res = await post(GW_A, '/auth/verify', { address: wallet.address, signature });
	return { res, key, nonce };
}

describe('verification fails closed', () => {
	test('a planted, well-formed challenge is accepted (the harness is right)', async () => {
		const w = newWallet();
		const { res, key, nonce } = await plantAndVerify(w, {});
		assertOk(res, 'planted valid challenge');
		assert.equal(redis('HEXISTS', key, nonce), '0', 'a used challenge is gone');
	});

	const cases = [
		['expiration time in the past', { expirationTime: iso(Date.now() - 1000) }, 'CHALLENGE_EXPIRED'],
		['no expiration time', { expirationTime: null }, 'INVALID_CHALLENGE'],
		['not-before 10 minutes ahead', { notBefore: iso(Date.now() + 600000) }, 'INVALID_CHALLENGE'],
		['issued-at 10 minutes ahead', { issuedAt: iso(Date.now() + 600000) }, 'INVALID_CHALLENGE'],
		['issued-at an hour ago', { issuedAt: iso(Date.now() - 3600000) }, 'CHALLENGE_EXPIRED'],
		['chain id not on the allow-list', { chainId: '1' }, 'INVALID_CHALLENGE'],
		['another domain', { domain: 'evil.example:8080' }, 'INVALID_CHALLENGE'],
		['another URI', { uri: 'https://evil.example/' }, 'INVALID_CHALLENGE'],
		['version 2', { version: '2' }, 'INVALID_CHALLENGE'],
	];
	for (const [name, overrides, code] of cases) {
		test(`${name}: 401 ${code}, and the challenge is not consumed`, async () => {
			const w = newWallet();
			const { res, key, nonce } = await plantAndVerify(w, overrides);
			await assertError(res, 401, code, name);
			assert.equal(redis('HEXISTS', key, nonce), '1', 'a refused challenge stays pending');
		});
	}

	test('a message naming another address is refused', async () => {
		const w = newWallet();
		const other = newWallet();
		// Signed by w, stored under w, but the text names another account.
		const { res } = await plantAndVerify(w, { address: other.address });
		await assertError(res, 401, 'INVALID_CHALLENGE', 'other address');
	});

	test('a malformed stored message (lower-case address) is refused', async () => {
		const w = newWallet();
		const { res } = await plantAndVerify(w, { address: w.address.toLowerCase() });
		await assertError(res, 401, 'INVALID_CHALLENGE', 'non-EIP-55 address');
	});
});
