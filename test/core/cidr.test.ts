import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseIpv4Cidr, parseIpv4Address, parseRange, overlaps, contains } from '../../src/core/cidr.js';

const octet = fc.integer({ min: 0, max: 255 });
const addr = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
/** a normalised CIDR: network address + prefix */
const cidr = fc.tuple(addr, fc.integer({ min: 0, max: 32 })).map(([a, p]) => {
  const mask = p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0;
  const n = (toInt(a) & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}/${p}`;
});

test('parses strict IPv4 CIDRs and refuses the rest', () => {
  assert.deepEqual(parseIpv4Cidr('10.1.0.0/16').ok, true);
  for (const bad of [
    '10.1.0.0',
    '10.1.0.0/33',
    '256.1.0.0/16',
    '10.1.0/16',
    'fe80::/10',
    '',
    ' / ',
    '010.1.0.0/16',
    '10.1.0.0/16/1',
  ]) {
    assert.equal(parseIpv4Cidr(bad).ok, false, bad);
  }
  const hb = parseIpv4Cidr('10.1.2.3/16');
  assert.deepEqual(hb, { ok: false, reason: 'host-bits', suggestion: '10.1.0.0/16' });
});

test('ranges of CIDRs cover the seed reserved block', () => {
  const r = parseRange('10.10.0.0/24-10.64.255.0/24');
  assert.ok(r);
  const inside = parseIpv4Cidr('10.64.255.128/25');
  const below = parseIpv4Cidr('10.9.255.0/24');
  const above = parseIpv4Cidr('10.65.0.0/16');
  assert.ok(inside.ok && below.ok && above.ok);
  assert.equal(overlaps(inside.span, r), true);
  assert.equal(overlaps(below.span, r), false);
  assert.equal(overlaps(above.span, r), false);
  assert.equal(parseRange('10.2.0.0/16-10.1.0.0/16'), null);
  assert.equal(parseRange('nonsense'), null);
});

test('property: every normalised CIDR parses, and contains its own network address', () => {
  fc.assert(
    fc.property(cidr, (c) => {
      const p = parseIpv4Cidr(c);
      assert.ok(p.ok);
      assert.equal(p.span.text, c);
      const net = parseIpv4Address(c.split('/')[0]);
      assert.ok(net && contains(p.span, net));
    }),
  );
});

test('property: overlap is symmetric, and containment implies overlap', () => {
  fc.assert(
    fc.property(cidr, cidr, (a, b) => {
      const pa = parseIpv4Cidr(a);
      const pb = parseIpv4Cidr(b);
      assert.ok(pa.ok && pb.ok);
      assert.equal(overlaps(pa.span, pb.span), overlaps(pb.span, pa.span));
      if (contains(pa.span, pb.span)) assert.equal(overlaps(pa.span, pb.span), true);
      // two CIDR blocks either nest or are disjoint
      if (overlaps(pa.span, pb.span)) assert.ok(contains(pa.span, pb.span) || contains(pb.span, pa.span));
    }),
  );
});

test('property: a CIDR with host bits is refused with its network form as the suggestion', () => {
  fc.assert(
    fc.property(addr, fc.integer({ min: 0, max: 31 }), (a, p) => {
      const r = parseIpv4Cidr(`${a}/${p}`);
      if (r.ok) return;
      assert.equal(r.reason, 'host-bits');
      if (r.reason === 'host-bits') assert.equal(parseIpv4Cidr(r.suggestion).ok, true);
    }),
  );
});
