/**
 * The SSRF guard (issue 16): every private, loopback, link-local and otherwise non-public range is refused unless the
 * operator allows private targets — at registration, for IP literals at send time, and for names at connection time
 * (a name that resolves to loopback is refused before any byte is sent).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refusedAddress, refusedUrl } from '../../src/notify/ssrf.js';
import { postWebhook } from '../../src/notify/post.js';
import { startReceiver } from '../support/receiver.js';

const off = { allowPrivate: false };
const on = { allowPrivate: true };

const refused: Array<[string, string]> = [
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.254', 'private'],
  ['192.168.1.1', 'private'],
  ['127.0.0.1', 'loopback'],
  ['127.255.0.9', 'loopback'],
  ['169.254.169.254', 'linkLocal'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['0.0.0.0', 'unspecified'],
  ['255.255.255.255', 'broadcast'],
  ['224.0.0.1', 'multicast'],
  ['192.0.2.1', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['2001:db8::1', 'reserved'],
  ['64:ff9b::a00:1', 'rfc6052'],
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['fe80::1', 'linkLocal'],
  ['fc00::1', 'uniqueLocal'],
  ['fd12:3456::1', 'uniqueLocal'],
  ['ff02::1', 'multicast'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:10.0.0.1', 'private'],
];

test('every non-public range is refused when private targets are off, and allowed when on', () => {
  for (const [address, range] of refused) {
    const why = refusedAddress(address, off);
    assert.ok(why?.includes(range), `${address} refused as ${range} (got ${why})`);
    assert.equal(refusedAddress(address, on), null, `${address} allowed by the operator's switch`);
  }
  for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111']) {
    assert.equal(refusedAddress(address, off), null, `${address} is public`);
  }
});

test('URLs: schemes, credentials, IP literals and loopback names are checked at registration', () => {
  assert.equal(refusedUrl('https://hooks.example.com/peerlink', off), null);
  assert.match(refusedUrl('ftp://hooks.example.com/', off) ?? '', /http/);
  assert.match(refusedUrl('https://u:p@hooks.example.com/', off) ?? '', /credentials/);
  assert.match(refusedUrl('http://169.254.169.254/latest/meta-data', off) ?? '', /linkLocal/);
  assert.match(refusedUrl('http://[::1]:8080/', off) ?? '', /loopback/);
  assert.match(refusedUrl('http://localhost:8080/', off) ?? '', /loopback/);
  assert.equal(refusedUrl('http://127.0.0.1:8080/', on), null, 'allowed by the switch');
});

test('a delivery to loopback is refused before connecting when the switch is off — by literal, by name', async () => {
  const r = await startReceiver();
  try {
    const body = JSON.stringify({ id: 'ev_x', type: 't', data: {} });
    const literal = await postWebhook({ url: r.url, headers: {}, body, policy: off, timeoutMs: 1_000 });
    assert.equal(literal.ok, false);
    assert.match(literal.error ?? '', /target refused: 127\.0\.0\.1 is in a loopback range/);
    const byName = await postWebhook({
      url: r.url.replace('127.0.0.1', 'localhost'),
      headers: {},
      body,
      policy: off,
      timeoutMs: 1_000,
    });
    assert.equal(byName.ok, false);
    assert.match(byName.error ?? '', /target refused/);
    assert.equal(r.received.length, 0, 'nothing reached the receiver');
    const allowed = await postWebhook({ url: r.url, headers: {}, body, policy: on, timeoutMs: 1_000 });
    assert.equal(allowed.ok, true, JSON.stringify(allowed));
    assert.equal(r.received.length, 1, 'with the switch on it arrives');
  } finally {
    await r.close();
  }
});

test('a redirect is not followed: it is a failed attempt', async () => {
  const { createServer } = await import('node:http');
  const server = createServer((_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/' }).end());
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  try {
    const r = await postWebhook({
      url: `http://127.0.0.1:${port}/`,
      headers: {},
      body: '{}',
      policy: on,
      timeoutMs: 1_000,
    });
    assert.equal(r.ok, false);
    assert.equal(r.statusCode, 302);
    assert.match(r.error ?? '', /redirect/);
  } finally {
    await new Promise<void>((res) => server.close(() => res()));
  }
});
